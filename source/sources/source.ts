import type {Filter} from '../engine/filter.js';
import type {ParseStats} from '../flowlog/decoder.js';
import type {AggregatedRecords} from '../engine/store.js';
import type {FlowColumns} from '../flowlog/flow-columns.js';
import type {FlowRecord} from '../flowlog/record.js';
import type {QueryMode} from './insights/query-mode.js';

/** What a source is doing, for the status bar. Times are milliseconds since the epoch. */
export type SourceStatus =
	| {readonly kind: 'starting'}
	/** Reading a file or stdin. */
	| {readonly kind: 'reading'}
	/** At the end of a followed file, waiting for it to grow; `note` says what a flag did not do. */
	| {readonly kind: 'following'; readonly note?: string | undefined}
	/** At the end of a file or stdin that will not grow. */
	| {readonly kind: 'done'; readonly note?: string | undefined}
	/** A query is in flight. */
	| {readonly kind: 'polling'; readonly since: number}
	/** Between polls; `note` is news worth a line that is not a fault ("no records yet"). */
	| {readonly kind: 'waiting'; readonly nextPollAt: number; readonly note?: string}
	/** Throttled or rate-limited: waiting longer than usual before trying again. */
	| {readonly kind: 'backing-off'; readonly reason: string; readonly retryAt: number}
	/** Something failed; the panes keep their data and the source tries again at retryAt, if given. */
	| {readonly kind: 'error'; readonly message: string; readonly retryAt?: number};

/** What Logs Insights has cost this session. */
export interface QueryCost {
	readonly queries: number;
	readonly bytesScanned: number;
	readonly recordsScanned: number;
	readonly recordsMatched: number;
	/** Bytes of the records received, to set the bytes scanned against. */
	readonly bytesReceived: number;
}

export interface SourceListener {
	/**
	 * Records, once per batch, never per record. `backlog`: they were there before the source began
	 * (a poll that reads the whole window), not arriving now.
	 */
	records(records: FlowRecord[], backlog?: boolean): void;
	/**
	 * Records as columns, once per batch: what a file or stdin is parsed into, with no object per
	 * record. Read, not kept: the source clears and refills the batch for its next chunk.
	 */
	columns(batch: FlowColumns): void;
	status(status: SourceStatus): void;
	/** The source's idea of now (the demo's clock can run fast): the window slides to it. */
	tick?(nowMilliseconds: number): void;
	/** Running totals of what the queries have scanned. */
	cost?(cost: QueryCost): void;
	/**
	 * The whole window, as rows of `stats` queries ("N records with these totals"), in place of
	 * everything handed over before; also the whole window read afresh as raw records, once it has been read whole.
	 */
	replace?(rows: AggregatedRecords[]): void;
	/** Rows of `stats` queries over what is new, added to what was handed over before. */
	addSums?(rows: AggregatedRecords[]): void;
	/** How the source reads its records now (raw records or Insights' sums), and why. */
	mode?(mode: QueryMode): void;
}

/** Where records come from while the live view runs: a file, a log group, the demo. */
export interface RecordSource {
	/** What is watched, for the header: `vpc-flows`, `sample.log`. */
	readonly label: string;
	/** Lines or events that were not records. */
	readonly stats: ParseStats;
	start(listener: SourceListener): void;
	/** What the view is filtered to now: a source that sums on the service keeps what it names by name. */
	filterChanged?(filter: Filter): void;
	/**
	 * The interfaces the VPC's configuration says are NAT gateways: a source that sums on the service
	 * keeps every address of theirs, which a format without pkt-* fields cannot tell it.
	 */
	natGatewaysKnown?(enis: readonly string[]): void;
	/** Stop reading and abandon anything in flight (StopQuery); resolves when nothing is left running. */
	stop(): Promise<void>;
}
