import type {PickerItem} from './list-picker.js';
import {fit} from './text.js';

export interface DemoScenario {
	readonly name: string;
	readonly title: string;
}

/** What the demo lets the live view change. */
export interface DemoControl {
	readonly scenarios: readonly DemoScenario[];
	current(): string;
	setScenario(name: string): void;
}

/** `S` in the demo: break the simulated VPC another way. */
export function scenarioItems(demo: DemoControl): PickerItem[] {
	return demo.scenarios.map(scenario => ({
		key: scenario.name,
		search: `${scenario.name} ${scenario.title}`,
		text: `${fit(scenario.name, 24)} ${scenario.title}`,
	}));
}

/** The scenario running now, where the picker opens. */
export function currentScenarioIndex(demo: DemoControl): number {
	return Math.max(
		demo.scenarios.findIndex(scenario => scenario.name === demo.current()),
		0,
	);
}
