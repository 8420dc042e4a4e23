import {setTimeout as sleep} from 'node:timers/promises';

/**
 * Time, for the client and the simulator alike: neither imports the other's. Milliseconds since the
 * epoch; everything that reads time takes a Clock, so the simulator, the endpoint and the poller can
 * run a multi-minute scenario in a second of test time.
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

/**
 * A sense of time for everything that waits (the poller, the demo's feed): a clock to read and a
 * way to wait on that clock. The demo's clock
 * runs `--speed` times faster than the wall, and tests drive a clock that only moves when every
 * actor is waiting, so minutes of polling take milliseconds and nothing ever sleeps for real.
 */
export interface Timing {
	readonly now: Clock;
	/** Resolves once `milliseconds` have passed on `now`, or at once when the signal aborts. */
	wait(milliseconds: number, signal?: AbortSignal): Promise<void>;
	/**
	 * A moment on `now` as a wall-clock moment, for what a person reads ("next poll in 4s"): the
	 * demo's clock runs --speed times faster than the wall.
	 */
	wallTime(milliseconds: number): number;
}

/** Waits on the wall clock, shortened by `speed` for a clock that runs fast. */
export function realTiming(clock: Clock = systemClock, speed = 1, wall: Clock = systemClock): Timing {
	return {
		now: clock,
		wallTime: milliseconds => wall() + (milliseconds - clock()) / speed,
		async wait(milliseconds, signal) {
			if (signal?.aborted) {
				return;
			}

			try {
				await sleep(Math.max(0, milliseconds / speed), undefined, {signal});
			} catch (error) {
				if ((error as Error).name !== 'AbortError') {
					throw error;
				}
			}
		},
	};
}
