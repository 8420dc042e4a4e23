import type {Action, FlowDirection, FlowRecord} from '../flowlog/record.js';
import {FIRST_EPHEMERAL_PORT, isPortProtocol, servicePortOf, serviceName} from '../flowlog/protocols.js';
import {detach} from '../text/detach.js';
import type {Filterable} from './filter.js';
import {InterfaceProfiles} from './interfaces.js';

/**
 * Records summed by conversation within one time bucket: the unit every view and rule reads.
 *
 * `detail` says how much of the conversation survived the memory bound (see FlowStore):
 * `exact` keeps both ports (an accepted flow's ephemeral client port is always folded away,
 * undefined); `ports` dropped both ports; `addresses` dropped the addresses too.
 */
export interface FlowAgg extends Filterable {
	readonly eni: string | undefined;
	readonly src: string | undefined;
	readonly dst: string | undefined;
	readonly srcPort: number | undefined;
	readonly dstPort: number | undefined;
	readonly protocol: number | undefined;
	readonly action: Action | undefined;
	readonly direction: FlowDirection | undefined;
	readonly detail: 'exact' | 'ports' | 'addresses';
	bytes: number;
	packets: number;
	/** Records summed into this aggregate. */
	flows: number;
	/** Unix seconds: start of the earliest record, end of the latest. */
	first: number;
	last: number;
	tcpFlags: number;
}

export interface RecordCounts {
	ok: number;
	nodata: number;
	skipdata: number;
}

export interface Bucket {
	readonly start: number;
	readonly flows: Map<string, FlowAgg>;
	readonly counts: RecordCounts;
	/** Unix seconds: earliest start and latest end among the bucket's records, any log-status. */
	first: number;
	last: number;
}

export interface StoreOptions {
	/** Width of a time bucket in seconds: flow logs capture in windows of one minute at best. */
	readonly bucketSeconds?: number;
	/** The sliding window in seconds; Infinity keeps everything (`--once` over a whole file). */
	readonly windowSeconds?: number;
	/** Conversations kept in full detail before new ones are summarized (the memory bound). */
	readonly maxFlows?: number;
	/** Buckets kept before their width doubles (an unbounded window over a long file). */
	readonly maxBuckets?: number;
}

// One aggregate costs about 250 bytes with its key, so the default bound holds detailed
// conversations in roughly 100 MB; past it, new conversations lose their ports, and past a quarter
// more their addresses, which bounds memory by the number of interfaces alone.
const DEFAULT_MAX_FLOWS = 400_000;
const ADDRESS_SUMMARY_FACTOR = 1.25;
// A day of one-minute buckets.
const DEFAULT_MAX_BUCKETS = 1440;
const RECENT_REJECTS = 200;

function emptyCounts(): RecordCounts {
	return {ok: 0, nodata: 0, skipdata: 0};
}

function newBucket(start: number): Bucket {
	return {start, flows: new Map(), counts: emptyCounts(), first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY};
}

function countStatus(counts: RecordCounts, record: FlowRecord): void {
	if (record.status === 'OK') {
		counts.ok++;
	} else if (record.status === 'NODATA') {
		counts.nodata++;
	} else {
		counts.skipdata++;
	}
}

/**
 * An accepted flow's client port is different for every connection, so keeping it would store one
 * aggregate per connection. Drop it when the other port is clearly the service. Rejected flows keep
 * both ports: their ports are the evidence (scans, blocked responses) and the JSON counts them.
 */
function conversationPorts(record: FlowRecord): [number | undefined, number | undefined] {
	const {srcPort, dstPort} = record;
	if (record.action !== 'ACCEPT' || srcPort === undefined || dstPort === undefined || !isPortProtocol(record.protocol)) {
		return [srcPort, dstPort];
	}

	const service = servicePortOf(srcPort, dstPort);
	const client = service === srcPort ? dstPort : srcPort;
	if (client < FIRST_EPHEMERAL_PORT || serviceName(client) !== undefined) {
		return [srcPort, dstPort];
	}

	return service === srcPort ? [srcPort, undefined] : [undefined, dstPort];
}

/**
 * Time-bucketed aggregates over a sliding window, with memory bounded whatever arrives:
 * - buckets older than the window are dropped as the newest record time (or the clock) moves on;
 * - an unbounded window doubles its bucket width instead of growing past maxBuckets;
 * - within the window, at most maxFlows conversations are kept in full; further ones are folded
 *   into coarser aggregates (no ports, then no addresses). Totals, protocols and actions stay exact;
 *   `summarized` counts the records that lost detail, and the UI says so.
 */
export class FlowStore {
	readonly profiles = new InterfaceProfiles();
	/** Every record ever added, by log-status, in the window or not. */
	readonly totals: RecordCounts = emptyCounts();
	/** Records that arrived older than the window and were counted but not kept. */
	tooOld = 0;
	/** Records folded into a coarser aggregate by the memory bound. */
	summarized = 0;
	/** Newest time seen, Unix seconds: the end of the newest record, or the clock if later. */
	now = 0;
	readonly windowSeconds: number;
	private width: number;
	private readonly maxFlows: number;
	private readonly maxBuckets: number;
	private readonly buckets = new Map<number, Bucket>();
	private flowCount = 0;
	private readonly rejects: FlowRecord[] = [];
	private rejectsNext = 0;
	/** Bumped on every change; views cache on it. */
	version = 0;

	constructor(options: StoreOptions = {}) {
		this.width = options.bucketSeconds ?? 60;
		this.windowSeconds = options.windowSeconds ?? 900;
		this.maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS;
		this.maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
	}

	get bucketSeconds(): number {
		return this.width;
	}

	/** Conversations held right now, across the window. */
	get size(): number {
		return this.flowCount;
	}

	add(records: readonly FlowRecord[]): void {
		let newest = this.now;
		for (const record of records) {
			const end = record.end ?? record.start;
			if (end !== undefined && end > newest) {
				newest = end;
			}
		}

		this.moveTo(newest);
		const cutoff = this.cutoff();
		for (const record of records) {
			countStatus(this.totals, record);
			const time = record.start ?? record.end ?? this.now;
			if (time < cutoff) {
				this.tooOld++;
				continue;
			}

			const bucket = this.bucketFor(time);
			countStatus(bucket.counts, record);
			bucket.first = Math.min(bucket.first, time);
			bucket.last = Math.max(bucket.last, record.end ?? time);
			if (record.status !== 'OK') {
				continue;
			}

			if (record.eni !== undefined) {
				this.profiles.add(record, record.eni);
			}

			this.aggregate(bucket, record, time);
			if (record.action === 'REJECT') {
				this.remember(record);
			}
		}

		this.version++;
	}

	/** Let the clock slide the window while no records arrive (live sources). */
	advanceTo(nowSeconds: number): void {
		if (nowSeconds > this.now) {
			this.moveTo(nowSeconds);
			this.version++;
		}
	}

	/** Buckets inside the window, oldest first. */
	bucketsInWindow(): Bucket[] {
		return [...this.buckets.values()].sort((a, b) => a.start - b.start);
	}

	*flows(): IterableIterator<FlowAgg> {
		for (const bucket of this.buckets.values()) {
			yield * bucket.flows.values();
		}
	}

	/** Records of the window by log-status. */
	windowCounts(): RecordCounts {
		const counts = emptyCounts();
		for (const bucket of this.buckets.values()) {
			counts.ok += bucket.counts.ok;
			counts.nodata += bucket.counts.nodata;
			counts.skipdata += bucket.counts.skipdata;
		}

		return counts;
	}

	/** Earliest start and latest end of the records in the window, or undefined when it is empty. */
	dataBounds(): {start: number; end: number} | undefined {
		let start = Number.POSITIVE_INFINITY;
		let end = Number.NEGATIVE_INFINITY;
		for (const bucket of this.buckets.values()) {
			start = Math.min(start, bucket.first);
			end = Math.max(end, bucket.last);
		}

		return start <= end ? {start, end} : undefined;
	}

	/** The most recent REJECT records, newest first. */
	recentRejects(): FlowRecord[] {
		const ordered = [...this.rejects.slice(this.rejectsNext), ...this.rejects.slice(0, this.rejectsNext)];
		return ordered.reverse();
	}

	private cutoff(): number {
		return this.windowSeconds === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : this.now - this.windowSeconds;
	}

	private moveTo(now: number): void {
		this.now = now;
		const cutoff = this.cutoff();
		for (const [start, bucket] of this.buckets) {
			if (start + this.width <= cutoff) {
				this.flowCount -= bucket.flows.size;
				this.buckets.delete(start);
			}
		}
	}

	private bucketFor(time: number): Bucket {
		const start = Math.floor(time / this.width) * this.width;
		let bucket = this.buckets.get(start);
		if (!bucket) {
			if (this.buckets.size >= this.maxBuckets) {
				this.widen();
				return this.bucketFor(time);
			}

			bucket = newBucket(start);
			this.buckets.set(start, bucket);
		}

		return bucket;
	}

	private widen(): void {
		const old = [...this.buckets.values()];
		this.width *= 2;
		this.buckets.clear();
		this.flowCount = 0;
		for (const bucket of old) {
			const start = Math.floor(bucket.start / this.width) * this.width;
			let target = this.buckets.get(start);
			if (!target) {
				target = newBucket(start);
				this.buckets.set(start, target);
			}

			target.first = Math.min(target.first, bucket.first);
			target.last = Math.max(target.last, bucket.last);
			target.counts.ok += bucket.counts.ok;
			target.counts.nodata += bucket.counts.nodata;
			target.counts.skipdata += bucket.counts.skipdata;
			for (const [key, flow] of bucket.flows) {
				const existing = target.flows.get(key);
				if (existing) {
					merge(existing, flow);
				} else {
					target.flows.set(key, flow);
					this.flowCount++;
				}
			}
		}
	}

	private aggregate(bucket: Bucket, record: FlowRecord, time: number): void {
		let [srcPort, dstPort] = conversationPorts(record);
		let {src, dst} = record;
		let detail: FlowAgg['detail'] = 'exact';
		let key = `${record.eni ?? ''}|${src ?? ''}|${dst ?? ''}|${srcPort ?? ''}|${dstPort ?? ''}|${record.protocol ?? ''}|${record.action ?? ''}|${record.direction ?? ''}`;
		let flow = bucket.flows.get(key);
		if (!flow && this.flowCount >= this.maxFlows) {
			srcPort = undefined;
			dstPort = undefined;
			detail = 'ports';
			if (this.flowCount >= this.maxFlows * ADDRESS_SUMMARY_FACTOR) {
				src = undefined;
				dst = undefined;
				detail = 'addresses';
			}

			key = `${detail}|${record.eni ?? ''}|${src ?? ''}|${dst ?? ''}|${record.protocol ?? ''}|${record.action ?? ''}|${record.direction ?? ''}`;
			flow = bucket.flows.get(key);
			this.summarized++;
		}

		const end = record.end ?? time;
		if (flow) {
			flow.bytes += record.bytes ?? 0;
			flow.packets += record.packets ?? 0;
			flow.flows++;
			flow.first = Math.min(flow.first, time);
			flow.last = Math.max(flow.last, end);
			flow.tcpFlags |= record.tcpFlags ?? 0;
			return;
		}

		bucket.flows.set(detach(key), {
			eni: record.eni === undefined ? undefined : detach(record.eni),
			src: src === undefined ? undefined : detach(src),
			dst: dst === undefined ? undefined : detach(dst),
			srcPort,
			dstPort,
			protocol: record.protocol,
			action: record.action,
			direction: record.direction,
			detail,
			bytes: record.bytes ?? 0,
			packets: record.packets ?? 0,
			flows: 1,
			first: time,
			last: end,
			tcpFlags: record.tcpFlags ?? 0,
		});
		this.flowCount++;
	}

	private remember(record: FlowRecord): void {
		const copy: FlowRecord = {
			...record,
			eni: record.eni === undefined ? undefined : detach(record.eni),
			account: undefined,
			src: record.src === undefined ? undefined : detach(record.src),
			dst: record.dst === undefined ? undefined : detach(record.dst),
			vpcId: undefined,
			subnetId: undefined,
			instanceId: undefined,
			pktSrc: undefined,
			pktDst: undefined,
			interfaceType: undefined,
		};
		if (this.rejects.length < RECENT_REJECTS) {
			this.rejects.push(copy);
		} else {
			this.rejects[this.rejectsNext] = copy;
			this.rejectsNext = (this.rejectsNext + 1) % RECENT_REJECTS;
		}
	}
}

function merge(into: FlowAgg, from: FlowAgg): void {
	into.bytes += from.bytes;
	into.packets += from.packets;
	into.flows += from.flows;
	into.first = Math.min(into.first, from.first);
	into.last = Math.max(into.last, from.last);
	into.tcpFlags |= from.tcpFlags;
}
