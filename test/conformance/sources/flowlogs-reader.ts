import {DEFAULT_FORMAT} from '../../../source/flowlog/format.js';
import type {SourceDirectory} from '../corpus.js';
import {fromUnderscoreNames} from '../expected-fields.js';
import {malformed, type Case, type Expectation} from '../pair.js';

type Values = Readonly<Record<string, unknown>>;

type ReaderPair =
	| {readonly input_file: string; readonly expected: readonly Values[]}
	| {readonly input_line: string; readonly expected: Values}
	| {readonly input_line: string; readonly expected_partial: Values};

// The reader skips a line whose token count differs from the header's; every other line is a record.
function fileExpectations(name: string, text: string, records: readonly Values[]): Expectation[] {
	const [header = '', ...lines] = text.split('\n').filter(line => line !== '');
	const width = header.split(' ').length;
	const remaining = [...records];
	const expectations = lines.map((line, i) => {
		if (line.split(' ').length !== width) {
			return malformed;
		}

		const values = remaining.shift();
		if (values === undefined) {
			throw new Error(`flowlogs-reader ${name}: more records than expected values`);
		}

		return fromUnderscoreNames(`${name}#${i + 1}`, values);
	});
	if (remaining.length > 0) {
		throw new Error(`flowlogs-reader ${name}: ${remaining.length} expected values without a line`);
	}

	return expectations;
}

/**
 * obsrvbl-oss/flowlogs-reader: S3 files with alphabetical headers, default-format lines, and
 * millisecond epochs (divided by 1000 above 2^31, which flowtop does too, for 13-digit values).
 * Keys absent from its records are `-` fields: its to_dict drops None.
 */
export function flowlogsReader(directory: SourceDirectory): Case[] {
	const {pairs} = directory.json('flowlogs-reader-expected.json') as {pairs: readonly ReaderPair[]};
	return pairs.map((pair, i): Case => {
		if ('input_file' in pair) {
			const text = directory.text(pair.input_file);
			const expect = fileExpectations(pair.input_file, text, pair.expected);
			return {kind: 'file', source: directory.source, id: pair.input_file, text, format: DEFAULT_FORMAT, expect};
		}

		const id = `pair ${i + 1}`;
		const expect =
			'expected' in pair
				? fromUnderscoreNames(id, pair.expected)
				: fromUnderscoreNames(id, pair.expected_partial, true);
		return {kind: 'line', source: directory.source, id, line: pair.input_line, format: DEFAULT_FORMAT, expect};
	});
}
