import {DEFAULT_FORMAT} from '../../../source/flowlog/format.js';
import type {SourceDirectory} from '../corpus.js';
import {ExpectedFields} from '../expected-fields.js';
import type {FileCase} from '../pair.js';

interface PantherCase {
	readonly test: string;
	readonly header: string;
	readonly line: string;
	readonly expected_panther: Readonly<Record<string, unknown>>;
	readonly expected_epoch: {readonly start: number; readonly end: number};
}

interface PantherCases {
	/** Panther's camelCase name → AWS field name. */
	readonly field_names: Readonly<Record<string, string>>;
	readonly cases: readonly PantherCase[];
}

/**
 * Panther's header-driven parser: each case is a two-line S3 file. Columns Panther has no field for
 * (an unknown header column) are not compared; its deliberate leniencies are listed in
 * deliberate-differences.ts.
 */
export function panther(directory: SourceDirectory): FileCase[] {
	const {field_names: fieldNames, cases} = directory.json('panther-vpcflow-cases.json') as PantherCases;
	const known = new Set(Object.values(fieldNames));
	return cases.map(testCase => {
		const expected = new ExpectedFields(testCase.test);
		expected.ignore(testCase.header.split(' ').filter(column => !known.has(column)));
		for (const [key, value] of Object.entries(testCase.expected_panther)) {
			const field = fieldNames[key];
			if (field === undefined) {
				throw new Error(`panther ${testCase.test}: no flow-log field for ${key}`);
			}

			expected.set(field, value);
		}

		// The ISO start/end above are renderings of these; setting both checks they agree.
		expected.set('start', testCase.expected_epoch.start);
		expected.set('end', testCase.expected_epoch.end);
		const text = `${testCase.header}\n${testCase.line}\n`;
		return {
			kind: 'file',
			source: directory.source,
			id: testCase.test,
			text,
			format: DEFAULT_FORMAT,
			expect: [expected.build()],
		};
	});
}
