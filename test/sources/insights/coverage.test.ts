import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER, formatFilter, parseFilter} from '../../../source/engine/filter.js';
import {Coverage} from '../../../source/sources/insights/coverage.js';
import {filterIncludes} from '../../../source/sources/insights/filter-includes.js';
import {SeenRecords} from '../../../source/sources/insights/seen-records.js';

const f = (text: string) => (text === '' ? EMPTY_FILTER : parseFilter(text));
const gaps = (coverage: Coverage, from: number, to: number, filter: string) =>
	coverage.missing(from, to, f(filter)).map(gap => [gap.from, gap.to, gap.fetched.map(fetched => formatFilter(fetched))]);

describe('filter inclusion', () => {
	it.each([
		['', 'reject', true],
		['reject', '', false],
		['reject', 'reject port:22', true],
		['eni-0a eni-0b', 'eni-0a', true],
		['eni-0a', 'eni-0a eni-0b', false],
		['10.0.0.0/16', '10.0.1.0/24', true],
		['10.0.1.0/24', '10.0.0.0/16', false],
		['10.0.0.0/16', 'src:10.0.1.5', true],
		['10.0.0.0/16', 'dst:10.0.1.5 src:192.168.0.1', true],
		['src:10.0.0.0/16', '10.0.1.5', false],
		['port:1024-65535', 'port:8080,9000-9100', true],
		['port:22', 'port:22-23', false],
		['tcp udp', 'udp', true],
		['2001:db8::/32', '10.0.0.0/8', false],
	])('%j includes %j: %s', (wide, narrow, expected) => {
		expect(filterIncludes(f(wide), f(narrow))).toBe(expected);
	});
});

describe('coverage of the timeline by filter', () => {
	it('reports what was never fetched, and what a narrower filter fetched', () => {
		const coverage = new Coverage();
		coverage.add(100, 200, f('reject'));
		expect(gaps(coverage, 0, 300, 'reject port:22')).toEqual([[0, 100, []], [200, 300, []]]);
		expect(gaps(coverage, 0, 300, '')).toEqual([[0, 100, []], [100, 200, ['reject']], [200, 300, []]]);
	});

	it('keeps the union of what was fetched, dropping filters a wider one takes in', () => {
		const coverage = new Coverage();
		coverage.add(0, 100, f('reject port:22'));
		coverage.add(50, 150, f('reject'));
		coverage.add(0, 150, f('accept'));
		expect(gaps(coverage, 0, 150, '')).toEqual([[0, 50, ['port:22 reject', 'accept']], [50, 150, ['reject', 'accept']]]);
		coverage.add(0, 150, f(''));
		expect(gaps(coverage, 0, 150, 'tcp')).toEqual([]);
	});

	it('forgets what the window has slid past', () => {
		const coverage = new Coverage();
		coverage.add(0, 100, f(''));
		coverage.forgetBefore(60);
		expect(gaps(coverage, 0, 100, '')).toEqual([[0, 60, []]]);
	});
});

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
});
