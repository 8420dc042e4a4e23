import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {fieldSpec} from '../../source/flowlog/fields.js';
import {type Kind, readAsText, readAsValues} from '../flowlog/text-form.js';
import {fuzz} from './settings.js';

// Every field the value parser treats apart, and one of each other kind (region is text,
// traffic-path a number).
const FIELDS = [
	'version',
	'account-id',
	'interface-id',
	'srcaddr',
	'dstaddr',
	'srcport',
	'dstport',
	'protocol',
	'packets',
	'bytes',
	'start',
	'end',
	'action',
	'log-status',
	'flow-direction',
	'tcp-flags',
	'pkt-srcaddr',
	'reject-reason',
	'region',
	'traffic-path',
];

// What a Parquet reader may hand over: each column's own type, another, null, and the odd ones.
const anyValue = fc.oneof(
	fc.constantFrom(null, undefined),
	fc.string({maxLength: 6}),
	fc.integer(),
	fc.constantFrom(-0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, true, new Date(0), '', '-', '#', '# x'),
	fc.constantFrom('version', 'srcaddr', '{"message":"x"}', 'a b', 'x\u00A0y', '\uFEFFz', ' 80', '80'),
);

const values: Record<string, fc.Arbitrary<unknown>> = {
	int: fc.oneof(
		{weight: 3, arbitrary: fc.oneof(fc.nat(70_000), fc.bigInt({min: -5n, max: 2n ** 54n}))},
		fc.constantFrom(1_772_355_600, 1_772_355_600_000, 1_772_355_600n, 9_007_199_254_740_993n),
		anyValue,
	),
	ip: fc.oneof(
		{
			weight: 3,
			arbitrary: fc.constantFrom('10.0.0.1', '10.0.0.256', '010.0.0.1', '2001:DB8::1', 'fe80::1%eth0', '::1 '),
		},
		anyValue,
	),
	string: fc.oneof(
		{
			weight: 3,
			arbitrary: fc.constantFrom('ACCEPT', 'REJECT', 'OK', 'NODATA', 'SKIPDATA', 'ingress', 'egress', 'eni-0a1b'),
		},
		anyValue,
	),
};

const tables = fc.array(
	fc
		.shuffledSubarray(FIELDS, {minLength: 1})
		.chain(fields =>
			fc
				.array(fc.tuple(...fields.map(field => values[fieldSpec(field)!.type]!)), {maxLength: 8})
				.map(rows => ({fields, columns: fields.map((_, index) => rows.map(row => row[index]))})),
		),
	{minLength: 1, maxLength: 3},
);

describe('fuzz: rows of typed values', () => {
	it('are read as their text form is: the same records, field maps, columns, reasons and line numbers', () => {
		fc.assert(
			fc.property(tables, fc.integer({min: 1, max: 5}), (given, slice) => {
				for (const kind of ['records', 'fields', 'columns'] as Kind[]) {
					expect(readAsValues(given, kind, slice)).toEqual(readAsText(given, kind));
				}
			}),
			fuzz(1500),
		);
	});
});
