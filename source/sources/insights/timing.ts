import {setTimeout as sleep} from 'node:timers/promises';
import {systemClock, type Clock} from '../../clock.js';

/**
 * The poller's sense of time: a clock to read and a way to wait on that clock. The demo's clock
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
		wallTime: milliseconds => wall() + ((milliseconds - clock()) / speed),
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
