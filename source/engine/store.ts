import type {Action, FlowRecord} from '../flowlog/record.js';
import type {Direction} from '../net/direction.js';
import {FIRST_EPHEMERAL_PORT, isPortProtocol, servicePortOf, serviceName} from '../flowlog/protocols.js';
import {
	ACCEPT,
	FlowColumns,
	INBOUND,
	IPV6,
	NO_TEXT,
	OUTBOUND,
	REJECT,
	STATUS_NODATA,
	STATUS_OK,
	STATUS_SKIPDATA,
} from '../flowlog/flow-columns.js';
import type {TextDictionary} from '../flowlog/dictionary.js';
import {detach} from '../text/detach.js';
import {
	ACTION_ACCEPT,
	ACTION_MASK,
	ACTION_NONE,
	ACTION_REJECT,
	ConversationTable,
	DETAIL_ADDRESSES,
	DETAIL_EXACT,
	DETAIL_MASK,
	DETAIL_PORTS,
	DIRECTION_OUTBOUND,
	DIRECTION_INBOUND,
	DIRECTION_MASK,
	DIRECTION_NONE,
	REASON_BPA,
	type TableRows,
} from './conversation-table.js';
import type {Filterable} from './filter.js';
import {type FoldedPart, FoldedPairs} from './folded-pairs.js';
import {FoldedSpill, type SpillPlace} from './folded-spill.js';
import {type GapsPart, InterfaceGaps} from './interface-gaps.js';
import {InterfaceProfiles, type ProfilePart} from './interfaces.js';
import {Interner} from './interner.js';
import {SumTable} from './sum-table.js';

/**
 * One conversation of one bucket as an object: for evidence, tests and anything that reads a few
 * rows. Views and rules that read every row use the table's columns directly.
 *
 * `detail` says how much survived the memory bound: `exact` keeps both ports (an accepted flow's
 * ephemeral client port is always folded away, undefined); `ports` dropped both ports;
 * `addresses` dropped the addresses too.
 */
export interface FlowAgg extends Filterable {
	readonly direction: Direction | undefined;
	readonly detail: 'exact' | 'ports' | 'addresses';
	readonly bytes: number;
	readonly packets: number;
	/** Records summed into this aggregate. */
	readonly flows: number;
	/** Unix seconds: start of the earliest record, end of the latest. */
	readonly first: number;
	readonly last: number;
	readonly tcpFlags: number;
}

/**
 * A row of a Logs Insights `stats` query: `records` records alike in every field set here, with
 * `bytes` and `packets` their sums, `start` the earliest start and `end` the latest end, and
 * `tcpFlags` the OR of their flags.
 */
export interface AggregatedRecords extends FlowRecord {
	readonly records: number;
}

export interface RecordCounts {
	ok: number;
	nodata: number;
	skipdata: number;
}

export interface Bucket {
	readonly start: number;
	/** Replaced whole when the memory bound folds conversations (compact()). */
	table: ConversationTable;
	readonly counts: RecordCounts;
	/** SKIPDATA and NODATA records per interface. */
	readonly gaps: InterfaceGaps;
	/**
	 * The sums by address pair of the conversations compact() took the addresses of (on disk
	 * instead when the store spills).
	 */
	readonly folded: FoldedPairs;
	/** Unix seconds: earliest start and latest end among the bucket's records, any log-status. */
	first: number;
	last: number;
}

/** A store's contents as plain data (FlowStore.part()), for absorb() on another thread. */
export interface StorePart {
	readonly texts: readonly string[];
	readonly width: number;
	readonly buckets: ReadonlyArray<{
		start: number;
		first: number;
		last: number;
		counts: RecordCounts;
		gaps: GapsPart;
		rows: TableRows;
		folded: FoldedPart;
	}>;
	readonly profiles: ProfilePart[];
	/** Oldest first. */
	readonly rejects: FlowRecord[];
	readonly totals: RecordCounts;
	readonly tooOld: number;
	readonly summarized: number;
	readonly now: number;
	/** Files holding the folded sums the store spilled to disk (FoldedSpill). */
	readonly spilled: readonly string[];
}

/** The buffers of a part: transferred rather than copied when it crosses threads. */
export function partBuffers(part: StorePart): ArrayBuffer[] {
	return part.buckets.flatMap(({rows, folded}) =>
		[
			folded.src,
			folded.dst,
			folded.rejected,
			folded.bytes,
			folded.packets,
			folded.flows,
			folded.last,
			rows.eni,
			rows.src,
			rows.dst,
			rows.srcPort,
			rows.dstPort,
			rows.protocol,
			rows.code,
			rows.tcpFlags,
			rows.bytes,
			rows.packets,
			rows.flows,
			rows.first,
			rows.last,
		].map(column => column.buffer as ArrayBuffer),
	);
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
	/**
	 * Where folded sums go instead of memory (FoldedSpill), so memory stays flat however many
	 * distinct pairs there are. Only for a store that keeps everything and is read once (`--once`):
	 * a spilled sum has no bucket, so a sliding window could not let it go.
	 */
	readonly spill?: SpillPlace | undefined;
}

// A conversation row costs about 100 bytes, so the default bound holds 2 million of them in about
// 200 MB: far more than a busy VPC's fifteen minutes once ephemeral ports are folded. Past it, new
// conversations lose their ports; at a quarter more, compact() folds the addresses of the smallest
// conversations, keeping the biggest whole up to half the bound, so rows never pass 1.25x the bound
// plus one folded row per interface, protocol and action.
const DEFAULT_MAX_FLOWS = 2_000_000;
const COMPACT_FACTOR = 1.25;
const KEEP_SHARE = 0.5;
// A day of one-minute buckets.
const DEFAULT_MAX_BUCKETS = 1440;
const RECENT_REJECTS = 200;
const MIN_TABLE_ROWS = 64;
const MAX_TABLE_HINT = 1 << 20;
// Interned strings are compacted when at least this many exist and most are no longer used.
const COMPACT_MIN_STRINGS = 100_000;

/** Entries of a column, largest value first; ties in entry order, so the outcome is deterministic. */
function ranked(values: Float64Array, size: number): Uint32Array {
	return Uint32Array.from({length: size}, (_, entry) => entry).sort((a, b) => values[b]! - values[a]! || a - b);
}

function emptyCounts(): RecordCounts {
	return {ok: 0, nodata: 0, skipdata: 0};
}

function newBucket(start: number, table = new ConversationTable()): Bucket {
	return {
		start,
		table,
		counts: emptyCounts(),
		gaps: new InterfaceGaps(),
		folded: new FoldedPairs(),
		first: Number.POSITIVE_INFINITY,
		last: Number.NEGATIVE_INFINITY,
	};
}

function countStatus(counts: RecordCounts, status: number, weight: number): void {
	if (status === STATUS_OK) {
		counts.ok += weight;
	} else if (status === STATUS_NODATA) {
		counts.nodata += weight;
	} else {
		counts.skipdata += weight;
	}
}

/**
 * An accepted flow's client port is different for every connection, so keeping it would store one
 * conversation per connection. Fold it when the other port is clearly the service. Rejected flows
 * keep both ports: their ports are the evidence (scans, blocked responses) and the JSON counts them.
 * Returns the ports to key on, -1 for absent or folded.
 */
function conversationPorts(batch: FlowColumns, row: number, out: Int32Array): void {
	const srcPort = batch.srcPort[row]!;
	const dstPort = batch.dstPort[row]!;
	out[0] = srcPort;
	out[1] = dstPort;
	if (batch.action[row] !== ACCEPT || srcPort < 0 || dstPort < 0 || !isPortProtocol(batch.protocol[row])) {
		return;
	}

	const service = servicePortOf(srcPort, dstPort);
	const client = service === srcPort ? dstPort : srcPort;
	if (client >= FIRST_EPHEMERAL_PORT && serviceName(client) === undefined) {
		out[service === srcPort ? 1 : 0] = -1;
	}
}

/** A row's action, direction and reject reason in a conversation's code. */
function codeOf(batch: FlowColumns, row: number): number {
	const action = batch.action[row];
	const direction = batch.direction[row];
	return (
		(action === ACCEPT ? ACTION_ACCEPT : action === REJECT ? ACTION_REJECT : ACTION_NONE) |
		(direction === INBOUND ? DIRECTION_INBOUND : direction === OUTBOUND ? DIRECTION_OUTBOUND : DIRECTION_NONE) |
		(batch.rejectReason[row] !== NO_TEXT && batch.text(batch.rejectReason[row]!) === 'BPA' ? REASON_BPA : 0)
	);
}

/** A measure the record may not carry (NaN in its column) as the store sums it. */
function orZero(value: number): number {
	return Number.isNaN(value) ? 0 : value;
}

export function actionOf(code: number): Action | undefined {
	const action = code & ACTION_MASK;
	return action === ACTION_ACCEPT ? 'ACCEPT' : action === ACTION_REJECT ? 'REJECT' : undefined;
}

export function directionOfCode(code: number): Direction | undefined {
	const direction = code & DIRECTION_MASK;
	return direction === DIRECTION_INBOUND ? 'inbound' : direction === DIRECTION_OUTBOUND ? 'outbound' : undefined;
}

/**
 * Time-bucketed aggregates over a sliding window, with memory bounded whatever arrives:
 * - buckets older than the window are dropped as the newest record time (or the clock) moves on;
 * - an unbounded window doubles its bucket width instead of spanning more than maxBuckets;
 * - within the window, at most maxFlows conversations are kept in full; further ones lose their
 *   ports, and past a quarter more the smallest conversations lose their addresses (compact()).
 *   Totals, protocols and actions stay exact, and so do the sums by address pair and by rejected
 *   source, which the lists rank (FoldedPairs keeps them for what was folded, or FoldedSpill on
 *   disk for a store given a place to spill); `summarized` counts
 *   the records that lost detail, and the UI and the report say so;
 * - interned addresses no bucket refers to any more are forgotten.
 */
export class FlowStore {
	readonly strings = new Interner();
	readonly profiles = new InterfaceProfiles(this.strings);
	/** Every record ever added, by log-status, in the window or not. */
	readonly totals: RecordCounts = emptyCounts();
	/** Records that arrived older than the window and were counted but not kept. */
	tooOld = 0;
	/** Records folded into a coarser aggregate by the memory bound. */
	summarized = 0;
	/** The folded sums written to disk, when the store was given a place for them. */
	readonly spill: FoldedSpill | undefined;
	/** Newest time seen, Unix seconds: the end of the newest record, or the clock if later. */
	now = 0;
	/** Bumped on every change; views cache on it. */
	version = 0;
	readonly windowSeconds: number;
	private width: number;
	/** Conversations kept in full detail before new ones are summarized. */
	private maxFlows: number;
	private readonly maxBuckets: number;
	private readonly buckets = new Map<number, Bucket>();
	private flowCount = 0;
	/**
	 * Rows left by the last compact(). The folded rows (one per bucket, interface, protocol and
	 * action) could by themselves come near the bound: the next compact() waits for as many new rows
	 * as a normal one makes room for, so each row is ranked a bounded number of times.
	 */
	private compactedTo = 0;
	/** The bucket made last: the size its successor is made at. */
	private newest: Bucket | undefined;
	private readonly rejects: FlowRecord[] = [];
	private rejectsNext = 0;
	private readonly ports = new Int32Array(2);
	/** The batch add() fills from records. */
	private readonly batch = new FlowColumns();
	/**
	 * The interned id of each code of `codesOf` (the dictionary of the batches coming in), -1 until
	 * looked up: a text is hashed once per input rather than once per record.
	 */
	private codeIds = new Int32Array(1024).fill(-1);
	private codesOf: TextDictionary | undefined;
	private codesGeneration = 0;

	constructor(options: StoreOptions = {}) {
		this.width = options.bucketSeconds ?? 60;
		this.windowSeconds = options.windowSeconds ?? 900;
		this.maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS;
		this.maxBuckets = options.maxBuckets ?? DEFAULT_MAX_BUCKETS;
		this.spill = options.spill && new FoldedSpill(options.spill, this.strings);
	}

	/** The memory bound, in conversations kept in full detail. */
	get flowLimit(): number {
		return this.maxFlows;
	}

	/**
	 * Raise the memory bound: a file read in ranges gives each range's store a share of it, and
	 * the first range's store, absorbing the others, becomes the whole file's.
	 */
	raiseFlowLimit(maxFlows: number): void {
		this.maxFlows = Math.max(this.maxFlows, maxFlows);
	}

	get bucketSeconds(): number {
		return this.width;
	}

	/** Conversations held right now, across the window. */
	get size(): number {
		return this.flowCount;
	}

	/** Folded sums held in memory right now, across the window. */
	get foldedSize(): number {
		let size = 0;
		for (const bucket of this.buckets.values()) {
			size += bucket.folded.size;
		}

		return size;
	}

	add(records: readonly FlowRecord[]): void {
		const batch = this.batch;
		batch.clear();
		for (const record of records) {
			batch.add(record);
		}

		this.addColumns(batch);
	}

	/**
	 * Rows of Logs Insights `stats` queries, each "N records with these totals": counted, bucketed,
	 * profiled and ranked as N records would be, so the views and the diagnosis read them as they read
	 * raw records. A field a row was not grouped by is undefined and stays out of whatever ranks it.
	 */
	addAggregated(rows: readonly AggregatedRecords[]): void {
		const batch = this.batch;
		batch.clear();
		for (const row of rows) {
			batch.add(row, row.records);
		}

		this.addColumns(batch);
	}

	/**
	 * Forget everything, the memory bound and the clock aside: an aggregate poll hands over the whole
	 * window afresh, and these are the totals it replaces.
	 */
	clear(): void {
		this.buckets.clear();
		this.flowCount = 0;
		this.compactedTo = 0;
		this.newest = undefined;
		this.profiles.clear();
		this.rejects.length = 0;
		this.rejectsNext = 0;
		this.totals.ok = 0;
		this.totals.nodata = 0;
		this.totals.skipdata = 0;
		this.tooOld = 0;
		this.summarized = 0;
		this.version++;
	}

	/**
	 * Sum a batch of records given as columns: the way in for every reader, with no object per
	 * record. The batch is read, not kept: a reader may clear and refill it.
	 */
	addColumns(batch: FlowColumns): void {
		const {size, status, start: starts, end: ends} = batch;
		if (batch.dictionary !== this.codesOf || batch.dictionary.generation !== this.codesGeneration) {
			this.codesOf = batch.dictionary;
			this.codesGeneration = batch.dictionary.generation;
			this.codeIds.fill(-1);
		}

		let newest = this.now;
		for (let row = 0; row < size; row++) {
			const end = Number.isNaN(ends[row]!) ? starts[row]! : ends[row]!;
			if (end > newest) {
				newest = end;
			}
		}

		this.moveTo(newest);
		const cutoff = this.cutoff();
		let bucket: Bucket | undefined;
		for (let row = 0; row < size; row++) {
			const state = status[row]!;
			const weight = batch.records[row]!;
			countStatus(this.totals, state, weight);
			const begin = starts[row]!;
			const finish = ends[row]!;
			const time = Number.isNaN(begin) ? (Number.isNaN(finish) ? this.now : finish) : begin;
			if (time < cutoff) {
				this.tooOld += weight;
				continue;
			}

			if (bucket === undefined || time < bucket.start || time >= bucket.start + this.width) {
				bucket = this.bucketFor(time);
			}

			countStatus(bucket.counts, state, weight);
			if (time < bucket.first) {
				bucket.first = time;
			}

			const end = Number.isNaN(finish) ? time : finish;
			if (end > bucket.last) {
				bucket.last = end;
			}

			if (state !== STATUS_OK) {
				bucket.gaps.add(batch.text(batch.eni[row]!), state === STATUS_SKIPDATA, time, end, weight);
				continue;
			}

			const eni = this.textId(batch, batch.eni[row]!);
			const src = this.addressId(batch, batch.src[row]!);
			const dst = this.addressId(batch, batch.dst[row]!);
			if (eni >= 0) {
				this.profiles.add(batch, row, eni, src, dst);
			}

			conversationPorts(batch, row, this.ports);
			this.aggregateRow(
				bucket,
				eni,
				src,
				dst,
				this.ports[0]!,
				this.ports[1]!,
				batch.protocol[row]!,
				codeOf(batch, row),
				orZero(batch.bytes[row]!),
				orZero(batch.packets[row]!),
				weight,
				time,
				end,
				orZero(batch.tcpFlags[row]!),
			);
			if (batch.action[row] === REJECT) {
				this.remember(batch.record(row));
			}
		}

		this.forgetUnusedStrings();
		this.version++;
	}

	/** The interned id of a batch's text code, or -1 for NO_TEXT. */
	private textId(batch: FlowColumns, code: number): number {
		if (code < 0) {
			return -1;
		}

		if (code >= this.codeIds.length) {
			const grown = new Int32Array(Math.max(code + 1, this.codeIds.length * 2)).fill(-1);
			grown.set(this.codeIds);
			this.codeIds = grown;
		}

		let id = this.codeIds[code]!;
		if (id < 0) {
			id = this.strings.id(batch.dictionary.text(code));
			this.codeIds[code] = id;
		}

		return id;
	}

	/** The interned id of a batch's address value, or -1 when absent. */
	private addressId(batch: FlowColumns, value: number): number {
		if (value < 0) {
			return -1;
		}

		return value >= IPV6 ? this.textId(batch, value - IPV6) : this.strings.ipv4Id(value);
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

	flowAt(table: ConversationTable, row: number): FlowAgg {
		const id = (value: number) => (value < 0 ? undefined : this.strings.text(value));
		const port = (value: number) => (value < 0 ? undefined : value);
		const code = table.code[row]!;
		const detail = code & DETAIL_MASK;
		return {
			eni: id(table.eni[row]!),
			src: id(table.src[row]!),
			dst: id(table.dst[row]!),
			srcPort: port(table.srcPort[row]!),
			dstPort: port(table.dstPort[row]!),
			protocol: port(table.protocol[row]!),
			action: actionOf(code),
			direction: directionOfCode(code),
			detail: detail === DETAIL_PORTS ? 'ports' : detail === DETAIL_ADDRESSES ? 'addresses' : 'exact',
			bytes: table.bytes[row]!,
			packets: table.packets[row]!,
			flows: table.flows[row]!,
			first: table.first[row]!,
			last: table.last[row]!,
			tcpFlags: table.tcpFlags[row]!,
		};
	}

	/** Every conversation of the window as an object, bucket by bucket. */
	*flows(): IterableIterator<FlowAgg> {
		for (const bucket of this.bucketsInWindow()) {
			for (let row = 0; row < bucket.table.size; row++) {
				yield this.flowAt(bucket.table, row);
			}
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

	/** The most recent REJECT records of the window, newest first. */
	recentRejects(): FlowRecord[] {
		const cutoff = this.cutoff();
		return [...this.rejects.slice(this.rejectsNext), ...this.rejects.slice(0, this.rejectsNext)]
			.reverse()
			.filter(record => (record.start ?? record.end ?? this.now) >= cutoff);
	}

	/** Start of the window, Unix seconds (-Infinity when unbounded). */
	cutoff(): number {
		return this.windowSeconds === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : this.now - this.windowSeconds;
	}

	/**
	 * Everything this store holds, as plain data another thread can send (with partBuffers() transferred).
	 * A file read in ranges by several threads is one store per range, merged with absorb().
	 */
	part(): StorePart {
		const buckets = this.bucketsInWindow().map(({start, first, last, counts, gaps, table, folded}) => ({
			start,
			first,
			last,
			counts,
			gaps: gaps.part(),
			rows: table as TableRows,
			folded: folded.part(),
		}));
		return {
			texts: this.strings.all(),
			width: this.width,
			buckets,
			profiles: this.profiles.part(),
			rejects: [...this.rejects.slice(this.rejectsNext), ...this.rejects.slice(0, this.rejectsNext)],
			totals: this.totals,
			tooOld: this.tooOld,
			summarized: this.summarized,
			now: this.now,
			spilled: this.spill?.all() ?? [],
		};
	}

	/**
	 * Add what another store read, as if its records had come after this store's: the file range
	 * after this one. Ids are re-interned, widths aligned, and the memory bound holds as in add().
	 */
	absorb(part: StorePart): void {
		const ids = new Int32Array(part.texts.length);
		for (const [id, text] of part.texts.entries()) {
			ids[id] = this.strings.id(text);
		}

		const remap = (id: number) => (id < 0 ? id : ids[id]!);
		while (this.width < part.width) {
			this.widen();
		}

		for (const {start, first, last, counts, gaps, rows, folded} of part.buckets) {
			const aligned = Math.floor(start / this.width) * this.width;
			// A time this store has no bucket for (the usual case: a later range of a file) takes the
			// other's table over whole; only a shared bucket is summed row by row.
			const adopt = !this.buckets.has(aligned) && this.fits(aligned) && this.flowCount + rows.size <= this.maxFlows;
			const bucket = adopt ? newBucket(aligned, ConversationTable.adopt(rows, ids)) : this.bucketFor(start);
			bucket.first = Math.min(bucket.first, first);
			bucket.last = Math.max(bucket.last, last);
			bucket.counts.ok += counts.ok;
			bucket.counts.nodata += counts.nodata;
			bucket.counts.skipdata += counts.skipdata;
			bucket.gaps.absorb(gaps);
			bucket.folded.absorb(folded, ids);
			if (adopt) {
				this.buckets.set(aligned, bucket);
				this.flowCount += rows.size;
				continue;
			}

			for (let row = 0; row < rows.size; row++) {
				this.aggregateRow(
					bucket,
					remap(rows.eni[row]!),
					remap(rows.src[row]!),
					remap(rows.dst[row]!),
					rows.srcPort[row]!,
					rows.dstPort[row]!,
					rows.protocol[row]!,
					rows.code[row]!,
					rows.bytes[row]!,
					rows.packets[row]!,
					rows.flows[row]!,
					rows.first[row]!,
					rows.last[row]!,
					rows.tcpFlags[row]!,
				);
			}
		}

		this.profiles.absorb(part.profiles, ids);
		for (const record of part.rejects) {
			this.remember(record);
		}

		this.totals.ok += part.totals.ok;
		this.totals.nodata += part.totals.nodata;
		this.totals.skipdata += part.totals.skipdata;
		this.tooOld += part.tooOld;
		this.summarized += part.summarized;
		this.spill?.adopt(part.spilled);
		this.moveTo(Math.max(this.now, part.now));
		this.forgetUnusedStrings();
		this.version++;
	}

	private moveTo(now: number): void {
		this.now = now;
		const cutoff = this.cutoff();
		let dropped = false;
		for (const [start, bucket] of this.buckets) {
			if (start + this.width <= cutoff) {
				this.flowCount -= bucket.table.size;
				this.buckets.delete(start);
				dropped = true;
			}
		}

		if (dropped) {
			this.forgetUnusedStrings();
		}
	}

	/** Forget interned strings once most are no longer used: by dropped buckets or folded rows. */
	private forgetUnusedStrings(): void {
		if (this.strings.size < COMPACT_MIN_STRINGS) {
			return;
		}

		if (this.strings.size > 4 * (this.flowCount + this.foldedSize + this.profiles.size)) {
			this.compactStrings();
		}
	}

	private compactStrings(): void {
		const live = new Uint8Array(this.strings.size);
		for (const bucket of this.buckets.values()) {
			bucket.table.markLive(live);
			bucket.folded.markLive(live);
		}

		this.profiles.markLive(live);
		const remap = this.strings.compact(live);
		this.codeIds.fill(-1);
		for (const bucket of this.buckets.values()) {
			bucket.table.remap(remap);
			bucket.folded.remap(remap);
		}

		this.profiles.remap(remap);
	}

	/**
	 * Whether a new bucket at `start` keeps within maxBuckets, counting the empty ones between the
	 * first and the last too: views walk that span, so it must not grow with the time between two
	 * records (one from 1970 among today's would be 29 million empty minutes).
	 */
	private fits(start: number): boolean {
		if (this.buckets.size >= this.maxBuckets) {
			return false;
		}

		let first = start;
		let last = start;
		for (const other of this.buckets.keys()) {
			first = Math.min(first, other);
			last = Math.max(last, other);
		}

		return (last - first) / this.width < this.maxBuckets;
	}

	private bucketFor(time: number): Bucket {
		let start = Math.floor(time / this.width) * this.width;
		let bucket = this.buckets.get(start);
		if (!bucket) {
			while (!this.fits(start)) {
				this.widen();
				start = Math.floor(time / this.width) * this.width;
				bucket = this.buckets.get(start);
				if (bucket) {
					return bucket;
				}
			}

			// A bucket holds about as many conversations as the one before it: sized so, it skips the
			// doublings (each a copy of every column) a table growing from empty goes through.
			let capacity = MIN_TABLE_ROWS;
			while (capacity < Math.min(this.newest?.table.size ?? 0, MAX_TABLE_HINT)) {
				capacity *= 2;
			}

			// The records have moved on: the bucket filled before this one keeps its rows, not its room,
			// and this one fills the room it gave back when that is about the size it needs.
			const spare = this.newest?.table.trim();
			const table =
				spare && spare.eni.length >= capacity && spare.eni.length <= 2 * capacity
					? spare
					: new ConversationTable(capacity);
			bucket = newBucket(start, table);
			this.buckets.set(start, bucket);
			this.newest = bucket;
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
			target.gaps.absorb(bucket.gaps.part());
			target.folded.absorb(bucket.folded.part());
			target.table.absorb(bucket.table);
		}

		for (const bucket of this.buckets.values()) {
			this.flowCount += bucket.table.size;
		}
	}

	/** Sum into the conversation's row, or a new one, or (past the memory bound) one without ports. */
	private aggregateRow(
		bucket: Bucket,
		eni: number,
		src: number,
		dst: number,
		srcPort: number,
		dstPort: number,
		protocol: number,
		code: number,
		bytes: number,
		packets: number,
		flows: number,
		first: number,
		last: number,
		tcpFlags: number,
	): void {
		const {table} = bucket;
		let row = table.find(eni, src, dst, srcPort, dstPort, protocol, code);
		// A row absorbed from another store may have lost detail there already: it was counted there.
		if (row < 0 && this.flowCount >= this.maxFlows && (code & DETAIL_MASK) === DETAIL_EXACT) {
			this.summarized += flows;
			srcPort = -1;
			dstPort = -1;
			code |= DETAIL_PORTS;
			row = table.find(eni, src, dst, srcPort, dstPort, protocol, code);
		}

		if (row < 0) {
			row = table.insert(eni, src, dst, srcPort, dstPort, protocol, code);
			this.flowCount++;
		}

		table.accumulate(row, bytes, packets, flows, first, last, tcpFlags);
		if (
			this.flowCount >=
			Math.max(this.maxFlows * COMPACT_FACTOR, this.compactedTo + this.maxFlows * (COMPACT_FACTOR - KEEP_SHARE))
		) {
			this.compact();
		}
	}

	/**
	 * Make room past the memory bound. The lists rank address pairs by bytes and by records, and
	 * rejected sources by records: the conversations of the pairs and sources highest in those
	 * rankings, taken in turn, keep their addresses up to half the bound; every other conversation
	 * is folded into one row per bucket, interface, protocol and action, and its sums by address
	 * pair go to the bucket's FoldedPairs. What is folded still counts in every total, and every
	 * pair's sums stay exact, even one folded while small that grows big later; the report says
	 * when anything was summarized.
	 */
	private compact(): void {
		const buckets = [...this.buckets.values()];
		let capacity = MIN_TABLE_ROWS;
		while (capacity < this.flowCount) {
			capacity *= 2;
		}

		const pairs = new SumTable(capacity);
		// Rejected sources by interned id: records and rows (what keeping one costs).
		const rejectedFlows = new Float64Array(this.strings.size);
		const rejectedRows = new Float64Array(this.strings.size);
		// Each row's pair, -1 for none: rows folded already have no addresses.
		const pairOf = buckets.map(({table}) => new Int32Array(table.size).fill(-1));
		for (const [index, {table}] of buckets.entries()) {
			for (let row = 0; row < table.size; row++) {
				const src = table.src[row]!;
				const dst = table.dst[row]!;
				if (src >= 0 || dst >= 0) {
					const entry = pairs.row(src, dst);
					pairs.add(entry, table.bytes[row]!, 1, table.flows[row]!);
					pairOf[index]![row] = entry;
				}

				if (src >= 0 && (table.code[row]! & ACTION_MASK) === ACTION_REJECT) {
					rejectedFlows[src]! += table.flows[row]!;
					rejectedRows[src]! += 1;
				}
			}
		}

		// `packets` counts rows here: what keeping a pair costs.
		const keepPair = new Uint8Array(pairs.size);
		const keepRejecter = new Uint8Array(this.strings.size);
		const rankings = [
			{keep: keepPair, order: ranked(pairs.bytes, pairs.size), cost: pairs.packets},
			{keep: keepPair, order: ranked(pairs.flows, pairs.size), cost: pairs.packets},
			{keep: keepRejecter, order: ranked(rejectedFlows, this.strings.size), cost: rejectedRows},
		];
		let budget = Math.floor(this.maxFlows * KEEP_SHARE);
		for (let rank = 0; budget > 0 && rankings.some(({order}) => rank < order.length); rank++) {
			for (const {keep, order, cost} of rankings) {
				const entry = order[rank];
				if (entry !== undefined && keep[entry] === 0 && budget > 0) {
					keep[entry] = 1;
					budget -= cost[entry]!;
				}
			}
		}

		this.flowCount = 0;
		for (const [index, bucket] of buckets.entries()) {
			const old = bucket.table;
			const table = new ConversationTable(MIN_TABLE_ROWS);
			for (let row = 0; row < old.size; row++) {
				let src = old.src[row]!;
				let dst = old.dst[row]!;
				let srcPort = old.srcPort[row]!;
				let dstPort = old.dstPort[row]!;
				let code = old.code[row]!;
				const pair = pairOf[index]![row]!;
				const rejecter = src >= 0 && (code & ACTION_MASK) === ACTION_REJECT;
				const folded = pair >= 0 && keepPair[pair] === 0 && !(rejecter && keepRejecter[src] === 1);
				if (folded) {
					if ((code & DETAIL_MASK) === DETAIL_EXACT) {
						this.summarized += old.flows[row]!;
					}

					(this.spill ?? bucket.folded).add(
						src,
						dst,
						(code & ACTION_MASK) === ACTION_REJECT,
						old.bytes[row]!,
						old.packets[row]!,
						old.flows[row]!,
						old.last[row]!,
					);

					src = -1;
					dst = -1;
					srcPort = -1;
					dstPort = -1;
					code = (code & ~DETAIL_MASK) | DETAIL_ADDRESSES;
				}

				const eni = old.eni[row]!;
				const protocol = old.protocol[row]!;
				table.accumulate(
					table.rowOf(eni, src, dst, srcPort, dstPort, protocol, code),
					old.bytes[row]!,
					old.packets[row]!,
					old.flows[row]!,
					old.first[row]!,
					old.last[row]!,
					old.tcpFlags[row]!,
				);
			}

			if (bucket !== this.newest) {
				table.trim();
			}

			bucket.table = table;
			this.flowCount += table.size;
		}

		this.compactedTo = this.flowCount;
		if (this.spill) {
			// Addresses only the spilled sums used are forgotten: they are on disk as text.
			this.spill.flush();
			this.compactStrings();
		}

		this.version++;
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
			rejectReason: record.rejectReason === undefined ? undefined : detach(record.rejectReason),
		};
		if (this.rejects.length < RECENT_REJECTS) {
			this.rejects.push(copy);
		} else {
			this.rejects[this.rejectsNext] = copy;
			this.rejectsNext = (this.rejectsNext + 1) % RECENT_REJECTS;
		}
	}
}
