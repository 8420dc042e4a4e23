import type {Clock} from '../../clock.js';
import {randomUUID} from 'node:crypto';
import type {Query} from '../insights/ast.js';
import {ingestionWindow} from '../insights/ingestion-window.js';
import {QueryRun, type ResultField} from '../insights/query-run.js';
import type {Faults, QueryOutcome} from './faults.js';
import {ACCOUNT_ID} from './account.js';
import type {EventScan} from './event-scan.js';
import type {LogStore} from './log-store.js';
import {invalidParameter, resourceNotFound, ServiceError} from './service-error.js';

export type QueryStatus = 'Scheduled' | 'Running' | 'Complete' | 'Failed' | 'Timeout' | 'Cancelled';

export interface QueryStatistics {
	recordsMatched: number;
	recordsScanned: number;
	bytesScanned: number;
}

export interface QueryResults {
	status: QueryStatus;
	results: ResultField[][];
	statistics: QueryStatistics;
}

/** How fast queries move, counted in GetQueryResults calls so tests wait on status, never on time. */
export interface QueryPace {
	/** Calls that find a new query still Scheduled. */
	readonly scheduledPolls: number;
	/** Records scanned per call once Running; a query with more left answers Running with partial results. */
	readonly recordsPerPoll: number;
	/**
	 * Milliseconds on the endpoint's clock after which a query has run to its end whether or not
	 * anyone asks for its results, as the service runs queries on its own; past an hour it times
	 * out instead, as AWS's do. Infinity: only GetQueryResults calls move a query.
	 */
	readonly runMs: number;
	/**
	 * Queries run from StartQuery on, a step per turn of the event loop, as the service runs them
	 * whether or not anyone asks: a poller's wait between GetQueryResults calls is then time the
	 * query runs, not time the endpoint idles. Off, only calls move a query, so a test can hold one
	 * Scheduled or Running.
	 */
	readonly runsUnpolled?: boolean;
}

/** Logs Insights ends a query that has run this long with the status Timeout. */
export const QUERY_TIMEOUT_MS = 60 * 60_000;

export interface QueryLimits extends QueryPace {
	readonly maxConcurrentQueries: number;
	readonly maxQueryRows: number;
}

interface ActiveQuery {
	readonly id: string;
	readonly queryString: string;
	readonly groups: readonly string[];
	readonly createTime: number;
	/** Whether GetQueryResults has served the last page of its final results: its reader is done with it. */
	finished: boolean;
	/** When it was last asked for, or ended, whichever came later. */
	touchedAt: number;
	status: QueryStatus;
	/** Let go once the query ends: its groups are most of what a query over a busy window holds. */
	run: QueryRun | undefined;
	matched: number;
	/** The records in range and visible when the query started; let go once it ends. */
	scan: EventScan | undefined;
	scanned: number;
	bytes: number;
	scheduledPolls: number;
	readonly outcome: QueryOutcome | undefined;
	/** Results frozen when the query ends. */
	final: ResultField[][] | undefined;
}

// Ended queries whose results can still be fetched; older ones are forgotten. AWS keeps them for
// days, but a poller reads each one right away, and a page of 10,000 rows each kept a thousand
// times over was most of a long-running demo's memory. With `limit` at 100,000 a query's rows are
// bounded too: twenty such queries kept were gigabytes on a busy demo.
const KEPT_ENDED_QUERIES = 20;
/**
 * flowtop asks each top list three times in a row, sorted by bytes, packets and records: the last
 * two columns queries' groups are kept to answer the next two (a million groups each at most, as
 * many as the records they read).
 */
const KEPT_TWINS = 2;
const KEPT_ENDED_ROWS = 250_000;
/**
 * An ended query its reader has not read to the end, that ended or was asked for within this long,
 * is not forgotten, whatever the bounds (but for SPARED). Two raw queries of 100,000 rows each ending while
 * a third was paged forgot the third under its reader, who was told the query did not exist. Only
 * those being paged are spared: keeping every query read lately held a raw poll's sixty full
 * queries at once, and the endpoint ran out of heap.
 */
const READING_MS = 60_000;
/**
 * Queries spared at most, the last touched: a reader pages through one or two at a time, and one
 * that asked where a query stood and then split it rather than read it leaves it unread.
 */
const SPARED = 4;

function isActive(status: QueryStatus): boolean {
	return status === 'Scheduled' || status === 'Running';
}

/**
 * Insights queries from StartQuery to their end: Scheduled, then Running (partial results), then
 * Complete, or Failed/Timeout/Cancelled when a fault or StopQuery says so. Statistics count what
 * was actually scanned: every record of the queried groups in the time range, and its bytes.
 */
export class QueryEngine {
	private readonly queries = new Map<string, ActiveQuery>();
	/** The last queries through the columns to complete, with what they read: their groups serve a query that asks the same again. */
	private twins: Array<{readonly run: QueryRun; readonly scan: EventScan}> = [];
	private readonly ended: string[] = [];
	private endedRows = 0;

	/** `rowByRow`: every query through the rows, none through the columns (query-run.ts): the baseline a benchmark compares with. */
	constructor(
		private readonly store: LogStore,
		private readonly faults: Faults,
		private readonly limits: QueryLimits,
		private readonly clock: Clock,
		private readonly options: {readonly rowByRow?: boolean} = {},
	) {}

	/** Queries still Scheduled or Running: what counts against the concurrency limit. */
	running(): number {
		this.runOnTheirOwn();
		let count = 0;
		for (const query of this.queries.values()) {
			if (isActive(query.status)) {
				count++;
			}
		}

		return count;
	}

	/** DescribeQueries: the queries still known, newest first, of one group and one status if given. */
	describe(
		group: string | undefined,
		status: string | undefined,
	): Array<{queryId: string; queryString: string; status: QueryStatus; createTime: number; logGroupName: string}> {
		this.runOnTheirOwn();
		return [...this.queries.values()]
			.filter(
				query =>
					(group === undefined || query.groups.includes(group)) && (status === undefined || query.status === status),
			)
			.sort((a, b) => b.createTime - a.createTime)
			.map(query => ({
				queryId: query.id,
				queryString: query.queryString,
				status: query.status,
				createTime: query.createTime,
				logGroupName: query.groups[0]!,
			}));
	}

	start(groups: readonly string[], from: number, to: number, query: Query, limit: number, queryString: string): string {
		for (const group of groups) {
			if (!this.store.hasGroup(group)) {
				throw resourceNotFound(`Log group '${group}' does not exist for account ID '${ACCOUNT_ID}'`);
			}
		}

		if (this.running() >= this.limits.maxConcurrentQueries) {
			throw new ServiceError(
				'LimitExceededException',
				`Account maximum query concurrency limit of [${this.limits.maxConcurrentQueries}] reached.`,
			);
		}

		const id = randomUUID();
		this.queries.set(id, {
			id,
			queryString,
			groups,
			createTime: this.clock(),
			finished: false,
			touchedAt: this.clock(),
			status: 'Scheduled',
			run: new QueryRun(query, limit, this.options),
			matched: 0,
			scan: this.store.scan(groups, from, to, {ingested: ingestionWindow(query)}),
			scanned: 0,
			bytes: 0,
			scheduledPolls: this.limits.scheduledPolls,
			outcome: this.faults.takeQueryOutcome(),
			final: undefined,
		});
		if (this.limits.runsUnpolled) {
			this.runUnpolled(this.queries.get(id)!);
		}

		return id;
	}

	private runUnpolled(query: ActiveQuery): void {
		setImmediate(() => {
			if (isActive(query.status)) {
				query.scheduledPolls = 0;
				this.advance(query);
				this.runUnpolled(query);
			}
		});
	}

	/** GetQueryResults: also what moves a query along, one step per call. */
	results(id: string): QueryResults {
		this.runOnTheirOwn();
		const query = this.find(id);
		if (isActive(query.status)) {
			this.advance(query);
		}

		return this.peek(id);
	}

	/** GetQueryResults served a page of the query: `more` when rows are left after it. */
	paged(id: string, more: boolean): void {
		const query = this.find(id);
		query.touchedAt = this.clock();
		query.finished ||= !more && !isActive(query.status);
	}

	/** Where a query stands, without moving it along. */
	peek(id: string): QueryResults {
		const query = this.find(id);
		return {
			status: query.status,
			results: query.final ?? (query.status === 'Scheduled' ? [] : query.run!.results()),
			statistics: {
				recordsMatched: query.run?.matched ?? query.matched,
				recordsScanned: query.scanned,
				bytesScanned: query.bytes,
			},
		};
	}

	stop(id: string): void {
		const query = this.find(id);
		if (!isActive(query.status)) {
			throw invalidParameter(`Query ${id} is not running: it is ${query.status}.`);
		}

		this.end(query, 'Cancelled');
	}

	/** Queries whose time has come end, polled or not: Complete (or their fault's outcome), or Timeout past an hour. */
	private runOnTheirOwn(): void {
		const now = this.clock();
		const {runMs} = this.limits;
		for (const query of this.queries.values()) {
			if (!isActive(query.status)) {
				continue;
			}

			if (runMs > QUERY_TIMEOUT_MS && now >= query.createTime + QUERY_TIMEOUT_MS) {
				this.end(query, 'Timeout');
			} else if (now >= query.createTime + runMs) {
				query.scheduledPolls = 0;
				while (isActive(query.status)) {
					this.advance(query);
				}
			}
		}
	}

	private find(id: string): ActiveQuery {
		const query = this.queries.get(id);
		if (!query) {
			throw resourceNotFound(`Query ${id} does not exist.`);
		}

		return query;
	}

	private advance(query: ActiveQuery): void {
		if (query.scheduledPolls > 0) {
			query.scheduledPolls--;
			return;
		}

		const scan = query.scan!;
		const run = query.run!;
		// A query that reads all it covers in this step and computes what one just read did takes its groups.
		const twin =
			query.status === 'Scheduled' && scan.size <= this.limits.recordsPerPoll
				? this.twins.find(candidate => candidate.run.statsKey === run.statsKey && candidate.scan.covers(scan))
				: undefined;
		if (query.status === 'Scheduled') {
			// What the filter on @ingestionTime let the scan pass over is scanned all the same, as far as the bill goes.
			query.scanned += scan.skipped.events;
			query.bytes += scan.skipped.bytes;
		}

		query.status = 'Running';
		if (twin) {
			run.adopt(twin.run);
		}

		query.scanned += scan.nextRuns(
			this.limits.recordsPerPoll,
			(batch, from, to) => {
				if (!twin) {
					run.addBatch(batch, from, to);
				}

				query.bytes += batch.block.bytesBetween(from, to);
			},
			batch => run.finished(batch),
		);
		if (query.outcome) {
			this.end(query, query.outcome);
		} else if (scan.done) {
			this.end(query, 'Complete');
		}
	}

	/**
	 * Forgets the oldest ended queries while they hold more than the bounds allow, but for the few
	 * touched last of those whose readers have not read them to the end.
	 */
	private forgetEnded(): void {
		const now = this.clock();
		const spared = new Set(
			this.ended
				.map(id => this.queries.get(id)!)
				.filter(query => !query.finished && now - query.touchedAt < READING_MS)
				.sort((a, b) => b.touchedAt - a.touchedAt)
				.slice(0, SPARED)
				.map(query => query.id),
		);
		const over = () => this.ended.length > KEPT_ENDED_QUERIES || this.endedRows > KEPT_ENDED_ROWS;
		// The query that ended last stays: its reader has not had the chance to ask for it yet.
		for (let index = 0; index < this.ended.length - 1 && over(); ) {
			const id = this.ended[index]!;
			if (spared.has(id)) {
				index++;
				continue;
			}

			this.ended.splice(index, 1);
			this.endedRows -= this.queries.get(id)?.final?.length ?? 0;
			this.queries.delete(id);
		}
	}

	private end(query: ActiveQuery, status: QueryStatus): void {
		if (status === 'Complete' && query.run!.statsKey !== undefined) {
			query.run!.seal();
			this.twins = [{run: query.run!, scan: query.scan!}, ...this.twins.slice(0, KEPT_TWINS - 1)];
		}

		query.status = status;
		query.touchedAt = this.clock();
		query.final = status === 'Failed' ? [] : query.run!.results();
		query.matched = query.run!.matched;
		query.run = undefined;
		query.scan = undefined;
		this.ended.push(query.id);
		this.endedRows += query.final.length;
		this.forgetEnded();
	}
}
