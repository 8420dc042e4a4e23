import {
	type CloudWatchLogsClient,
	GetQueryResultsCommand,
	type GetQueryResultsCommandOutput,
	type QueryStatistics,
	type ResultField,
	StartQueryCommand,
	StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import pLimit, {type LimitFunction} from 'p-limit';
import {Backoff} from './backoff.js';
import type {CostMeter} from './cost-meter.js';
import {Problem, problemOf, type ProblemContext} from './problem.js';
import type {Timing} from '../../clock.js';

/** Whole seconds, both ends included, as StartQuery takes them. */
export interface TimeRange {
	readonly from: number;
	readonly to: number;
}

/** A query to run over a time range. */
export interface InsightsQuery {
	readonly text: string;
	/**
	 * Each row is one log event, so `recordsMatched` above the rows read means rows were left out.
	 * Rows of `stats` are groups, which that test does not apply to.
	 */
	readonly rowPerRecord: boolean;
}

/** The results of one completed query: all of its range's, unless `overflow`. */
export interface Piece extends TimeRange {
	readonly results: readonly ResultField[][];
	/** A single second held more rows than one query returns: the rest of that second could not be read. */
	readonly overflow: boolean;
}

export interface RunHooks {
	piece(piece: Piece): void;
	/** A call failed and is tried again at `retryAt`. */
	retrying(problem: Problem, retryAt: number): void;
}

export interface QueryRunnerOptions {
	readonly client: CloudWatchLogsClient;
	readonly logGroups: readonly string[];
	readonly timing: Timing;
	readonly cost: CostMeter;
	readonly context: ProblemContext;
	readonly random?: (() => number) | undefined;
	/** Rows a query may return (StartQuery's `limit`); a query that matched more is split. */
	readonly limit?: number | undefined;
	/** Rows a GetQueryResults call returns (`maxItems`); `nextToken` pages through the rest. */
	readonly pageSize?: number | undefined;
	/** Queries in flight at once, whatever asks for them. */
	readonly maxInFlight?: number | undefined;
}

/** The query was given up because the filter changed or the source is stopping. */
export class Abandoned extends Error {
	override readonly name = 'Abandoned';
}

/** StartQuery's largest `limit`: up to this many rows, read through pages of PAGE_SIZE. */
export const MAX_ROWS = 100_000;
/** GetQueryResults returns at most this many rows a call. */
export const PAGE_SIZE = 10_000;
/**
 * Logs Insights runs up to 100 queries at once per account, shared with the people and dashboards
 * using it: two from one flowtop leave room for everyone else and still overlap the wait on one
 * query with the reading of another.
 */
export const MAX_IN_FLIGHT = 2;
// How often a running query is asked where it stands: soon at first (most polls are small), then
// less often, well under GetQueryResults' rate limit.
const FIRST_RESULTS_MS = 250;
const MAX_RESULTS_MS = 2000;
// A failing call is retried this many times, with backoff, before the whole poll is given up.
const CALL_RETRIES = 4;
const CALL_BACKOFF_MS = 1000;
const CALL_BACKOFF_MAX_MS = 30_000;
const ENDED = new Set(['Complete', 'Failed', 'Timeout', 'Cancelled', 'Unknown']);

/** Whole seconds the service can take: a NaN would go out as the text "NaN". */
function validRange(from: number, to: number): boolean {
	return Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 0 && from <= to;
}

/**
 * Runs Insights queries over time ranges to completion. A query that matched more rows than it may
 * return is split in two by time, and each half queried, recursively (as AWS's own large-query
 * example does), until every piece fits. Results are read once a query is Complete, page by page:
 * partial results of a running query are never taken, so nothing is counted before it is final.
 * No more than `maxInFlight` queries run at once across every run() of this runner, and a query
 * given up (the signal aborts, or it keeps failing) is stopped with StopQuery; one that cannot be
 * stopped yet is kept and stopped later.
 */
export class QueryRunner {
	private readonly orphans = new Set<string>();
	private readonly slots: LimitFunction;
	private readonly limit: number;
	private readonly pageSize: number;

	constructor(private readonly options: QueryRunnerOptions) {
		this.slots = pLimit(options.maxInFlight ?? MAX_IN_FLIGHT);
		this.limit = options.limit ?? MAX_ROWS;
		this.pageSize = Math.min(options.pageSize ?? PAGE_SIZE, this.limit);
	}

	/** Queries started and not yet known to be stopped. */
	get unstopped(): number {
		return this.orphans.size;
	}

	/** Runs the query over the range, split as it must be; pieces come as their queries complete, in any order. */
	async run(range: TimeRange, query: InsightsQuery, signal: AbortSignal, hooks: RunHooks): Promise<void> {
		// A failure stops the sibling queries too: the poll is given up as a whole.
		const siblings = new AbortController();
		const aborted = AbortSignal.any([signal, siblings.signal]);
		const started: Array<Promise<void>> = [];
		const start = (piece: TimeRange): Promise<void> => {
			const running = runPiece(piece);
			started.push(running);
			return running;
		};

		const runPiece = async ({from, to}: TimeRange): Promise<void> => {
			const {results, full} = await this.slots(async () => this.query(from, to, query, aborted, hooks));
			if (full && to > from) {
				const middle = Math.floor((from + to) / 2);
				await Promise.all([start({from, to: middle}), start({from: middle + 1, to})]);
				return;
			}

			// The filter may have changed while the last answer was on its way: its rows are not wanted now.
			if (aborted.aborted) {
				throw new Abandoned();
			}

			hooks.piece({from, to, results, overflow: full});
		};

		try {
			await start(range);
		} catch (error) {
			siblings.abort();
			// Each piece stops its own query as it gives up: once all have, none runs on unseen (a
			// StopQuery still to send when the poller, stopped, destroys its client would never go out).
			for (const running of started) {
				await running.catch(() => undefined);
			}

			throw signal.aborted ? new Abandoned() : error;
		}
	}

	/** StopQuery every query that could not be stopped when it was given up. */
	async stopOrphans(): Promise<void> {
		for (const queryId of [...this.orphans]) {
			await this.stop(queryId);
		}
	}

	private async query(
		from: number,
		to: number,
		query: InsightsQuery,
		signal: AbortSignal,
		hooks: RunHooks,
	): Promise<{results: ResultField[][]; full: boolean}> {
		if (signal.aborted) {
			throw new Abandoned();
		}

		if (!validRange(from, to)) {
			throw new Problem(
				'query-refused',
				`flowtop built a query over an impossible time range (startTime ${from}, endTime ${to}) and did not send it: a bug in flowtop; please report it, with --debug`,
			);
		}

		const {client, logGroups, cost} = this.options;
		// StartQuery is not given the signal: aborted in flight, it could start a query whose id never arrives.
		const {queryId} = await this.call(
			async () =>
				client.send(
					new StartQueryCommand({
						logGroupNames: [...logGroups],
						startTime: from,
						endTime: to,
						queryString: query.text,
						limit: this.limit,
					}),
				),
			signal,
			hooks,
		);
		if (!queryId) {
			throw new Problem('transient', 'StartQuery answered without a query id');
		}

		const seen: {statistics?: QueryStatistics | undefined} = {};
		try {
			const output = await this.untilEnded(queryId, signal, hooks, seen);
			const {statistics} = output;
			if (output.status !== 'Complete') {
				throw new Problem('transient', `an Insights query ended ${output.status ?? 'without a status'}`);
			}

			const matched = statistics?.recordsMatched ?? 0;
			// Matched more than it may return: the rows read would be a sample; split without reading
			// them. A second cannot be split: its sample is read, and the piece says it overflowed.
			if (query.rowPerRecord && matched > this.limit && to > from) {
				return {results: [], full: true};
			}

			const results = await this.pages(queryId, signal, hooks);
			const full = results.length >= this.limit || (query.rowPerRecord && matched > results.length);
			return {results, full};
		} catch (error) {
			await this.stop(queryId);
			throw error;
		} finally {
			// Insights bills what a query scanned even when it was stopped part-way.
			cost.query(seen.statistics);
		}
	}

	/** Asks where the query stands until it has ended, reading a single row each time: its rows are read once final. */
	private async untilEnded(
		queryId: string,
		signal: AbortSignal,
		hooks: RunHooks,
		seen: {statistics?: QueryStatistics | undefined},
	): Promise<GetQueryResultsCommandOutput> {
		const {client, timing} = this.options;
		let pause = FIRST_RESULTS_MS;
		for (;;) {
			const output = await this.call(
				async () => client.send(new GetQueryResultsCommand({queryId, maxItems: 1}), {abortSignal: signal}),
				signal,
				hooks,
			);
			seen.statistics = output.statistics ?? seen.statistics;
			// Stryker disable next-line StringLiteral: no text in place of a missing status is an ending one
			if (ENDED.has(output.status ?? '')) {
				return output;
			}

			await timing.wait(pause, signal);
			// Stryker disable next-line ConditionalExpression,BlockStatement: without it, the next call's own abortSignal gives up the same way, sending nothing
			if (signal.aborted) {
				throw new Abandoned();
			}

			pause = Math.min(pause * 2, MAX_RESULTS_MS);
		}
	}

	/** Every row of a completed query, page by page. */
	private async pages(queryId: string, signal: AbortSignal, hooks: RunHooks): Promise<ResultField[][]> {
		const results: ResultField[][] = [];
		let nextToken: string | undefined;
		do {
			const token = nextToken;
			const output = await this.call(
				async () =>
					this.options.client.send(
						new GetQueryResultsCommand({queryId, maxItems: this.pageSize, ...(token ? {nextToken: token} : {})}),
						{abortSignal: signal},
					),
				signal,
				hooks,
			);
			for (const row of output.results ?? []) {
				results.push(row);
			}

			nextToken = output.nextToken;
		} while (nextToken && results.length < this.limit);
		return results;
	}

	private async stop(queryId: string): Promise<void> {
		try {
			await this.options.client.send(new StopQueryCommand({queryId}));
			this.orphans.delete(queryId);
		} catch (error) {
			const name = (error as Error).name;
			// Already ended, or forgotten by the service: nothing left to stop.
			if (name === 'InvalidParameterException' || name === 'ResourceNotFoundException') {
				this.orphans.delete(queryId);
			} else {
				this.orphans.add(queryId);
			}
		}
	}

	/** One call, tried again with backoff while it fails in a way that can pass. */
	private async call<T>(send: () => Promise<T>, signal: AbortSignal, hooks: RunHooks): Promise<T> {
		const {timing, context, random} = this.options;
		const backoff = new Backoff(CALL_BACKOFF_MS, CALL_BACKOFF_MAX_MS, random);
		for (;;) {
			try {
				return await send();
			} catch (error) {
				if (signal.aborted) {
					throw new Abandoned();
				}

				const problem = problemOf(error, context);
				if (problem.needsPerson || backoff.failures >= CALL_RETRIES) {
					throw problem;
				}

				const delay = backoff.next();
				hooks.retrying(problem, timing.now() + delay);
				await timing.wait(delay, signal);
				if (signal.aborted) {
					throw new Abandoned();
				}
			}
		}
	}
}
