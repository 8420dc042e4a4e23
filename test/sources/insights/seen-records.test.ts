import {describe, expect, it} from 'vitest';
import {SeenRecords} from '../../../source/sources/insights/seen-records.js';

describe('records already taken in', () => {
	it('are known by @ptr until their minute is forgotten', () => {
		const seen = new SeenRecords();
		seen.add('a', 61_000);
		seen.add('b', 125_000);
		expect(seen.has('a', 61_000)).toBe(true);
		expect(seen.has('c', 61_000)).toBe(false);
		expect(seen.forgetBefore(130_000)).toBe(120_000);
		expect(seen.has('a', 61_000)).toBe(false);
		expect(seen.has('b', 125_000)).toBe(true);
		expect(seen.size).toBe(1);
		// The watermark never moves back, and nothing behind it is kept.
		expect(seen.forgetBefore(0)).toBe(120_000);
		seen.add('old', 10_000);
		expect(seen.size).toBe(1);
	});

	it('are found by @ptr alone when the row gave no readable @timestamp', () => {
		const seen = new SeenRecords();
		seen.add('undated', 185_000);
		expect(seen.has('undated', undefined)).toBe(true);
		expect(seen.has('other', undefined)).toBe(false);
	});
});

describe('the minutes records are kept by', () => {
	it('hold every record of the minute, and a key only in the minute it was stamped in', () => {
		const seen = new SeenRecords();
		seen.add('a', 61_000);
		seen.add('b', 62_000);
		seen.add('c', 185_000);
		expect([seen.has('a', 61_000), seen.has('b', 62_000), seen.has('c', 185_000)]).toEqual([true, true, true]);
		expect(seen.has('a', 185_000)).toBe(false);
		expect(seen.has('a', undefined)).toBe(true);
		expect(seen.size).toBe(3);
	});

	it('are forgotten further as time goes on, keeping a record stamped right at the watermark', () => {
		const seen = new SeenRecords();
		seen.add('a', 125_000);
		expect(seen.forgetBefore(130_000)).toBe(120_000);
		seen.add('at the watermark', 120_000);
		expect(seen.size).toBe(2);
		expect(seen.forgetBefore(200_000)).toBe(180_000);
		expect(seen.watermark).toBe(180_000);
		expect(seen.size).toBe(0);
	});
});
