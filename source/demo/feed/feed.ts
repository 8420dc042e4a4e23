import type {Clock} from '../../clock.js';
import type {LogEventInput, LogStore} from '../endpoint/log-store.js';
import type {FlowFormat} from '../../flowlog/format.js';
import type {Timing} from '../../clock.js';
import {flowLine} from '../vpc/flow-line.js';
import {hashName, Random} from '../vpc/random.js';
import type {CaptureBatch, VpcSimulator} from '../vpc/simulator.js';
import {CAPTURE_WINDOW_MS} from '../vpc/simulator.js';

/** Where the demo's flow log writes, named like a group a team would create for one. */
export const DEMO_LOG_GROUP = '/flowtop/demo/vpc-flow-logs';

/** How long after its capture window closes a window's records reach CloudWatch, per log stream. */
export interface DeliveryDelay {
	readonly baseMs: number;
	/** Each window of each stream adds a uniform draw from [0, jitterMs). */
	readonly jitterMs: number;
	/** How long after its @ingestionTime a record can be found by a query; none by default. */
	readonly searchableAfterMs?: number;
}

/**
 * AWS "typically delivers logs to CloudWatch Logs in about 5 minutes", best effort: here between
 * 2.5 and 5.5 minutes after the window closes, so a record turns up 2.5 to 6.5 minutes after its
 * first packet, each interface's stream on its own schedule.
 */
export const AWS_LIKE_DELIVERY: DeliveryDelay = {baseMs: 150_000, jitterMs: 180_000};

export interface DemoFeedOptions {
	readonly store: LogStore;
	readonly simulator: VpcSimulator;
	/** The simulator's clock. */
	readonly clock: Clock;
	readonly format: FlowFormat;
	readonly logGroup?: string;
	readonly delivery?: DeliveryDelay | undefined;
	/** Seeds the delivery jitter; same seed, same schedule. */
	readonly seed?: number | undefined;
	/** How far back the endpoint keeps records; DEMO_RETENTION_MS by default. */
	readonly retentionMs?: number | undefined;
}

/**
 * The flow-logs service of the demo: takes each capture window the simulated VPC closes, writes its
 * records to the log group (one stream per interface, `<eni>-all`, as AWS names them) and makes
 * them visible minutes later, as AWS does. Windows that closed before the feed was made (the
 * simulator's history) count as delivered already, so the panes fill at once.
 */
/**
 * What the demo endpoint keeps: the longest window the view offers (1 h) and the longest lateness
 * horizon the poller re-scans (30 min), with room to spare. Older records could never be asked for,
 * and keeping them would grow the demo without bound (at --speed 50, a day an half hour).
 */
export const DEMO_RETENTION_MS = 2 * 60 * 60_000;

export class DemoFeed {
	readonly logGroup: string;
	/** Records handed to the endpoint so far, by the simulator's own count. */
	delivered = 0;
	readonly retentionMs: number;
	private readonly createdAt: number;
	private readonly delivery: DeliveryDelay;
	private readonly seed: number;
	private readonly streams: ReadonlyMap<string, string>;

	constructor(private readonly options: DemoFeedOptions) {
		this.logGroup = options.logGroup ?? DEMO_LOG_GROUP;
		this.createdAt = options.clock();
		this.delivery = options.delivery ?? AWS_LIKE_DELIVERY;
		this.seed = options.seed ?? 1;
		this.retentionMs = options.retentionMs ?? DEMO_RETENTION_MS;
		this.streams = new Map(options.simulator.interfaces().map(info => [info.eni, info.logStream]));
		if (!options.store.hasGroup(this.logGroup)) {
			options.store.createGroup(this.logGroup);
		}

		for (const stream of this.streams.values()) {
			options.store.createStream(this.logGroup, stream);
		}
	}

	/**
	 * Close every capture window that has ended by `until` and deliver it; returns the records
	 * delivered. One window at a time: a busy VPC's history is millions of records, and only the
	 * store's packed form of them may be held all at once.
	 */
	pump(until: number = this.options.clock()): number {
		const {simulator, store} = this.options;
		let count = 0;
		while (simulator.nextWindowEnd() <= until) {
			for (const batch of simulator.step(simulator.nextWindowEnd())) {
				count += this.deliver(batch);
				store.forget(this.logGroup, batch.windowEnd - this.retentionMs);
			}
		}

		store.forget(this.logGroup, until - this.retentionMs);
		this.delivered += count;
		return count;
	}

	/** Deliver each window as it closes, until the signal aborts. */
	async run(timing: Timing, signal: AbortSignal): Promise<void> {
		while (!signal.aborted) {
			this.pump(timing.now());
			await timing.wait(this.options.simulator.nextWindowEnd() - timing.now(), signal);
		}
	}

	/** When the records of this window's stream become visible. */
	private visibleAt(batch: CaptureBatch, stream: string): number {
		const random = Random.stream(this.seed, batch.windowStart / CAPTURE_WINDOW_MS, hashName(stream));
		const natural = batch.windowEnd + this.delivery.baseMs + random.float() * this.delivery.jitterMs;
		return batch.windowEnd <= this.createdAt ? Math.min(natural, this.createdAt) : natural;
	}

	private deliver(batch: CaptureBatch): number {
		const byStream = new Map<string, LogEventInput[]>();
		for (const record of batch.records) {
			const stream = this.streams.get(record.eni) ?? `${record.eni}-all`;
			let events = byStream.get(stream);
			if (!events) {
				events = [];
				byStream.set(stream, events);
			}

			// CloudWatch stamps a flow-log event with the record's start.
			events.push({
				timestamp: Number(record.values.start) * 1000,
				message: flowLine(record.values, this.options.format),
			});
		}

		for (const [stream, events] of byStream) {
			events.sort((a, b) => a.timestamp - b.timestamp);
			const ingestedAt = Math.round(this.visibleAt(batch, stream));
			const searchableAt = ingestedAt + (this.delivery.searchableAfterMs ?? 0);
			this.options.store.deliver(this.logGroup, stream, events, searchableAt, ingestedAt);
		}

		return batch.records.length;
	}
}
