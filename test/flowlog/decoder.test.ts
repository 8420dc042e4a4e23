import {describe, expect, it} from 'vitest';
import {
	FlowLogDecoder,
	headerFormatNote,
	ParseStats,
	parseRecord,
	type MalformedSample,
} from '../../source/flowlog/decoder.js';
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

	it('cuts a long malformed line to its first 200 characters in the sample, and keeps one of 200 whole', () => {
		const {decoder} = decode(['x'.repeat(200), 'y'.repeat(201)]);
		expect(decoder.stats.samples.map(sample => sample.text)).toEqual(['x'.repeat(200), `${'y'.repeat(200)}…`]);
	});

	it('adds the headers of the input that followed, and keeps five samples in all', () => {
		const first = decode(['version srcaddr action', 'a', 'b', 'c']).decoder;
		const second = decode(['srcaddr action', 'd', 'e', 'f']).decoder;
		first.stats.absorb(second.stats, 10);
		expect(first.stats.headers).toBe(2);
		expect(first.stats.samples.map(sample => [sample.line, sample.text])).toEqual([
			[2, 'a'],
			[3, 'b'],
			[4, 'c'],
			[12, 'd'],
			[13, 'e'],
		]);
	});

	it('reads around tabs, carriage returns and spaces at either end, and skips a line of only those', () => {
		const {records, decoder} = decode([`\t \r${v2({bytes: 7})}\r\t `, '\t\r ', '\uFEFF', `\uFEFF${v2({bytes: 8})}`]);
		expect(records.map(record => record.bytes)).toEqual([7, 8]);
		expect(decoder.stats.malformed).toBe(0);
		expect(decoder.lines).toBe(4);
	});

	it('counts an over-long line as malformed by its first characters, on its own line number', () => {
		const seen: MalformedSample[] = [];
		const decoder = new FlowLogDecoder(undefined, sample => seen.push(sample));
		decode([v2()], decoder);
		decoder.overlong('2 123456789012 eni-0aaa', 1_000_000);
		decode([v2()], decoder);
		expect(decoder.lines).toBe(3);
		expect(seen).toEqual([
			{line: 2, reason: 'line longer than 1,000,000 characters', text: '2 123456789012 eni-0aaa…'},
		]);
	});

	it('counts JSON that carries no message as malformed, whatever its shape', () => {
		const {records, decoder} = decode([
			'{"level": "info"}',
			'{"message": 5}',
			'{"logEvents": [1, null, {"message": 5}, {"id": "x"}]}',
			'{"logEvents": "not a list"}',
			JSON.stringify({'@message': v2({bytes: 9})}),
			JSON.stringify({logEvents: [null, {message: v2({bytes: 10})}]}),
		]);
		expect(records.map(record => record.bytes)).toEqual([9, 10]);
		expect(Object.fromEntries(decoder.stats.byReason)).toEqual({'JSON without a message': 4});
	});

	it('counts a malformed message inside JSON by its own reason, and keeps the good ones beside it', () => {
		const {records, decoder} = decode([
			JSON.stringify({logEvents: [{message: 'garbage'}, {message: v2({bytes: 14})}]}),
			JSON.stringify({'@message': v2({srcaddr: '10.0.0.999'})}),
		]);
		expect(records.map(record => record.bytes)).toEqual([14]);
		expect(Object.fromEntries(decoder.stats.byReason)).toEqual({
			'wrong field count: expected 14, got 1': 1,
			'bad address in srcaddr': 1,
		});
		expect(decoder.stats.samples.map(sample => sample.text)).toEqual(['garbage', v2({srcaddr: '10.0.0.999'})]);
	});

	it('counts the nesting of objects and arrays, not the brackets inside strings', () => {
		const nested = (depth: number, open = '{"a":', close = '}') =>
			`${open.repeat(depth - 1)}{"message": "-"}${close.repeat(depth - 1)}`;
		const withBrackets = JSON.stringify({
			message: v2({bytes: 11}),
			note: '{{{{{{{{{{{{{{{{{{{{[[[[[[[[[[[[[[[[[[\\"{{{{{{{{{{{{{{{{{{{',
		});
		const siblings = `{${Array.from({length: 40}, (_, i) => `"k${i}": {"v": [1]}`).join(', ')}, "message": ${JSON.stringify(v2({bytes: 12}))}}`;
		const {records, decoder} = decode([nested(16), nested(17), nested(17, '{"a":[', ']}'), withBrackets, siblings]);
		expect(records.map(record => record.bytes)).toEqual([11, 12]);
		expect(Object.fromEntries(decoder.stats.byReason)).toEqual({
			'JSON without a message': 1,
			'JSON nested deeper than 16 levels': 2,
		});
	});

	it('reads a line that starts like a header but is not one as a record line', () => {
		const {records, decoder} = decode(['version nonsense words', 'hello world', v2({bytes: 13})]);
		expect(records.map(record => record.bytes)).toEqual([13]);
		expect(decoder.stats.headers).toBe(0);
		expect(decoder.stats.malformed).toBe(2);
		expect(decoder.format.fields).toHaveLength(14);
	});

	it('gives the format a header switched to', () => {
		const {decoder} = decode(['srcaddr dstaddr action']);
		expect(decoder.format.fields).toEqual(['srcaddr', 'dstaddr', 'action']);
	});
});

describe('the note when --format met a header', () => {
	it('is said only when --format was given and a header overrode it', () => {
		const withHeader = new ParseStats();
		withHeader.headers = 1;
		expect(headerFormatNote(true, withHeader)).toBe(
			"the file's header names its format: --format was used only before it",
		);
		expect(headerFormatNote(false, withHeader)).toBeUndefined();
		expect(headerFormatNote(true, new ParseStats())).toBeUndefined();
	});
});
