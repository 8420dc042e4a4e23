import {
	type CloudWatchLogsClient,
	GetQueryResultsCommand,
	type GetQueryResultsCommandOutput,
	type QueryStatistics,
	type ResultField,
	StartQueryCommand,
	StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {Backoff} from './backoff.js';
import type {CostMeter} from './cost-meter.js';
import {Problem, problemOf, type ProblemContext} from './problem.js';
import {resultRow, type ResultRow} from './result-row.js';
import type {Timing} from '../../clock.js';

/** Whole seconds, both ends included, as StartQuery takes them. */
export interface TimeRange {
	readonly from: number;
	readonly to: number;
}

/** The records of one completed query: all of its range's, unless `overflow`. */
export interface Piece extends TimeRange {
	readonly rows: readonly ResultRow[];
	/** A single second held more records than a page: the rest of that second could not be read. */
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
}

/** The query was given up because the filter changed or the source is stopping. */
export class Abandoned extends Error {
	override readonly name = 'Abandoned';
}

/** GetQueryResults never returns more rows than this; a page that full may have left records out. */
export const MAX_ROWS = 10_000;
// How often a running query is asked for its results: soon at first (most polls are small), then
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
 * Runs one Insights query over a time range to completion. A page that came back full is split in
 * two by time and each half queried in turn, earliest first, until every piece fits. Only one query
 * is ever in flight, and a query given up (the signal aborts, or it keeps failing) is stopped with
 * StopQuery; one that cannot be stopped yet is kept and stopped later.
 */
export class QueryRunner {
	private readonly orphans = new Set<string>();

	constructor(private readonly options: QueryRunnerOptions) {}

	/** Queries started and not yet known to be stopped. */
	get unstopped(): number {
		return this.orphans.size;
	}

	async run(range: TimeRange, queryString: string, signal: AbortSignal, hooks: RunHooks): Promise<void> {
		const pending: TimeRange[] = [range];
		while (pending.length > 0) {
			const {from, to} = pending.pop()!;
			const {rows, full} = await this.query(from, to, queryString, signal, hooks);
			if (full && to > from) {
				const middle = Math.floor((from + to) / 2);
				pending.push({from: middle + 1, to}, {from, to: middle});
				continue;
			}

			// The filter may have changed while the last answer was on its way: its records are not wanted now.
			if (signal.aborted) {
				throw new Abandoned();
			}

			hooks.piece({from, to, rows, overflow: full});
		}
	}

	/** StopQuery every query that could not be stopped when it was given up. */
	async stopOrphans(): Promise<void> {
		for (const queryId of [...this.orphans]) {
			await this.stop(queryId);
		}
	}

	/**
	 * One `stats` query over the whole range, its rows as the service gives them: a range is never
	 * split, for a group sums over all of it. `full` when the rows reached the query's `limit`.
	 */
	async stats(
		range: TimeRange,
		queryString: string,
		limit: number,
		signal: AbortSignal,
		retrying: RunHooks['retrying'],
	): Promise<{rows: ResultField[][]; full: boolean}> {
		const {results} = await this.results(range.from, range.to, queryString, signal, retrying);
		if (signal.aborted) {
			throw new Abandoned();
		}

		return {rows: results, full: results.length >= limit};
	}

	private async query(
		from: number,
		to: number,
		queryString: string,
		signal: AbortSignal,
		hooks: RunHooks,
	): Promise<{rows: ResultRow[]; full: boolean}> {
		const {results, statistics} = await this.results(from, to, queryString, signal, hooks.retrying);
		const rows = results.map(fields => resultRow(fields)).filter(row => row !== undefined);
		const full = results.length >= MAX_ROWS || (statistics?.recordsMatched ?? 0) > results.length;
		return {rows, full};
	}

	/** Start a query, wait for it to end, and take its results; a query given up is stopped. */
	private async results(
		from: number,
		to: number,
		queryString: string,
		signal: AbortSignal,
		retrying: RunHooks['retrying'],
	): Promise<{results: ResultField[][]; statistics: QueryStatistics | undefined}> {
		const hooks = {retrying};
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
				client.send(new StartQueryCommand({logGroupNames: [...logGroups], startTime: from, endTime: to, queryString})),
			signal,
			hooks,
		);
		if (!queryId) {
			throw new Problem('transient', 'StartQuery answered without a query id');
		}

		let statistics: QueryStatistics | undefined;
		let output: GetQueryResultsCommandOutput;
		try {
			let pause = FIRST_RESULTS_MS;
			for (;;) {
				output = await this.call(
					async () => client.send(new GetQueryResultsCommand({queryId}), {abortSignal: signal}),
					signal,
					hooks,
				);
				statistics = output.statistics ?? statistics;
				if (ENDED.has(output.status ?? '')) {
					break;
				}

				await this.options.timing.wait(pause, signal);
				if (signal.aborted) {
					throw new Abandoned();
				}

				pause = Math.min(pause * 2, MAX_RESULTS_MS);
			}
		} catch (error) {
			cost.query(statistics);
			await this.stop(queryId);
			throw error;
		}

		cost.query(statistics);
		if (output.status !== 'Complete') {
			throw new Problem('transient', `an Insights query ended ${output.status ?? 'without a status'}`);
		}

		return {results: output.results ?? [], statistics};
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
	private async call<T>(send: () => Promise<T>, signal: AbortSignal, hooks: Pick<RunHooks, 'retrying'>): Promise<T> {
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
