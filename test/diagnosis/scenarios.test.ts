import {describe, expect, it} from 'vitest';
import {BENIGN_NOTES, SCENARIOS} from '../../source/demo/vpc/scenarios.js';
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

describe("the healthy VPC's everyday noise", () => {
	const diagnoses = SEEDS.map(seed => {
		const records = recordsOf(history('healthy', MINUTES, {seed}));
		return FORMATS.flatMap(([, format]) => diagnose(storeOf(records, format)));
	});

	it('raises no warning or critical finding: only benign notes, each saying so', () => {
		for (const findings of diagnoses) {
			for (const finding of findings) {
				expect({summary: finding.summary, severity: finding.severity}).toEqual({
					summary: finding.summary,
					severity: 'info',
				});
				expect(finding.summary).toMatch(/benign|NAT gateway drops/);
				expect(finding.advice).toMatch(/^(Nothing to change|Expected and harmless)/);
			}
		}
	});

	it('shows in the notes: late replies on both app servers and strangers at the NAT gateway', () => {
		const noted = new Set(diagnoses.flat().map(finding => `${finding.kind} ${finding.eni}`));
		expect(noted).toEqual(new Set(BENIGN_NOTES.map(note => `${note.kind} ${note.eni}`)));
	});
});
