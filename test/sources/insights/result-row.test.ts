import {describe, expect, it} from 'vitest';
import {parseInsightsTime, resultRow} from '../../../source/sources/insights/result-row.js';

const AT = Date.UTC(2026, 10, 28, 19, 55, 0);

describe('a time as CloudWatch Logs-compatible endpoints print it', () => {
	it.each([
		['AWS, with milliseconds', '2026-11-28 19:55:00.000'],
		['AWS, without', '2026-11-28 19:55:00'],
		['ISO 8601', '2026-11-28T19:55:00.000Z'],
		['epoch milliseconds as text (moto)', String(AT)],
		['epoch milliseconds as a number', AT],
		['text with blanks around it', ` 2026-11-28 19:55:00.000\n`],
	])('is read from %s', (_, value) => {
		expect(parseInsightsTime(value)).toBe(AT);
	});

	it('is read to the millisecond, down to the first and up to the last a request can carry', () => {
		expect(parseInsightsTime('2026-11-28 19:55:00.123456789')).toBe(AT + 123);
		expect(parseInsightsTime('0')).toBe(0);
		expect(parseInsightsTime('9999-12-31 23:59:59.999')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
	});

	it.each([
		['nothing', undefined],
		['text', 'yesterday'],
		['NaN', Number.NaN],
		['a fraction', 1.5],
		['an impossible date', '2026-13-45 19:55:00.000'],
		['a negative', -1],
		['the year 10000', 253_402_300_800_000],
		['a time with words after it', '2026-11-28 19:55:00 UTC'],
		['a time with words before it', 'at 2026-11-28 19:55:00'],
		['a number JavaScript reads but no endpoint prints', '1e12'],
	])('is unreadable from %s, never guessed at', (_, value) => {
		expect(parseInsightsTime(value)).toBeUndefined();
	});
});

describe('a result row', () => {
	it('is told apart by @ptr and message, for endpoints that number @ptr in each query (moto)', () => {
		const row = (ptr: string, message: string) =>
			resultRow([
				{field: '@ptr', value: ptr},
				{field: '@message', value: message},
			])!.key;
		expect(row('0', 'first record')).toBe(row('0', 'first record'));
		expect(row('0', 'first record')).not.toBe(row('0', 'second record'));
		expect(row('0', 'first record')).not.toBe(row('1', 'first record'));
	});

	it('keeps an unreadable time as unknown, and the record with it', () => {
		const row = resultRow([
			{field: '@ptr', value: 'p1'},
			{field: '@message', value: 'line'},
			{field: '@timestamp', value: String(AT)},
		]);
		expect(row).toMatchObject({ptr: 'p1', message: 'line', timestamp: AT, ingestionTime: undefined});
	});

	it('carries when CloudWatch received the record, where the endpoint says', () => {
		const row = resultRow([
			{field: '@ptr', value: 'p1'},
			{field: '@message', value: 'line'},
			{field: '@ingestionTime', value: '2026-11-28 19:55:00.000'},
		]);
		expect(row?.ingestionTime).toBe(AT);
	});

	it('is nothing to count without its @ptr or its message', () => {
		expect(resultRow([{field: '@message', value: 'line'}])).toBeUndefined();
		expect(resultRow([{field: '@ptr', value: 'p1'}])).toBeUndefined();
	});
});
