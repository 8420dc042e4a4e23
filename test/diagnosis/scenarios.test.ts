import {describe, expect, it} from 'vitest';
import {SCENARIOS} from '../../source/demo/vpc/scenarios.js';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {history, recordsOf} from '../demo/vpc/simulate.js';
import {disagreements, FORMATS, storeOf} from './simulated.js';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
// Long enough for every incident to show (a retrying client needs a few minutes) and short enough to keep the suite quick.
const MINUTES = 5;

describe.each(SCENARIOS)('the $name scenario', scenario => {
	it.each(SEEDS)('is diagnosed as its ground truth says, in both formats (seed %i)', seed => {
		const records = recordsOf(history(scenario.name, MINUTES, {seed}));
		for (const [name, format] of FORMATS) {
			const findings = diagnose(storeOf(records, format));
			expect({format: name, problems: disagreements(findings, scenario.expected, scenario.tolerated)}).toEqual({
				format: name,
				problems: [],
			});
		}
	});
});
