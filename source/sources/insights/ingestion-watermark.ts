import type {IngestionWindow} from './query.js';
import {SearchableMargin} from './searchable-margin.js';

const MINUTE = 60_000;
/** A window is re-checked once it closed this long ago (or three margins, if longer). */
const RECHECK_AGE_MS = 2 * MINUTE;
/** Re-checks come this far apart: each one scans the lateness horizon again, and that is billed. */
const RECHECK_EVERY_MS = 2 * MINUTE;

/** A window a poll asked for, with what it took. */
interface PolledWindow extends IngestionWindow {
	/** Start (whole seconds) of the @timestamp range it was asked over. */
	readonly from: number;
	/** When its query started: a record missed then was not searchable yet. */
	readonly polledAt: number;
	readonly taken: number;
}

/** Closed windows, asked again how many records reached CloudWatch in them. */
export interface Recheck {
	readonly window: IngestionWindow;
	/** Start (whole seconds) of the @timestamp range: the earliest its polls asked over. */
	readonly from: number;
	/** Records the polls of these windows took. */
	readonly expected: number;
}

/**
 * The ingestion-time watermark: each poll asks for what reached CloudWatch in `(previous, now -
 * margin]`, so windows never overlap and a record delivered late is still taken exactly once, by
 * the poll whose window holds its @ingestionTime. Now and then the windows that closed a while ago
 * are counted again; a count above what was taken means records became searchable later than the
 * margin allowed, and the margin (measured from them) grows.
 */
export class IngestionWatermark {
	private after = 0;
	private readonly polled: PolledWindow[] = [];
	private lastRecheck = Number.NEGATIVE_INFINITY;

	/** The margin is the endpoint's, whoever polls it: raw polls and aggregate polls measure it alike. */
	constructor(readonly margin = new SearchableMargin()) {}

	/** End of the last window taken (milliseconds of @ingestionTime); 0 before any. */
	get previous(): number {
		return this.after;
	}

	/** The window a poll at `now` asks for; undefined while the margin leaves nothing new. */
	window(now: number): IngestionWindow | undefined {
		const upTo = Math.floor(now - this.margin.marginMs);
		return upTo > this.after ? {after: this.after, upTo} : undefined;
	}

	/** A poll took every record of its window. */
	taken(window: IngestionWindow, from: number, polledAt: number, taken: number): void {
		this.polled.push({...window, from, polledAt, taken});
		this.after = window.upTo;
	}

	/**
	 * A poll took every record ingested up to `window.upTo`, whatever came before: the windows taken
	 * so far are forgotten, and the re-checks count from this one.
	 */
	restart(window: IngestionWindow, from: number, polledAt: number, taken: number): void {
		this.polled.length = 0;
		this.taken(window, from, polledAt, taken);
	}

	/** The closed windows to count again now, if it is time. */
	due(now: number): Recheck | undefined {
		if (now - this.lastRecheck < RECHECK_EVERY_MS) {
			return undefined;
		}

		const closedBy = now - Math.max(RECHECK_AGE_MS, 3 * this.margin.marginMs);
		const ready = this.polled.filter(window => window.upTo <= closedBy);
		if (ready.length === 0) {
			return undefined;
		}

		return {
			window: {after: ready[0]!.after, upTo: ready.at(-1)!.upTo},
			from: Math.min(...ready.map(window => window.from)),
			expected: ready.reduce((sum, window) => sum + window.taken, 0),
		};
	}

	/** The re-check is done; `found` are the @ingestionTimes of records it found that their polls had missed. */
	rechecked(recheck: Recheck, now: number, found: readonly number[]): void {
		const lags = found.map(ingestionTime => {
			const window = this.polled.find(candidate => candidate.after < ingestionTime && ingestionTime <= candidate.upTo);
			return window ? window.polledAt - ingestionTime : 0;
		});
		this.margin.rechecked(now, lags);
		this.lastRecheck = now;
		while (this.polled.length > 0 && this.polled[0]!.upTo <= recheck.window.upTo) {
			this.polled.shift();
		}
	}
}
