import {DEFAULT_FORMAT, parseFormatString} from '../../../source/flowlog/format.js';
import type {SourceDirectory} from '../corpus.js';
import {fromUnderscoreNames, positional} from '../expected-fields.js';
import type {LinePair} from '../pair.js';

interface VrlCase {
	/** Underscore names; null is VRL's default (v2) format. */
	readonly format: string | null;
	readonly line: string;
	readonly expect: 'value' | 'parse_ok';
	readonly expected?: Readonly<Record<string, unknown>>;
}

/**
 * Vector's VRL `parse_aws_vpc_flow_log` tests. Six give full results; the rest only assert that
 * the line parses, so their values are the documented VRL semantics: format fields zipped with the
 * line split on single spaces. The docs file's four examples are among these cases already.
 */
export function vrl(directory: SourceDirectory): LinePair[] {
	const {cases} = directory.json('vrl-cases.json') as {cases: readonly VrlCase[]};
	return cases.map((testCase, i) => {
		const id = `case ${i + 1}`;
		const format = testCase.format === null ? DEFAULT_FORMAT : parseFormatString(testCase.format);
		const expect =
			testCase.expect === 'value'
				? fromUnderscoreNames(id, testCase.expected ?? {})
				: positional(id, format.fields, testCase.line.split(' '));
		return {kind: 'line', source: directory.source, id, line: testCase.line, format, expect};
	});
}
