import {describe, expect, it} from 'vitest';
import {SCENARIOS} from '../../source/demo/vpc/scenarios.js';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {MINUTE, recordsOf, simulator} from '../demo/vpc/simulate.js';
import {disagreements, FORMATS, storeOf} from './simulated.js';

/**
 * Incidents rarely start with the window: here each scenario begins after six healthy minutes, so
 * the window holds both. Rules must not mistake the change for something else: a database that
 * answered before and refuses now is not a NACL, a brute force rises above a real baseline.
 */
describe.each(SCENARIOS.filter(scenario => scenario.name !== 'healthy'))(
	'$name, beginning after healthy minutes',
	scenario => {
		it('is diagnosed as its ground truth says, in both formats', () => {
			const {clock, simulation} = simulator({seed: 7});
			clock.advance(6 * MINUTE);
			const before = simulation.step();
			simulation.setScenario(scenario.name);
			clock.advance(6 * MINUTE);
			const records = recordsOf([...before, ...simulation.step()]);
			for (const [name, format] of FORMATS) {
				const findings = diagnose(storeOf(records, format));
				expect({format: name, problems: disagreements(findings, scenario.expected, scenario.tolerated)}).toEqual({
					format: name,
					problems: [],
				});
			}
		});
	},
);
