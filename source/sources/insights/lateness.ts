/**
 * How late a log group's records reach CloudWatch, learned from `@ingestionTime - @timestamp`, and
 * the horizon each poll re-covers because of it.
 *
 * A record stamped `t` that is ingested `d` later is found by the first poll after `t + d` if that
 * poll reaches back to the previous poll's end minus the horizon, which holds whenever the horizon
 * is at least `d`. So the horizon is the largest recent delay plus a margin for jitter. Every byte
 * in the horizon is scanned again on every poll, so it is kept no wider than that.
 */

const MINUTE = 60_000;
/** Under this, a delivery a little slower than the last ones would be missed. */
export const HORIZON_FLOOR_MS = 2 * MINUTE;
/**
 * A 10-minute aggregation interval (the default on non-Nitro interfaces) plus delivery, which AWS
 * puts at about 5 minutes and only best effort: 30 minutes covers a bad day without re-scanning
 * half an hour of a busy group forever.
 */
export const HORIZON_CEILING_MS = 30 * MINUTE;
/** Before any record has been seen: the 10-minute interval and AWS's typical 5 minutes of delivery. */
export const INITIAL_HORIZON_MS = 15 * MINUTE;
/** How long an observed delay keeps the horizon wide: a slow delivery tends to come back. */
const MEMORY_MS = 15 * MINUTE;
/**
 * Jitter margin on top of the largest recent delay. Together they keep a steady delay below the
 * edge fraction of the horizon it sets (1.25 d + 1 min > d / 0.8), so a steady group never looks
 * as if it were at the edge.
 */
const MARGIN_FACTOR = 1.25;
const MARGIN_MS = MINUTE;
/**
 * A poll can only see delays up to about its own horizon, so a record near the edge means the true
 * delay may lie beyond it: widen at once rather than creep up one poll at a time.
 */
const EDGE_FRACTION = 0.8;

interface Sample {
	readonly at: number;
	readonly delay: number;
}

export class Lateness {
	private readonly samples: Sample[] = [];
	private horizon = INITIAL_HORIZON_MS;

	/** Milliseconds each poll reaches back behind the previous poll's end. */
	get horizonMs(): number {
		return this.horizon;
	}

	/** The largest delay seen recently, or undefined before any record was seen. */
	get delayMs(): number | undefined {
		return this.samples.length === 0 ? undefined : Math.max(...this.samples.map(sample => sample.delay));
	}

	/** What one poll saw: the largest `@ingestionTime - @timestamp` among its rows, if it had any. */
	observe(now: number, largestDelay: number | undefined): void {
		while (this.samples.length > 0 && this.samples[0]!.at < now - MEMORY_MS) {
			this.samples.shift();
		}

		if (largestDelay !== undefined) {
			this.samples.push({at: now, delay: Math.max(0, largestDelay)});
		}

		const delay = this.delayMs;
		if (delay === undefined) {
			return;
		}

		const target = clamp(delay * MARGIN_FACTOR + MARGIN_MS);
		// Stryker disable next-line ConditionalExpression: `undefined >= x` is false too; the test is for the type checker
		const atEdge = largestDelay !== undefined && largestDelay >= this.horizon * EDGE_FRACTION;
		this.horizon = atEdge ? clamp(Math.max(target, this.horizon * 2)) : target;
	}
}

function clamp(horizon: number): number {
	return Math.min(HORIZON_CEILING_MS, Math.max(HORIZON_FLOOR_MS, Math.ceil(horizon / 1000) * 1000));
}
