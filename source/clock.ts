/**
 * Milliseconds since the epoch. Everything that reads time takes one of these, so the simulator,
 * the endpoint and the poller can run a multi-minute scenario in a second of test time.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/**
 * A clock that runs `speed` times faster than real time from the moment it is made (the demo's
 * `--speed`), or stands still until advanced by hand when speed is 0 (tests).
 */
export class ScaledClock {
	private readonly origin: number;
	private readonly realOrigin: number;
	private offset = 0;

	constructor(
		private readonly speed: number,
		start = Date.now(),
		private readonly real: Clock = systemClock,
	) {
		this.origin = start;
		this.realOrigin = real();
	}

	readonly now: Clock = () => this.origin + this.offset + (this.real() - this.realOrigin) * this.speed;

	advance(milliseconds: number): void {
		this.offset += milliseconds;
	}
}
