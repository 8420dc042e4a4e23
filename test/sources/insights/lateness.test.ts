import {describe, expect, it} from 'vitest';
import {
	HORIZON_CEILING_MS,
	HORIZON_FLOOR_MS,
	INITIAL_HORIZON_MS,
	Lateness,
} from '../../../source/sources/insights/lateness.js';
import {Backoff} from '../../../source/sources/insights/backoff.js';

const MINUTE = 60_000;

describe('the lateness horizon', () => {
	it('starts at the 10-minute interval plus typical delivery, until a record says otherwise', () => {
		const lateness = new Lateness();
		expect(lateness.horizonMs).toBe(INITIAL_HORIZON_MS);
		lateness.observe(0, undefined);
		expect(lateness.horizonMs).toBe(INITIAL_HORIZON_MS);
		expect(lateness.delayMs).toBeUndefined();
	});

	it('narrows to the largest recent delay plus a margin, within a floor and a ceiling', () => {
		const lateness = new Lateness();
		lateness.observe(0, 6 * MINUTE);
		expect(lateness.horizonMs).toBe(6 * MINUTE * 1.25 + MINUTE);
		const fast = new Lateness();
		fast.observe(0, 5000);
		expect(fast.horizonMs).toBe(HORIZON_FLOOR_MS);
		const slow = new Lateness();
		slow.observe(0, 2 * HORIZON_CEILING_MS);
		expect(slow.horizonMs).toBe(HORIZON_CEILING_MS);
	});

	it('keeps a steady delay clear of the edge, so it does not widen poll after poll', () => {
		const lateness = new Lateness();
		for (let poll = 0; poll < 50; poll++) {
			lateness.observe(poll * 5000, 6.5 * MINUTE);
		}

		// 9 min 7.5 s, rounded up to the second.
		expect(lateness.horizonMs).toBe(548_000);
	});

	it('doubles at once when a record turns up near the edge, where later ones may lie beyond it', () => {
		const lateness = new Lateness();
		lateness.observe(0, 2 * MINUTE);
		expect(lateness.horizonMs).toBe(3.5 * MINUTE);
		lateness.observe(5000, 3 * MINUTE);
		expect(lateness.horizonMs).toBe(7 * MINUTE);
	});

	it('counts a record at the edge itself, four fifths of the horizon, as near it', () => {
		const lateness = new Lateness();
		lateness.observe(0, 2 * MINUTE);
		// Four fifths of 3.5 minutes, written out: 0.8 * 3.5 * MINUTE comes out a hair over in floating point.
		lateness.observe(5000, 168_000);
		expect(lateness.horizonMs).toBe(7 * MINUTE);
	});

	it('remembers a slow delivery for fifteen minutes, to the millisecond', () => {
		const lateness = new Lateness();
		lateness.observe(0, 10 * MINUTE);
		lateness.observe(15 * MINUTE, 2 * MINUTE);
		expect(lateness.delayMs).toBe(10 * MINUTE);
		lateness.observe(15 * MINUTE + 1, 2 * MINUTE);
		expect(lateness.delayMs).toBe(2 * MINUTE);
	});

	it('narrows again once a slow delivery is fifteen minutes old', () => {
		const lateness = new Lateness();
		lateness.observe(0, 10 * MINUTE);
		lateness.observe(MINUTE, 2 * MINUTE);
		expect(lateness.horizonMs).toBe(13.5 * MINUTE);
		lateness.observe(16 * MINUTE, 2 * MINUTE);
		expect(lateness.delayMs).toBe(2 * MINUTE);
		expect(lateness.horizonMs).toBe(3.5 * MINUTE);
	});
});

describe('backoff', () => {
	it('doubles up to its cap, each wait drawn from the upper half', () => {
		const low = new Backoff(1000, 8000, () => 0);
		expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([500, 1000, 2000, 4000, 4000]);
		const high = new Backoff(1000, 8000, () => 0.999_999);
		expect(Math.round(high.next())).toBe(1000);
		expect(high.failures).toBe(1);
		high.reset();
		expect(high.failures).toBe(0);
	});
});
