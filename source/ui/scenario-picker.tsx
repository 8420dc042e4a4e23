import {ListPicker} from './list-picker.js';
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

export interface ScenarioPickerProps {
	readonly demo: DemoControl;
	readonly width: number;
	readonly height: number;
	readonly onPick: (name: string) => void;
	readonly onCancel: () => void;
}

/** `S` in the demo: break the simulated VPC another way. */
export function ScenarioPicker({demo, width, height, onPick, onCancel}: ScenarioPickerProps) {
	const current = demo.current();
	return (
		<ListPicker
			title={`Demo scenario (now: ${current})`}
			items={demo.scenarios.map(scenario => ({
				key: scenario.name,
				search: `${scenario.name} ${scenario.title}`,
				text: `${fit(scenario.name, 24)} ${scenario.title}`,
			}))}
			width={width}
			height={height}
			onPick={onPick}
			onCancel={onCancel}
		/>
	);
}
