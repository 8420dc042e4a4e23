import {describe, expect, it} from 'vitest';
import {DEFAULT_FIELDS} from '../../source/flowlog/fields.js';
import {FlowColumns} from '../../source/flowlog/flow-columns.js';
import {formatOf} from '../../source/flowlog/format.js';
import {AS_TEXT, ValueParser} from '../../source/flowlog/value-parser.js';
import {type Kind, readAsText, readAsValues, type Table} from './text-form.js';

const kinds: Kind[] = ['records', 'fields', 'columns'];

/** The default format's columns, with AWS's Parquet types: int32 numbers, int64 bigints, strings. */
function defaultTable(rows: ReadonlyArray<Partial<Record<string, unknown>>>): Table {
	const good: Record<string, unknown> = {
		version: 2,
		'account-id': '123456789012',
		'interface-id': 'eni-0a1b2c3d',
		srcaddr: '10.0.1.5',
		dstaddr: '10.0.2.9',
		srcport: 49_152,
		dstport: 443,
		protocol: 6n,
		packets: 10n,
		bytes: 8400n,
		start: 1_772_355_600n,
		end: 1_772_355_660n,
		action: 'ACCEPT',
		'log-status': 'OK',
	};
	return {
		fields: DEFAULT_FIELDS,
		columns: DEFAULT_FIELDS.map(field => rows.map(row => (field in row ? row[field] : good[field]))),
	};
}

function expectSameAsText(tables: Table[]): void {
	for (const kind of kinds) {
		expect(readAsValues(tables, kind), kind).toEqual(readAsText(tables, kind));
	}
}

describe('rows of typed values (a Parquet row group)', () => {
	it("read as their text form does: AWS's int32, int64 and string columns, nulls as absent", () => {
		const table = defaultTable([
			{},
			{srcport: null, dstport: null, protocol: null, bytes: null, 'account-id': null},
			{srcaddr: '2001:DB8:0:0:0:0:0:1', dstaddr: '2001:db8::2', action: 'REJECT', 'log-status': 'NODATA'},
			{start: 1_772_355_600_000n, end: 1_772_355_660_000n, packets: 9_007_199_254_740_991n},
		]);
		expectSameAsText([table]);
		const read = readAsValues([table], 'records');
		expect(read.malformed).toBe(0);
		expect(read.results).toMatchObject([
			{src: '10.0.1.5', dstPort: 443, protocol: 6, bytes: 8400, start: 1_772_355_600, status: 'OK'},
			{srcPort: undefined, dstPort: undefined, protocol: undefined, bytes: undefined, account: undefined},
			{src: '2001:db8::1', dst: '2001:db8::2', action: 'REJECT', status: 'NODATA'},
			{start: 1_772_355_600, end: 1_772_355_660, packets: 9_007_199_254_740_991},
		]);
	});

	it('refuse a bad value for the reason the text form gives, at the line the row has there', () => {
		const table = defaultTable([
			{dstport: 70_000},
			{protocol: 256n},
			{bytes: -5n},
			{packets: 9_007_199_254_740_992n},
			{srcport: 1.5},
			{srcport: -1},
			{dstport: Number.NaN},
			{srcaddr: '10.0.0.256'},
			{dstaddr: '010.0.0.1'},
			{action: 'MAYBE'},
			{'log-status': 'ok'},
			{start: 0n},
			{},
		]);
		expectSameAsText([table]);
		const read = readAsValues([table], 'columns');
		expect(read.results).toHaveLength(1);
		expect(
			Object.entries(read.byReason).map(([reason, count]) => `${count} ${reason.replace(/ \(.*\)$/, '')}`),
		).toEqual([
			'2 bad number in dstport',
			'1 bad number in protocol',
			'1 bad number in bytes',
			'1 bad number in packets',
			'2 bad number in srcport',
			'1 bad address in srcaddr',
			'1 bad address in dstaddr',
			'1 bad value in action',
			'1 bad value in log-status',
			'1 start out of range',
		]);
		expect(read.samples[0]).toEqual({
			line: 2,
			reason: 'bad number in dstport',
			text: '2 123456789012 eni-0a1b2c3d 10.0.1.5 10.0.2.9 49152 70000 6 10 8400 1772355600 1772355660 ACCEPT OK',
		});
	});

	it('take -0 as 0, and an empty text or `-` as absent, as the text form does', () => {
		const table = defaultTable([{srcport: -0, 'interface-id': '', 'account-id': '-', action: ''}]);
		expectSameAsText([table]);
		expect(readAsValues([table], 'fields').results).toEqual([
			expect.not.objectContaining({'interface-id': expect.anything(), 'account-id': expect.anything()}),
		]);
		expect(readAsValues([table], 'records').results).toMatchObject([{srcPort: 0, eni: undefined, action: undefined}]);
	});

	it('leave a row whose text form reads otherwise to that text: numbers as text, blanks, comments, headers, JSON', () => {
		const table = defaultTable([
			{dstport: '8080', srcport: '-'},
			{dstport: ' 80'},
			{start: new Date(0)},
			{'interface-id': 'eni 0a1b'},
			{action: 'ACCEPT '},
			{dstaddr: '# a comment'},
			// A bad value, then a value that ends the line early: the line's field count is the reason.
			{srcport: 70_000, bytes: '#5'},
			{dstport: 70_000, action: '# why'},
			// A header line, in the reverse order: the rows after it are read in that format.
			Object.fromEntries(DEFAULT_FIELDS.map((field, index) => [field, DEFAULT_FIELDS.at(-1 - index)])),
			{},
		]);
		expectSameAsText([table]);
		const read = readAsValues([table], 'records');
		expect(read.formatChanges).toBe(1);
		expect(read.results).toContainEqual(expect.objectContaining({eni: 'eni\uFFFD0a1b'}));
		expect(read.results).toContainEqual(expect.objectContaining({dstPort: 8080, srcPort: undefined}));
		expect(Object.keys(read.byReason)).toContain('wrong field count: expected 14, got 9');
	});

	it('leave a first value that makes the line JSON or a header to the text form', () => {
		const table = {
			fields: ['interface-id', 'srcaddr', 'action'],
			columns: [
				['{"message":"eni-0a1b"}', 'action', 'ACCEPT'],
				['10.0.0.9', 'srcaddr', '10.0.0.9'],
				['REJECT', 'interface-id', 'eni-0a1b'],
			],
		};
		expectSameAsText([table]);
		const read = readAsValues([table], 'records');
		expect(read.byReason).toEqual({'bad JSON': 1});
		expect(read.results).toMatchObject([{eni: 'eni-0a1b', src: '10.0.0.9', action: 'ACCEPT'}]);
	});

	it('read ordinary values as they are, leaving only the odd ones to the text form', () => {
		const verdicts = (table: Table): string[] => {
			const parser = new ValueParser(formatOf(table.fields));
			const batch = new FlowColumns();
			return Array.from({length: table.columns[0]!.length}, (_, row) => {
				const verdict = parser.parseInto(batch, table.columns, row);
				return verdict === AS_TEXT ? 'as text' : (verdict ?? 'read');
			});
		};

		expect(
			verdicts(
				defaultTable([
					{},
					{'interface-id': 'eni-ünïcode', 'account-id': undefined, srcaddr: 'version'},
					{action: 'ACCEPT X'},
					{'log-status': 'O K'},
					{srcaddr: '10.0.0.1 x'},
					{dstport: 70_000, bytes: 5n, action: 'REJECT'},
					{dstport: 70_000, bytes: null, action: undefined},
					{'interface-id': 'eni 1'},
					{'interface-id': 'eni 1'},
					{srcaddr: '#'},
					{dstport: '80'},
				]),
			),
		).toEqual([
			'read',
			'bad address in srcaddr',
			'bad value in action',
			'bad value in log-status',
			'bad address in srcaddr',
			'bad number in dstport',
			'bad number in dstport',
			'as text',
			'as text',
			'as text',
			'as text',
		]);
		expect(
			verdicts({
				fields: ['interface-id', 'action'],
				columns: [
					['eni-0a1b', 'action', '{"message":"x"}'],
					['ACCEPT', 'ACCEPT', 'ACCEPT'],
				],
			}),
		).toEqual(['read', 'as text', 'as text']);
	});

	it('count lines on across tables, each table starting with its header line', () => {
		const first = defaultTable([{}, {dstport: 70_000}]);
		const second = {
			fields: ['srcaddr', 'dstaddr', 'action'],
			columns: [
				['10.0.0.1', '10.0.0.2'],
				['10.0.0.3', 'nowhere'],
				['ACCEPT', 'REJECT'],
			],
		};
		expectSameAsText([first, second]);
		const read = readAsValues([first, second], 'columns');
		expect(read.samples).toMatchObject([
			{line: 3, reason: 'bad number in dstport'},
			{line: 6, reason: 'bad address in dstaddr'},
		]);
		expect({headers: read.headers, formatChanges: read.formatChanges, lines: read.lines}).toEqual({
			headers: 2,
			formatChanges: 1,
			lines: 6,
		});
	});
});
