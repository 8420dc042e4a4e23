/**
 * Exponential backoff with equal jitter: the delay doubles from `base` up to `max`, and each wait is
 * drawn from the upper half of it. Jitter keeps a fleet of flowtops (one per on-call engineer, all
 * throttled by the same account limit at the same moment) from retrying in lockstep; keeping the
 * lower half out means a retry never comes back almost at once.
 */
export class Backoff {
	private attempt = 0;

	constructor(
		private readonly base: number,
		private readonly max: number,
		private readonly random: () => number = Math.random,
	) {}

	/** The next delay in milliseconds; each call doubles the one after. */
	next(): number {
		const ceiling = Math.min(this.max, this.base * 2 ** this.attempt);
		this.attempt++;
		return ceiling / 2 + this.random() * (ceiling / 2);
	}

	/** How many delays were handed out since the last success. */
	get failures(): number {
		return this.attempt;
	}

	reset(): void {
		this.attempt = 0;
	}
}
