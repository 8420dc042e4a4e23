import {describe, expect, it} from 'vitest';
import {IngestionWatermark} from '../../../source/sources/insights/ingestion-watermark.js';
import {INITIAL_MARGIN_MS, MARGIN_FLOOR_MS} from '../../../source/sources/insights/searchable-margin.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const T = 1_700_000_000_000;

/** Polls every `every` ms from T up to `until`, each taking `taken` records; returns the watermark. */
function polled(every: number, until: number, taken = 10): IngestionWatermark {
	const watermark = new IngestionWatermark();
	for (let now = T; now <= until; now += every) {
		const window = watermark.window(now);
		if (window) {
			watermark.taken(window, Math.floor(now / 1000) - 900, now, taken);
		}
	}

	return watermark;
}

describe('the ingestion watermark', () => {
	it('asks each poll for what reached CloudWatch since the last one, up to the margin before now', () => {
		const watermark = new IngestionWatermark();
		expect(watermark.previous).toBe(0);
		const first = watermark.window(T)!;
		expect(first).toEqual({after: 0, upTo: T - INITIAL_MARGIN_MS});
		watermark.taken(first, 0, T, 5);
		expect(watermark.previous).toBe(T - INITIAL_MARGIN_MS);
		expect(watermark.window(T + 10 * SECOND)).toEqual({
			after: T - INITIAL_MARGIN_MS,
			upTo: T + 10 * SECOND - INITIAL_MARGIN_MS,
		});
	});

	it('asks nothing while the margin leaves nothing new', () => {
		const watermark = new IngestionWatermark();
		watermark.taken({after: 0, upTo: T - INITIAL_MARGIN_MS}, 0, T, 5);
		expect(watermark.window(T)).toBeUndefined();
		expect(watermark.window(T + 1)).toEqual({after: T - INITIAL_MARGIN_MS, upTo: T + 1 - INITIAL_MARGIN_MS});
	});

	it('re-checks the windows closed two minutes ago, at most every two minutes, counting what they took', () => {
		const watermark = polled(10 * SECOND, T + 3 * MINUTE);
		// Three margins of 30 s is under two minutes: the windows up to T + 1 min are closed, those of
		// the ten polls from T to T + 90 s.
		const recheck = watermark.due(T + 3 * MINUTE)!;
		expect(recheck.window).toEqual({after: 0, upTo: T + MINUTE});
		expect(recheck.expected).toBe(10 * 10);
		expect(recheck.from).toBe(Math.floor(T / 1000) - 900);
		watermark.rechecked(recheck, T + 3 * MINUTE, []);
		expect(watermark.due(T + 3 * MINUTE + 10 * SECOND)).toBeUndefined();
		expect(watermark.due(T + 5 * MINUTE - 1)).toBeUndefined();
		const next = watermark.due(T + 5 * MINUTE)!;
		expect(next.window.after).toBe(T + MINUTE);
	});

	it('has nothing to re-check before any window closed long enough ago', () => {
		const watermark = polled(10 * SECOND, T + MINUTE);
		expect(watermark.due(T + MINUTE)).toBeUndefined();
	});

	it('shrinks the margin when a re-check finds nothing late', () => {
		const watermark = polled(10 * SECOND, T + 3 * MINUTE);
		watermark.rechecked(watermark.due(T + 3 * MINUTE)!, T + 3 * MINUTE, []);
		expect(watermark.margin.marginMs).toBe(MARGIN_FLOOR_MS);
	});

	it('widens the margin to the lag of a record its poll missed, measured from when that poll ran', () => {
		const watermark = polled(10 * SECOND, T + 3 * MINUTE);
		const recheck = watermark.due(T + 3 * MINUTE)!;
		// In the window (T - 20 s, T - 10 s] of the poll at T + 20 s: still unsearchable 30 s after it was ingested.
		watermark.rechecked(recheck, T + 3 * MINUTE, [T - 10 * SECOND]);
		expect(watermark.margin.lagMs).toBe(30 * SECOND);
		expect(watermark.margin.marginMs).toBe(45 * SECOND);
	});

	it('re-checks every window once, all of them when all have closed', () => {
		const watermark = polled(10 * SECOND, T + 3 * MINUTE);
		const recheck = watermark.due(T + 10 * MINUTE)!;
		expect(recheck.window).toEqual({after: 0, upTo: watermark.previous});
		watermark.rechecked(recheck, T + 10 * MINUTE, []);
		expect(watermark.due(T + 20 * MINUTE)).toBeUndefined();
	});

	it('counts a record at the very end of a window re-checked before as part of that window, not the next', () => {
		const watermark = polled(10 * SECOND, T + 3 * MINUTE);
		watermark.rechecked(watermark.due(T + 3 * MINUTE)!, T + 3 * MINUTE, []);
		const next = watermark.due(T + 5 * MINUTE)!;
		expect(next.window.after).toBe(T + MINUTE);
		watermark.rechecked(next, T + 5 * MINUTE, [T + MINUTE]);
		expect(watermark.margin.lagMs).toBe(0);
	});

	it('counts a record found in no window polled as no lag', () => {
		const watermark = polled(10 * SECOND, T + 3 * MINUTE);
		watermark.rechecked(watermark.due(T + 3 * MINUTE)!, T + 3 * MINUTE, [T + 10 * MINUTE]);
		expect(watermark.margin.lagMs).toBe(0);
	});

	it('waits three margins before a re-check when that is longer than two minutes', () => {
		const watermark = polled(10 * SECOND, T + 10 * MINUTE);
		// In the window (T, T + 10 s] of the poll at T + 40 s: a lag of 35 s, a margin of 53 s.
		watermark.rechecked(watermark.due(T + 10 * MINUTE)!, T + 10 * MINUTE, [T + 5 * SECOND]);
		expect(watermark.margin.marginMs).toBe(53 * SECOND);
		// Closed by 12 min - 159 s = 9 min 21 s: the windows up to 9 min 20 s, not those to 9 min 30 s.
		expect(watermark.due(T + 12 * MINUTE)?.window).toEqual({after: T + 8 * MINUTE, upTo: T + 9 * MINUTE + 20 * SECOND});
	});
});
