import {describe, expect, it} from 'vitest';
import {
	DEFAULT_FORMAT,
	FormatError,
	formatLine,
	formatOf,
	headerFormat,
	parseFormatString,
} from '../../source/flowlog/format.js';
import {fieldSpec} from '../../source/flowlog/fields.js';

describe('format strings', () => {
	it("read AWS's ${field} form", () => {
		expect(parseFormatString('${version} ${vpc-id} ${srcaddr}').fields).toEqual(['version', 'vpc-id', 'srcaddr']);
	});

	it('read bare names, with underscores taken for hyphens', () => {
		expect(parseFormatString('version account_id interface_id').fields).toEqual([
			'version',
			'account-id',
			'interface-id',
		]);
	});

	it('know the default format when they see it', () => {
		expect(
			parseFormatString(
				'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
			).isDefault,
		).toBe(true);
		expect(parseFormatString('version srcaddr').isDefault).toBe(false);
	});

	it('name an unknown field and suggest the closest', () => {
		expect(() => parseFormatString('${version} ${srcadr}')).toThrow(
			new FormatError('unknown flow-log field "srcadr" in the format (did you mean srcaddr?)'),
		);
		expect(() => parseFormatString('${version} ${qqqqqqqqqqqq}')).toThrow(
			new FormatError('unknown flow-log field "qqqqqqqqqqqq" in the format'),
		);
	});

	it('refuse a field given twice, and an empty format', () => {
		expect(() => parseFormatString('srcaddr srcaddr')).toThrow('appears twice');
		expect(() => parseFormatString('  ')).toThrow('the format is empty');
	});
});

describe('header lines', () => {
	it('are recognised and give the format', () => {
		expect(
			headerFormat(
				'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
			)?.isDefault,
		).toBe(true);
		expect(headerFormat('account-id action az-id bytes dstaddr')?.fields).toEqual([
			'account-id',
			'action',
			'az-id',
			'bytes',
			'dstaddr',
		]);
	});

	it('keep a column newer than the catalog when most are known', () => {
		expect(headerFormat('version srcaddr dstaddr some-new-field')?.fields).toEqual([
			'version',
			'srcaddr',
			'dstaddr',
			'some-new-field',
		]);
	});

	it('are never a data line', () => {
		expect(
			headerFormat('2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA'),
		).toBeUndefined();
		expect(headerFormat('- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5')).toBeUndefined();
		expect(headerFormat('phony unsupported log format.')).toBeUndefined();
	});
});

describe('formatLine', () => {
	it('writes - for absent values, as AWS does', () => {
		expect(
			formatLine(
				{version: 2, 'account-id': '1', 'interface-id': 'eni-1', 'log-status': 'NODATA', start: 5, end: 6},
				DEFAULT_FORMAT,
			),
		).toBe('2 1 eni-1 - - - - - - - 5 6 - NODATA');
	});
});

describe('the field catalog', () => {
	it('gives each field its Logs Insights name', () => {
		expect(fieldSpec('interface-id')?.insights).toBe('interfaceId');
		expect(fieldSpec('srcaddr')?.insights).toBe('srcAddr');
		expect(fieldSpec('start')?.insights).toBe('startTime');
		expect(fieldSpec('log-status')?.insights).toBe('logStatus');
		expect(fieldSpec('pkt-src-aws-service')?.insights).toBe('pktSrcAwsService');
	});
});

describe('an S3 header line', () => {
	it('names the format of the lines after it, around spaces at either end', () => {
		expect(headerFormat(' version srcaddr dstaddr ')?.fields).toEqual(['version', 'srcaddr', 'dstaddr']);
	});

	it('may hold a column this catalog does not know, as long as most are known', () => {
		expect(headerFormat('version srcaddr new-field')?.fields).toEqual(['version', 'srcaddr', 'new-field']);
		expect(headerFormat('version srcaddr new-field other-field')).toBeUndefined();
	});

	it('is never a data line, nor an empty one', () => {
		expect(headerFormat('')).toBeUndefined();
		expect(headerFormat('   ')).toBeUndefined();
		expect(headerFormat('version srcaddr 10.0.0.1')).toBeUndefined();
		expect(headerFormat('version srcaddr ACCEPT')).toBeUndefined();
		expect(
			headerFormat('2 123456789012 eni-0abc 10.0.1.5 10.0.2.9 44321 443 6 10 840 1700000000 1700000060 ACCEPT OK'),
		).toBeUndefined();
	});
});

describe('the default format', () => {
	it('is the fourteen version 2 fields in their order, and no other order', () => {
		const swapped = [...DEFAULT_FORMAT.fields];
		[swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
		expect(formatOf(swapped).isDefault).toBe(false);
		expect(formatOf([...DEFAULT_FORMAT.fields]).isDefault).toBe(true);
	});

	it('takes ${name} whole, never a name with text around it', () => {
		expect(() => parseFormatString('${version} x${srcaddr}')).toThrow(FormatError);
		expect(() => parseFormatString('${version} ${srcaddr}x')).toThrow(FormatError);
		expect(() => parseFormatString('${version} ${srcaddr}')).not.toThrow();
	});

	it('says a format error is one, by name', () => {
		expect(() => parseFormatString('nonsense')).toThrow(expect.objectContaining({name: 'FormatError'}));
	});
});
