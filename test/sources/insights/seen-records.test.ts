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
