import {describe, expect, it} from 'vitest';
import {FlowLogDecoder, parseRecord, type MalformedSample} from '../../source/flowlog/decoder.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {v2} from '../helpers/lines.js';

function decode(lines: string[], decoder = new FlowLogDecoder()): {records: FlowRecord[]; decoder: FlowLogDecoder} {
	const records: FlowRecord[] = [];
	for (const line of lines) {
		decoder.decode(line, 0, line.length, parseRecord, records);
	}

	return {records, decoder};
}

describe('the decoder', () => {
	it('switches to the format an S3 header line gives', () => {
		const {records, decoder} = decode([
			'account-id action bytes dstaddr interface-id srcaddr',
			'123456789012 REJECT 60 10.0.0.9 eni-0aaa 198.51.100.7',
		]);
		expect(records).toMatchObject([
			{action: 'REJECT', bytes: 60, dst: '10.0.0.9', src: '198.51.100.7', eni: 'eni-0aaa'},
		]);
		expect(decoder.stats.headers).toBe(1);
	});

	it('follows a repeated header in concatenated S3 objects, and skips blank lines', () => {
		const {records, decoder} = decode([
			'version srcaddr dstaddr action',
			'3 10.0.0.1 10.0.0.2 ACCEPT',
			'',
			'   ',
			'srcaddr action',
			'10.0.0.3 REJECT',
		]);
		expect(records.map(record => [record.src, record.action])).toEqual([
			['10.0.0.1', 'ACCEPT'],
			['10.0.0.3', 'REJECT'],
		]);
		expect(decoder.stats.malformed).toBe(0);
	});

	it('reads a CloudWatch export line and a subscription envelope', () => {
		const {records} = decode([
			JSON.stringify({message: v2({srcaddr: '10.9.9.9'})}),
			JSON.stringify({
				messageType: 'DATA_MESSAGE',
				logEvents: [
					{id: '1', message: v2({bytes: 1})},
					{id: '2', message: v2({bytes: 2})},
				],
			}),
		]);
		expect(records.map(record => record.bytes)).toEqual([1000, 1, 2]);
		expect(records[0]!.src).toBe('10.9.9.9');
	});

	it('takes a message that ends in a line break like one that does not', () => {
		const {records, decoder} = decode([
			JSON.stringify({logEvents: [{message: `${v2({bytes: 5})}\n`}, {message: `${v2({bytes: 6})}\r\n`}]}),
		]);
		expect(records.map(record => record.bytes)).toEqual([5, 6]);
		expect(decoder.stats.malformed).toBe(0);
	});

	it('counts malformed lines by reason, keeps the first five and reports each as met', () => {
		const seen: MalformedSample[] = [];
		const {records, decoder} = decode(
			[
				v2(),
				'Phony unsupported log format.',
				...Array.from({length: 6}, (_, i) => v2({srcaddr: `10.0.0.${300 + i}`})),
				'{not json',
			],
			new FlowLogDecoder(undefined, sample => seen.push(sample)),
		);
		expect(records).toHaveLength(1);
		expect(decoder.stats.malformed).toBe(8);
		expect(Object.fromEntries(decoder.stats.byReason)).toEqual({
			'wrong field count: expected 14, got 4': 1,
			'bad address in srcaddr': 6,
			'bad JSON': 1,
		});
		expect(decoder.stats.samples).toHaveLength(5);
		expect(decoder.stats.samples[0]).toEqual({
			line: 2,
			reason: 'wrong field count: expected 14, got 4',
			text: 'Phony unsupported log format.',
		});
		expect(seen.map(sample => sample.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
	});

	it('adds up the stats of the input that followed, numbering its lines after this one', () => {
		const first = decode([v2(), 'garbage', v2()]).decoder;
		const second = decode(['', v2({srcaddr: 'nowhere'}), 'garbage']).decoder;
		expect(first.lines).toBe(3);
		first.stats.absorb(second.stats, first.lines);
		expect(first.stats.malformed).toBe(3);
		expect(first.stats.samples.map(sample => sample.line)).toEqual([2, 5, 6]);
		expect([...first.stats.byReason.values()].reduce((sum, count) => sum + count, 0)).toBe(3);
	});

	it('reads an S3 header line behind a byte-order mark', () => {
		const {records, decoder} = decode(['\uFEFFversion srcaddr dstaddr action', '3 10.0.0.1 10.0.0.2 ACCEPT']);
		expect(records).toMatchObject([{src: '10.0.0.1', action: 'ACCEPT'}]);
		expect(decoder.stats).toMatchObject({headers: 1, malformed: 0});
	});

	it('counts a JSON line nested 2,000 deep as malformed instead of overflowing the stack', () => {
		const deep = '{"logEvents":['.repeat(2000) + ']}'.repeat(2000);
		const {records, decoder} = decode([deep, JSON.stringify({message: v2()})]);
		expect(records).toHaveLength(1);
		expect(Object.fromEntries(decoder.stats.byReason)).toEqual({'JSON nested deeper than 16 levels': 1});
	});

	it('counts a header that changes the format, not one that repeats it', () => {
		const {decoder} = decode([
			'version srcaddr dstaddr action',
			'3 10.0.0.1 10.0.0.2 ACCEPT',
			'version srcaddr dstaddr action',
			'version srcaddr action',
			'3 10.0.0.1 ACCEPT',
		]);
		expect(decoder.stats.headers).toBe(3);
		expect(decoder.formatChanges).toBe(2);
	});
});
