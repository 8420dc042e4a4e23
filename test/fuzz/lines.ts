import fc from 'fast-check';
import {v2} from '../helpers/lines.js';

/**
 * Lines for whole-file fuzzing, each with what reading it must give: a record of known bytes, a
 * malformed line, or a header. Hostile shapes are the ones that once lost, invented or crashed.
 */
export type Line =
	| {readonly kind: 'record'; readonly text: string; readonly bytes: number; readonly src: string}
	| {readonly kind: 'malformed'; readonly text: string}
	| {readonly kind: 'header'; readonly text: string};

/** Over-long lines are this long at most; the fuzzed reader's limit is set below it. */
export const LONG_LINE = 3000;
export const LINE_LIMIT = 2000;

const T = 1_700_000_000;
const eni = fc.constantFrom('eni-0aaa', 'eni-0bbb', 'eni-0ccc');
const ipv4 = fc.ipV4();
// An address AWS could write, and the one spelling the report must use for it.
const spelledIpv6 = fc.constantFrom<[string, string]>(
	['FE80:0:0:0:0:0:0:2', 'fe80::2'],
	['fe80::2', 'fe80::2'],
	['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
	['2600:1f18::9', '2600:1f18::9'],
);

const record: fc.Arbitrary<Line> = fc
	.record({
		eni,
		src: fc.oneof(
			ipv4.map((address): [string, string] => [address, address]),
			spelledIpv6,
		),
		dst: ipv4,
		bytes: fc.oneof(fc.integer({min: 0, max: 10_000}), fc.integer({min: 0, max: 2 ** 40})),
		minute: fc.integer({min: 0, max: 600}),
		action: fc.constantFrom('ACCEPT', 'REJECT'),
	})
	.map(({eni, src: [written, canonical], dst, bytes, minute, action}) => ({
		kind: 'record',
		text: v2({
			'interface-id': eni,
			srcaddr: written,
			dstaddr: dst,
			bytes,
			start: T + minute * 60,
			end: T + minute * 60 + 59,
			action,
		}),
		bytes,
		src: canonical,
	}));

const malformed = (text: fc.Arbitrary<string>): fc.Arbitrary<Line> => text.map(text => ({kind: 'malformed', text}));

// Text with no line break, opening with a character no record, header or JSON line opens with.
const garbage = fc.string({unit: 'binary', maxLength: 200}).map(text => `!${text.replaceAll('\n', ' ')}`);

const hostile: fc.Arbitrary<Line> = fc.oneof(
	malformed(garbage),
	malformed(
		fc.constantFrom(
			v2({start: 0}),
			v2({end: 99_999_999_999}),
			v2({srcaddr: '010.000.000.001'}),
			v2({srcaddr: 'fe80::1%eth0'}),
			v2({bytes: '9007199254740993'}),
			'# a comment and nothing else',
			'{"logEvents":['.repeat(2000) + ']}'.repeat(2000),
			'{"message": 5}',
			'{not json',
			'\u0000'.repeat(100),
			'\u001B]0;pwned\u0007\u001B[2J',
		),
	),
	malformed(fc.integer({min: LINE_LIMIT + 1, max: LONG_LINE}).map(length => 'x'.repeat(length))),
	malformed(
		fc
			.integer({min: 1, max: 60})
			.map(cut => `${v2().slice(0, cut)}`)
			.filter(text => text.trim() !== ''),
	),
);

const header: fc.Arbitrary<Line> = fc
	.constantFrom(
		'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
		'\uFEFFversion account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
	)
	.map(text => ({kind: 'header', text}));

/** A file's lines: mostly records, with hostile lines and (repeated) headers among them. */
export const fileLines = fc.array(
	fc.oneof({weight: 5, arbitrary: record}, {weight: 3, arbitrary: hostile}, {weight: 1, arbitrary: header}),
	{maxLength: 60},
);

/** The text of one line, record, hostile, header or random, for the parser and decoder alone. */
export const anyText = fc.oneof(
	fc.oneof(record, hostile, header).map(line => line.text),
	fc.string({unit: 'binary'}),
);
