import {describe, expect, it} from 'vitest';
import {
	INITIAL_MARGIN_MS,
	MARGIN_CEILING_MS,
	MARGIN_FLOOR_MS,
	SearchableMargin,
} from '../../../source/sources/insights/searchable-margin.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('the margin left for records not yet searchable', () => {
	it('starts at a few times the usual lag, with no lag measured', () => {
		const margin = new SearchableMargin();
		expect(margin.marginMs).toBe(INITIAL_MARGIN_MS);
		expect(margin.lagMs).toBeUndefined();
	});

	it('shrinks to its floor when a re-check finds nothing late', () => {
		const margin = new SearchableMargin();
		margin.rechecked(10 * MINUTE, []);
		expect(margin.marginMs).toBe(MARGIN_FLOOR_MS);
	});

	it('covers the largest lag seen, half again, in whole seconds', () => {
		const margin = new SearchableMargin();
		margin.rechecked(10 * MINUTE, [20 * SECOND, 40_100]);
		expect(margin.lagMs).toBe(40_100);
		// 1.5 x 40.1 s = 60.15 s, up to 61 s.
		expect(margin.marginMs).toBe(61 * SECOND);
	});

	it('never goes under the floor nor over the ceiling, and counts a negative lag as none', () => {
		const margin = new SearchableMargin();
		margin.rechecked(10 * MINUTE, [-5 * SECOND]);
		expect(margin.lagMs).toBe(0);
		expect(margin.marginMs).toBe(MARGIN_FLOOR_MS);
		margin.rechecked(11 * MINUTE, [1 * SECOND]);
		expect(margin.marginMs).toBe(MARGIN_FLOOR_MS);
		margin.rechecked(12 * MINUTE, [10 * MINUTE]);
		expect(margin.marginMs).toBe(MARGIN_CEILING_MS);
	});

	it('remembers a lag for half an hour, then lets the margin come back down', () => {
		const margin = new SearchableMargin();
		margin.rechecked(0, [60 * SECOND]);
		margin.rechecked(30 * MINUTE, []);
		expect(margin.marginMs).toBe(90 * SECOND);
		margin.rechecked(30 * MINUTE + 1, []);
		expect(margin.lagMs).toBeUndefined();
		expect(margin.marginMs).toBe(MARGIN_FLOOR_MS);
	});
});
