import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {describe, expect, it} from 'vitest';
import {FIELDS, type FieldSpec} from '../../source/flowlog/fields.js';
import {formatLine, formatOf, formatVersion, parseFormatString, awsFormatString} from '../../source/flowlog/format.js';
import {LineParser} from '../../source/flowlog/parser.js';
import {fuzz} from '../fuzz/settings.js';

/** The record's word for a `flow-direction` value: the log writes ingress/egress, flowtop reads inbound/outbound. */
function directionOf(text: string | number | undefined): string | undefined {
	return text === 'ingress' ? 'inbound' : text === 'egress' ? 'outbound' : undefined;
}

const enums: Record<string, readonly string[]> = {
	action: ['ACCEPT', 'REJECT'],
	'log-status': ['OK', 'NODATA', 'SKIPDATA'],
	'flow-direction': ['ingress', 'egress'],
	type: ['IPv4', 'IPv6', 'EFA'],
};

const ranges: Record<string, {min: number; max: number}> = {
	srcport: {min: 0, max: 65_535},
	dstport: {min: 0, max: 65_535},
	protocol: {min: 0, max: 255},
	start: {min: 946_684_800, max: Math.floor(Date.now() / 1000)},
	end: {min: 946_684_800, max: Math.floor(Date.now() / 1000)},
};

// AWS writes IPv6 as RFC 5952 does (lower case, the longest run of zeros as ::).
const ipV6 = fc.ipV6().map(address => ipaddr.IPv6.parse(address).toRFC5952String());

// Values AWS could write: ids and names never hold spaces, never are a lone `-`, never open with `#`.
const text = fc.stringMatching(/^[\w.:/@=+-]{1,40}$/).filter(value => value !== '-' && !value.startsWith('#'));

function valueFor(spec: FieldSpec): fc.Arbitrary<string | number | undefined> {
	const value: fc.Arbitrary<string | number> = enums[spec.name]
		? fc.constantFrom(...enums[spec.name]!)
		: spec.type === 'int'
			? fc.integer(ranges[spec.name] ?? {min: 0, max: Number.MAX_SAFE_INTEGER})
			: spec.type === 'ip'
				? fc.oneof(fc.ipV4(), ipV6)
				: text;
	return fc.option(value, {nil: undefined, freq: 5});
}

/** A custom format of some version: fields of that version or older, in any order, at least one of that version. */
const formatOfVersion = fc.integer({min: 2, max: 11}).chain(version => {
	const eligible = FIELDS.filter(spec => spec.version <= version);
	const newest = FIELDS.filter(spec => spec.version === version);
	return fc
		.tuple(fc.constantFrom(...newest), fc.shuffledSubarray(eligible, {minLength: 1}))
		.map(([required, others]) =>
			formatOf([required.name, ...others.map(spec => spec.name).filter(name => name !== required.name)]),
		);
});

const recordAndFormat = formatOfVersion.chain(format =>
	fc
		.record(Object.fromEntries(format.fields.map(name => [name, valueFor(FIELDS.find(spec => spec.name === name)!)])))
		.map(values => ({format, values})),
);

describe('records of every version survive format -> parse', () => {
	it('fields() gives back exactly the values written, - for absent', () => {
		fc.assert(
			fc.property(recordAndFormat, ({format, values}) => {
				const line = formatLine(values, format);
				const expected = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
				expect(new LineParser(format).fields(line)).toEqual(expected);
			}),
			fuzz(500),
		);
	});

	it('parse() fills the record the engine reads', () => {
		fc.assert(
			fc.property(recordAndFormat, ({format, values}) => {
				const record = new LineParser(format).parse(formatLine(values, format));
				expect(record).not.toBeTypeOf('string');
				expect(record).toMatchObject({
					src: values.srcaddr,
					dst: values.dstaddr,
					srcPort: values.srcport,
					dstPort: values.dstport,
					protocol: values.protocol,
					bytes: values.bytes,
					packets: values.packets,
					eni: values['interface-id'],
					action: values.action,
					status: values['log-status'] ?? 'OK',
					direction: directionOf(values['flow-direction']),
				});
			}),
			fuzz(500),
		);
	});

	it('the AWS format string of a format parses back to it', () => {
		fc.assert(
			fc.property(formatOfVersion, format => {
				expect(parseFormatString(awsFormatString(format)).fields).toEqual(format.fields);
			}),
		);
	});

	it("the version of a format is its newest field's", () => {
		expect(formatVersion(parseFormatString('${version} ${srcaddr} ${flow-direction}'))).toBe(5);
		expect(formatVersion(parseFormatString('${srcaddr} ${dstaddr}'))).toBe(2);
		expect(formatVersion(parseFormatString('${srcaddr} ${reject-reason}'))).toBe(8);
	});
});
