import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, expect} from 'vitest';
import {type Endpoint, type EndpointLimits, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {REGION} from '../../../source/demo/endpoint/account.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {DEMO_FORMAT} from '../../../source/demo/feed/demo-format.js';
import {DEMO_LOG_GROUP, DemoFeed, type DeliveryDelay} from '../../../source/demo/feed/feed.js';
import {VpcSimulator} from '../../../source/demo/vpc/simulator.js';
import {type Filter, matchesFilter} from '../../../source/engine/filter.js';
import {type AggregatedRecords, FlowStore} from '../../../source/engine/store.js';
import type {FlowColumns} from '../../../source/flowlog/flow-columns.js';
import {FlowLogDecoder, parseRecord} from '../../../source/flowlog/decoder.js';
import type {FlowFormat} from '../../../source/flowlog/format.js';
import type {FlowRecord} from '../../../source/flowlog/record.js';
import {createLogsClient} from '../../../source/sources/insights/client.js';
import {InsightsPoller, type InsightsPollerOptions} from '../../../source/sources/insights/poller.js';
import type {QueryMode} from '../../../source/sources/insights/query-mode.js';
import type {QueryCost, SourceListener, SourceStatus} from '../../../source/sources/source.js';
import {VirtualTime} from './virtual-time.js';

/** 20 s into a minute, as a real clock would be when someone starts flowtop. */
export const T0 = Date.UTC(2026, 2, 1, 9, 0, 20);
export const MINUTE = 60_000;
/** Between polls, unless a test says otherwise. */
export const INTERVAL = 60_000;

export interface WorldOptions {
	readonly format?: FlowFormat;
	readonly limits?: Partial<EndpointLimits>;
	readonly delivery?: DeliveryDelay;
	readonly scenario?: string;
	/** Baseline traffic volume: a tenth of the demo's keeps polls small and tests fast. */
	readonly rate?: number;
	readonly historyMs?: number;
}

/** A simulated VPC feeding the local endpoint, on virtual time, and a real SDK client for it. */
/** A StartQuery as the client sent it. */
export interface SentQuery {
	readonly queryString: string;
	readonly startTime: number;
	readonly endTime: number;
}

/** Every StartQuery the real client sends, as it sends it: watching changes nothing. */
export function sentQueries(client: CloudWatchLogsClient): SentQuery[] {
	const queries: SentQuery[] = [];
	client.middlewareStack.add(
		next => async args => {
			const input = args.input as Partial<SentQuery>;
			if (typeof input.queryString === 'string') {
				queries.push({queryString: input.queryString, startTime: input.startTime!, endTime: input.endTime!});
			}

			return next(args);
		},
		{step: 'initialize', name: 'recordStartQuery'},
	);
	return queries;
}

export interface World {
	readonly time: VirtualTime;
	/** Every StartQuery the client sent, in order. */
	readonly queries: SentQuery[];
	readonly endpoint: Endpoint;
	readonly simulator: VpcSimulator;
	readonly feed: DemoFeed;
	readonly client: CloudWatchLogsClient;
	readonly format: FlowFormat;
	poller(options?: Partial<InsightsPollerOptions>): InsightsPoller;
	/** What the endpoint holds and shows by now (of what it took in by `ingestedBy`), parsed as flowtop parses: the ground truth. */
	visibleRecords(filter?: (record: FlowRecord) => boolean, ingestedBy?: number): FlowRecord[];
	close(): Promise<void>;
}

export async function world(options: WorldOptions = {}): Promise<World> {
	const time = new VirtualTime(T0);
	const format = options.format ?? DEMO_FORMAT;
	const endpoint = await startEndpoint({clock: time.now, limits: options.limits});
	const simulator = new VpcSimulator({
		clock: time.now,
		seed: 7,
		scenario: options.scenario,
		historyMs: options.historyMs ?? 10 * MINUTE,
		rate: options.rate ?? 0.1,
	});
	const feed = new DemoFeed({store: endpoint.store, simulator, clock: time.now, format, delivery: options.delivery});
	const client = createLogsClient({endpoint: endpoint.url, region: REGION, credentials: DEMO_CREDENTIALS});
	const pollers: InsightsPoller[] = [];
	const queries = sentQueries(client);
	return {
		time,
		queries,
		endpoint,
		simulator,
		feed,
		client,
		format,
		poller(overrides = {}) {
			const poller = new InsightsPoller({
				client,
				logGroups: [DEMO_LOG_GROUP],
				format,
				timing: time,
				intervalMs: INTERVAL,
				windowMs: 60 * MINUTE,
				context: {logGroups: [DEMO_LOG_GROUP], endpoint: endpoint.url, region: REGION, profile: undefined},
				random: () => 0.5,
				...overrides,
			});
			pollers.push(poller);
			return poller;
		},
		visibleRecords(filter = () => true, ingestedBy = Number.POSITIVE_INFINITY) {
			const decoder = new FlowLogDecoder(format);
			const records: FlowRecord[] = [];
			for (const event of endpoint.store.visibleEvents([DEMO_LOG_GROUP], 0, Number.POSITIVE_INFINITY)) {
				if (event.ingestionTime <= ingestedBy) {
					decoder.decode(event.message, 0, event.message.length, parseRecord, records);
				}
			}

			return records.filter(record => filter(record));
		},
		async close() {
			await Promise.all(pollers.map(async poller => poller.stop()));
			client.destroy();
			await endpoint.close();
		},
	};
}

/** Everything a source tells its listener, kept for assertions. */
export class Recorder implements SourceListener {
	readonly batches: FlowRecord[][] = [];
	readonly statuses: SourceStatus[] = [];
	readonly ticks: number[] = [];
	lastCost: QueryCost | undefined;

	get received(): FlowRecord[] {
		return this.batches.flat();
	}

	records(records: FlowRecord[]): void {
		this.batches.push(records);
	}

	columns(batch: FlowColumns): void {
		this.batches.push(Array.from({length: batch.size}, (_, row) => batch.record(row)));
	}

	status(status: SourceStatus): void {
		this.statuses.push(status);
	}

	tick(now: number): void {
		this.ticks.push(now);
	}

	cost(cost: QueryCost): void {
		this.lastCost = cost;
	}

	messages(kind: SourceStatus['kind']): string[] {
		return this.statuses
			.filter(status => status.kind === kind)
			.map(status =>
				'message' in status
					? status.message
					: 'reason' in status
						? status.reason
						: 'note' in status
							? (status.note ?? '')
							: '',
			);
	}
}

/** What the live view does with a source: a store fed as use-source feeds it, and the modes it was told. */
export class StoreListener implements SourceListener {
	readonly store = new FlowStore({windowSeconds: 60 * 60});
	readonly modes: QueryMode[] = [];
	replaced = 0;
	/** Polls whose sums of what was new were added to the store. */
	added = 0;
	/** Times the panes went blank: a window that held records handed over empty. */
	emptied = 0;
	/** Times a window was handed over with fewer records than the panes held. */
	thinned = 0;

	records(records: FlowRecord[]): void {
		this.store.add(records);
	}

	columns(batch: FlowColumns): void {
		this.store.addColumns(batch);
	}

	replace(rows: AggregatedRecords[]): void {
		this.replaced++;
		const held = this.store.windowCounts().ok;
		this.store.clear();
		this.store.addAggregated(rows);
		if (held > 0 && this.store.windowCounts().ok === 0) {
			this.emptied++;
		}

		if (this.store.windowCounts().ok < held) {
			this.thinned++;
		}
	}

	addSums(rows: AggregatedRecords[]): void {
		this.added++;
		this.store.addAggregated(rows);
	}

	status(): void {}

	tick(now: number): void {
		this.store.advanceTo(now / 1000);
	}

	mode(mode: QueryMode): void {
		this.modes.push(mode);
	}
}

/** A record as text, so two lists can be compared as multisets. */
export function recordKey(record: FlowRecord): string {
	return JSON.stringify(record);
}

export function sortedKeys(records: readonly FlowRecord[]): string[] {
	return records.map(record => recordKey(record)).sort();
}

export function matching(filter: Filter): (record: FlowRecord) => boolean {
	return record => matchesFilter(filter, record);
}

let current: World | undefined;

/** Closes the world a test made with busyWorld, whatever happened. */
export function closeWorlds(): void {
	afterEach(async () => {
		await current?.close();
		current = undefined;
	});
}

/** Ten minutes of history, `minutes` of traffic to come, delivered 2.5 to 5.5 minutes after each window closes. */
export async function busyWorld(options: WorldOptions = {}, minutes = 10): Promise<World> {
	current = await world(options);
	const w = current;
	w.feed.pump(T0);
	w.feed.pump(T0 + minutes * MINUTE);
	return w;
}

/**
 * Lets the event loop run until the condition holds: waits on what happens, never on the clock.
 * `invariant` is checked at every turn on the way.
 */
export async function until(condition: () => boolean, invariant: () => void = () => {}): Promise<void> {
	for (let turn = 0; turn < 10_000 && !condition(); turn++) {
		invariant();
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}

	expect(condition()).toBe(true);
}

// Long enough after busyWorld's last window for its records to be delivered (5.5 minutes at most) and polled.
export const END = T0 + 17 * MINUTE;

/** Bytes of every message the endpoint shows: what taking in every record once receives. */
export function sumOfMessageBytes(w: World): number {
	let bytes = 0;
	for (const event of w.endpoint.store.visibleEvents([DEMO_LOG_GROUP], 0, Number.POSITIVE_INFINITY)) {
		bytes += Buffer.byteLength(event.message);
	}

	return bytes;
}

/** The @ingestionTime window a query's filter asks for. */
export function ingestionWindowOf(queryString: string): {after: number; upTo: number} {
	const match = /toMillis\(@ingestionTime\) > (\d+) and toMillis\(@ingestionTime\) <= (\d+)/.exec(queryString);
	expect(match, queryString).not.toBeNull();
	return {after: Number(match![1]), upTo: Number(match![2])};
}

/** Counts the calls of one action the client sends (those `which` picks), as the endpoint receives them. */
export function countCalls(
	w: World,
	action: string,
	which: (input: Record<string, unknown>) => boolean = () => true,
): {count: number} {
	const counter = {count: 0};
	w.client.middlewareStack.add(
		(next, context) => async args => {
			if (context.commandName === `${action}Command` && which(args.input as Record<string, unknown>)) {
				counter.count++;
			}

			return next(args);
		},
		{step: 'initialize', name: `count${action}${Math.random()}`},
	);
	return counter;
}
