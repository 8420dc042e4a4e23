import type {Clock} from '../../clock.js';
import type {ActionName} from './actions.js';

/**
 * Per-action token buckets, a second's worth of burst each, refilled on the injected clock: with
 * a clock that stands still, a test sees exactly `rate` requests pass and the next one throttled.
 */
export class RateLimiter {
	private readonly buckets = new Map<ActionName, {tokens: number; at: number}>();

	constructor(
		private readonly clock: Clock,
		private readonly perSecond: Readonly<Partial<Record<ActionName, number>>>,
	) {}

	/** True when the request may go ahead (and spends a token), false when it is throttled. */
	take(action: ActionName): boolean {
		const rate = this.perSecond[action];
		if (rate === undefined) {
			return true;
		}

		const now = this.clock();
		const bucket = this.buckets.get(action) ?? {tokens: rate, at: now};
		bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) * rate) / 1000);
		bucket.at = now;
		this.buckets.set(action, bucket);
		if (bucket.tokens < 1) {
			return false;
		}

		bucket.tokens--;
		return true;
	}
}
