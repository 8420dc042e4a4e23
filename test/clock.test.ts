import {describe, expect, it} from 'vitest';
import {realTiming} from '../source/clock.js';

describe('timing', () => {
	it('tells a moment on a fast demo clock as the wall-clock moment a person waits for', () => {
		const demoNow = Date.UTC(2026, 0, 1, 12, 0, 0);
		const wallNow = Date.UTC(2026, 10, 22, 18, 0, 0);
		const timing = realTiming(
			() => demoNow,
			50,
			() => wallNow,
		);
		// The next poll, 5 s away on a clock running 50 times faster, is 0.1 s away on the wall.
		expect(timing.wallTime(demoNow + 5000)).toBe(wallNow + 100);
	});

	it('is the identity at normal speed on the wall clock', () => {
		const now = Date.UTC(2026, 10, 22, 18, 0, 0);
		expect(
			realTiming(
				() => now,
				1,
				() => now,
			).wallTime(now + 5000),
		).toBe(now + 5000);
	});
});
