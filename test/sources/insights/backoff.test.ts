import {describe, expect, it} from 'vitest';
import {Backoff} from '../../../source/sources/insights/backoff.js';

describe('backoff after a throttle', () => {
	it('doubles from the base up to the ceiling, each wait in the upper half of its step', () => {
		const lowest = new Backoff(1000, 8000, () => 0);
		expect([1, 2, 3, 4, 5].map(() => lowest.next())).toEqual([500, 1000, 2000, 4000, 4000]);
		const highest = new Backoff(1000, 8000, () => 1);
		expect([1, 2, 3, 4, 5].map(() => highest.next())).toEqual([1000, 2000, 4000, 8000, 8000]);
		const middle = new Backoff(1000, 8000, () => 0.5);
		expect(middle.next()).toBe(750);
	});

	it('counts the failures since the last success, and starts over after one', () => {
		const backoff = new Backoff(1000, 8000, () => 0);
		expect(backoff.failures).toBe(0);
		backoff.next();
		backoff.next();
		expect(backoff.failures).toBe(2);
		backoff.reset();
		expect(backoff.failures).toBe(0);
		expect(backoff.next()).toBe(500);
	});
});
