import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {describe, expect, it} from 'vitest';
import {FlowLogDecoder, parseRecord} from '../../source/flowlog/decoder.js';
import {DEFAULT_FORMAT} from '../../source/flowlog/format.js';
import {LineParser} from '../../source/flowlog/parser.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {anyText} from './lines.js';
import {fuzz} from './settings.js';

const parser = new LineParser(DEFAULT_FORMAT);
const line = anyText;

function isCanonical(address: string | undefined): boolean {
	return (
		address === undefined ||
		(address.includes(':')
			? ipaddr.IPv6.parse(address).toRFC5952String() === address
			: ipaddr.IPv4.isValidFourPartDecimal(address))
	);
}

describe('fuzz: the parser, over good, hostile and random lines', () => {
	it('gives a record or a reason, never throws, and parse() and fields() agree', () => {
		fc.assert(
			fc.property(line, text => {
				const record = parser.parse(text);
				const fields = parser.fields(text);
				expect(typeof record === 'string' ? record : 'a record').toBe(typeof fields === 'string' ? fields : 'a record');
			}),
			fuzz(2000),
		);
	});

	it('keeps only values in range: canonical addresses, ports, protocol, safe sums, times from 2000 to tomorrow', () => {
		fc.assert(
			fc.property(line, text => {
				const record = parser.parse(text);
				if (typeof record === 'string') {
					return;
				}

				expect(isCanonical(record.src) && isCanonical(record.dst)).toBe(true);
				for (const port of [record.srcPort, record.dstPort]) {
					expect(port === undefined || (port >= 0 && port <= 65_535)).toBe(true);
				}

				expect(record.protocol === undefined || record.protocol <= 255).toBe(true);
				expect(record.bytes === undefined || Number.isSafeInteger(record.bytes)).toBe(true);
				for (const time of [record.start, record.end]) {
					expect(time === undefined || (time >= 946_684_800 && time < Date.now() / 1000 + 86_400)).toBe(true);
				}
			}),
			fuzz(2000),
		);
	});
});

describe('fuzz: the decoder', () => {
	it('accounts for every line: a record, a malformed line, a header or a blank line, and never throws', () => {
		fc.assert(
			fc.property(fc.array(line, {maxLength: 20}), texts => {
				const decoder = new FlowLogDecoder();
				const out: FlowRecord[] = [];
				for (const text of texts.filter(text => !text.includes('\n') && !text.trimStart().startsWith('{'))) {
					const before = {records: out.length, malformed: decoder.stats.malformed, headers: decoder.stats.headers};
					decoder.decode(text, 0, text.length, parseRecord, out);
					const outcomes =
						out.length -
						before.records +
						(decoder.stats.malformed - before.malformed) +
						(decoder.stats.headers - before.headers);
					expect(outcomes).toBe(/^[ \t\r]*$/.test(text.replace(/^\uFEFF/, '')) ? 0 : 1);
				}
			}),
			fuzz(1000),
		);
	});
});
