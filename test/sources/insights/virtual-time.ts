import {type Clock, ScaledClock, type Timing} from '../../../source/clock.js';

interface Sleeper {
	readonly at: number;
	readonly wake: () => void;
}

/**
 * Time for tests, as a discrete-event simulation: the clock stands still while anything runs (an
 * HTTP request, a parse) and jumps to the earliest wake-up once every actor (the poller, the demo
 * feed) is waiting. Minutes of polling take milliseconds, and nothing ever sleeps for real.
 */
export class VirtualTime implements Timing {
	readonly clock: ScaledClock;
	readonly now: Clock;
	private readonly sleepers: Sleeper[] = [];
	private limit = Number.NEGATIVE_INFINITY;
	private reached: (() => void) | undefined;

	constructor(
		start: number,
		/** How many loops wait on this time: it moves only when all of them are waiting. */
		private readonly actors = 1,
	) {
		this.clock = new ScaledClock(0, start);
		this.now = this.clock.now;
	}

	/** Tests read statuses on the virtual clock itself. */
	wallTime(milliseconds: number): number {
		return milliseconds;
	}

	async wait(milliseconds: number, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) {
			return;
		}

		await new Promise<void>(resolve => {
			const sleeper: Sleeper = {
				at: this.now() + Math.max(0, milliseconds),
				wake: () => {
					signal?.removeEventListener('abort', abort);
					resolve();
				},
			};
			const abort = () => {
				this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
				resolve();
			};

			signal?.addEventListener('abort', abort, {once: true});
			this.sleepers.push(sleeper);
			this.schedule();
		});
	}

	/** Let time run to `time`; resolves when every actor waits for a later moment. */
	async runUntil(time: number): Promise<void> {
		this.limit = time;
		const reached = new Promise<void>(resolve => {
			this.reached = resolve;
		});
		this.schedule();
		await reached;
	}

	/** Let time run freely, as far as the actors ask: for a run that ends on its own (`--once`). */
	runFreely(): void {
		this.limit = Number.POSITIVE_INFINITY;
		this.schedule();
	}

	private schedule(): void {
		if (this.sleepers.length < this.actors) {
			return;
		}

		let next = this.sleepers[0]!;
		for (const sleeper of this.sleepers) {
			if (sleeper.at < next.at) {
				next = sleeper;
			}
		}

		if (next.at > this.limit) {
			this.reached?.();
			this.reached = undefined;
			return;
		}

		if (next.at > this.now()) {
			this.clock.advance(next.at - this.now());
		}

		this.sleepers.splice(this.sleepers.indexOf(next), 1);
		next.wake();
	}
}
