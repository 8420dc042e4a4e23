import {FlowLogDecoder, parseFields} from '../../source/flowlog/decoder.js';
import type {FlowFormat} from '../../source/flowlog/format.js';
import {LineParser, type FieldMap} from '../../source/flowlog/parser.js';
import {sameValue} from './expected-fields.js';
import type {Case, Expectation} from './pair.js';

/** Pseudo-field for a difference in kind: a record on one side, a rejected line (or nothing) on the other. */
export const OUTCOME = '(outcome)';

export interface Difference {
	readonly field: string;
	readonly expected: string | undefined;
	readonly got: string | undefined;
}

/** One compared pair: a line pair, or one expected entry of a file case. */
export interface Comparison {
	readonly source: string;
	readonly kind: 'line' | 'file';
	readonly id: string;
	readonly differences: readonly Difference[];
}

/** What flowtop made of one line: its fields, or the reason it is malformed. */
type Parsed = FieldMap | string;

type Outcome = 'nothing' | 'malformed' | 'a record';

function expectedOutcome(expect: Expectation | undefined): Outcome {
	if (expect === undefined) {
		return 'nothing';
	}

	return expect.kind === 'malformed' ? 'malformed' : 'a record';
}

function parsedOutcome(parsed: Parsed | undefined): Outcome {
	if (parsed === undefined) {
		return 'nothing';
	}

	return typeof parsed === 'string' ? 'malformed' : 'a record';
}

export function compareRecord(expect: Expectation | undefined, parsed: Parsed | undefined): Difference[] {
	if (expect?.kind !== 'fields' || typeof parsed !== 'object') {
		const wanted = expectedOutcome(expect);
		const outcome = parsedOutcome(parsed);
		const got = typeof parsed === 'string' ? `malformed (${parsed})` : outcome;
		return wanted === outcome ? [] : [{field: OUTCOME, expected: wanted, got}];
	}

	const fields = new Set(expect.partial ? expect.fields.keys() : [...expect.fields.keys(), ...Object.keys(parsed)]);
	const differences: Difference[] = [];
	for (const field of fields) {
		if (expect.ignore.has(field)) {
			continue;
		}

		const expected = expect.fields.get(field);
		const value = parsed[field];
		const got = value === undefined ? undefined : String(value);
		const same =
			expected === undefined || got === undefined
				? expected === got
				: sameValue(expected, got, expect.foldCase.has(field));
		if (!same) {
			differences.push({field, expected, got});
		}
	}

	return differences;
}

// Drive the decoder line by line, as the file source does, keeping records and rejections in order.
function decodeFile(text: string, format: FlowFormat): Parsed[] {
	const parsed: Parsed[] = [];
	const decoder = new FlowLogDecoder(format, sample => parsed.push(sample.reason));
	for (const line of text.split('\n')) {
		decoder.decode<Parsed>(line, 0, line.length, parseFields, parsed);
	}

	return parsed;
}

export function compareCase(testCase: Case): Comparison[] {
	const {source, kind} = testCase;
	if (testCase.kind === 'line') {
		const parsed = new LineParser(testCase.format).fields(testCase.line);
		return [{source, kind, id: testCase.id, differences: compareRecord(testCase.expect, parsed)}];
	}

	const parsed = decodeFile(testCase.text, testCase.format);
	const count = Math.max(parsed.length, testCase.expect.length);
	return Array.from({length: count}, (_, i) => ({
		source,
		kind,
		id: `${testCase.id}#${i + 1}`,
		differences: compareRecord(testCase.expect[i], parsed[i]),
	}));
}
