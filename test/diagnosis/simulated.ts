import type {SimulatedRecord} from '../../source/demo/vpc/flow-record.js';
import {flowLine} from '../../source/demo/vpc/flow-line.js';
import {BENIGN_NOTES, type ExpectedFinding} from '../../source/demo/vpc/scenarios.js';
import type {Finding} from '../../source/diagnosis/finding.js';
import {matchesFilter, parseFilter} from '../../source/engine/filter.js';
import {FlowStore} from '../../source/engine/store.js';
import {FIELDS} from '../../source/flowlog/fields.js';
import {DEFAULT_FORMAT, type FlowFormat, formatOf} from '../../source/flowlog/format.js';
import {LineParser} from '../../source/flowlog/parser.js';

/** The simulated VPC's records through the real path (rendered, parsed, stored) and its ground truth. */

/** Every field up to v5: flow-direction, subnet-id, pkt-* and the rest. */
const FULL_V5 = formatOf(FIELDS.filter(spec => spec.version <= 5).map(spec => spec.name));
export const FORMATS: ReadonlyArray<[string, FlowFormat]> = [
	['default format', DEFAULT_FORMAT],
	['v5 custom format', FULL_V5],
];

/** The records as a file in that format would hold them, through the parser into a store. */
export function storeOf(records: readonly SimulatedRecord[], format: FlowFormat): FlowStore {
	const parser = new LineParser(format);
	const store = new FlowStore();
	store.add(
		records.map(record => {
			const parsed = parser.parse(flowLine(record.values, format));
			if (typeof parsed === 'string') {
				throw new TypeError(parsed);
			}

			return parsed;
		}),
	);
	return store;
}

function matches(finding: Finding, expected: ExpectedFinding): boolean {
	return (
		finding.kind === expected.kind &&
		(expected.eni === undefined || finding.eni === expected.eni) &&
		(expected.direction === undefined || finding.direction === expected.direction) &&
		(expected.port === undefined || finding.port === expected.port) &&
		(expected.src === undefined || finding.src === expected.src) &&
		(expected.severity === undefined || finding.severity === expected.severity)
	);
}

/**
 * What is wrong with the findings against the scenario's ground truth; empty when they agree. The
 * benign notes of the everyday noise are allowed in every scenario, as the info notes they are.
 */
export function disagreements(
	findings: readonly Finding[],
	expected: readonly ExpectedFinding[],
	tolerated: readonly ExpectedFinding[],
): string[] {
	const problems: string[] = [];
	for (const wanted of expected) {
		const found = findings.filter(finding => matches(finding, wanted)).length;
		if (found !== 1) {
			problems.push(`${found} findings for ${JSON.stringify(wanted)}`);
		}
	}

	for (const finding of findings) {
		if (![...expected, ...tolerated, ...BENIGN_NOTES].some(allowed => matches(finding, allowed))) {
			problems.push(`unexpected: ${finding.summary}`);
		}

		const filter = parseFilter(finding.filter);
		if (!finding.evidence.every(evidence => matchesFilter(filter, evidence)) || finding.evidence.length === 0) {
			problems.push(`evidence outside its filter "${finding.filter}": ${finding.summary}`);
		}
	}

	return problems;
}
