import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {EMPTY_FILTER, type Filter, formatFilter, isEmptyFilter, matchesFilter} from '../../engine/filter.js';
import {FlowLogDecoder, type ParseStats, parseRecord} from '../../flowlog/decoder.js';
import {DEFAULT_FORMAT, type FlowFormat} from '../../flowlog/format.js';
import type {FlowRecord} from '../../flowlog/record.js';
import {formatDuration} from '../../text/units.js';
import type {QueryCost, RecordSource, SourceListener, SourceStatus} from '../source.js';
import {Backoff} from './backoff.js';
import {CostMeter} from './cost-meter.js';
import {Coverage} from './coverage.js';
import {FlowLogCheck} from './flow-log-check.js';
import {Lateness} from './lateness.js';
import {checkLogGroups} from './log-groups.js';
import {type Problem, problemOf, type ProblemContext} from './problem.js';
import {buildQuery} from './query.js';
import {Abandoned, type Piece, QueryRunner, type TimeRange} from './query-runner.js';
import type {ResultRow} from './result-row.js';
import {SeenRecords} from './seen-records.js';
import type {Timing} from './timing.js';

export interface InsightsPollerOptions {
	readonly client: CloudWatchLogsClient;
	/** The client was made for this poller: stop() destroys it, freeing its sockets. */
	readonly ownsClient?: boolean;
	readonly logGroups: readonly string[];
	/** For the header; the group names by default. */
	readonly label?: string;
	readonly format?: FlowFormat;
	/** The decoder to parse with, when its stats must exist before the poller does (the demo's). */
	readonly decoder?: FlowLogDecoder;
	readonly filter?: Filter;
	readonly timing: Timing;
	/** From the start of one poll to the start of the next. */
	readonly intervalMs: number;
	/** The sliding window: no poll reaches back further. Infinity for everything the group holds. */
	readonly windowMs: number;
	/** `--since`: the first poll reaches back this far when it is more than the window. */
	readonly sinceMs?: number;
	readonly context: ProblemContext;
	readonly random?: () => number;
}

/** How late records are, for a status line: what each poll re-scans because of it. */
export interface LatenessInfo {
	readonly horizonMs: number;
	/** Largest `@ingestionTime - @timestamp` seen lately; undefined before any record. */
	readonly delayMs: number | undefined;
}

/** A poll of one stretch: the filter it fetches, and what a backfill leaves out because it was fetched before. */
interface Fetch {
	readonly filter: Filter;
	readonly exclude: readonly Filter[];
	/** Rows of a regular poll teach the lateness horizon; a backfill's would only repeat what is known. */
	readonly learn: boolean;
}

// Between attempts after a failure: throttling and passing faults back off with jitter; a problem only
// a person can fix (credentials, permissions, a wrong name) is retried at a steady, patient pace.
const BACKOFF_BASE_MS = 2000;
const BACKOFF_MAX_MS = 60_000;
const PERSON_RETRY_MS = 15_000;
/** `--once` gives a passing fault this many tries before it reports it. */
const ONCE_ATTEMPTS = 4;

function byteLength(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

/**
 * Tails log groups with Logs Insights: the RecordSource for `--log-group` and, pointed at the local
 * endpoint, for `--demo`.
 *
 * Each poll runs one query over [previous end - horizon, now] with the filter pushed down, and takes
 * in the records it has not taken before (by @ptr). The horizon is learned from how late records
 * arrive (lateness.ts); @ptrs are forgotten behind twice the horizon, and no poll ever reaches back
 * past what is remembered, so nothing is counted twice. When the filter widens, the stretch polled
 * under the narrower one is backfilled with a query that leaves out exactly what was fetched
 * (coverage.ts). Only completed queries are taken in: a partial page could not say which filter
 * fetched it, and a split page is re-read in halves anyway.
 */
export class InsightsPoller implements RecordSource {
	readonly label: string;
	private readonly options: InsightsPollerOptions;
	private readonly format: FlowFormat;
	private readonly decoder: FlowLogDecoder;
	private readonly cost = new CostMeter();
	private readonly runner: QueryRunner;
	private readonly seen = new SeenRecords();
	private readonly coverage = new Coverage();
	private readonly latenessModel = new Lateness();
	private readonly check: FlowLogCheck;
	private filter: Filter;
	/** End (whole seconds, included) of the last regular poll that completed. */
	private coveredTo: number | undefined;
	private groupsChecked = false;
	private taken = 0;
	private overflowSeconds = 0;
	private readonly stopping = new AbortController();
	/** Aborted when the filter changes: the query in flight is stopped and the next poll starts at once. */
	private interrupt = new AbortController();
	private loop: Promise<void> | undefined;

	constructor(options: InsightsPollerOptions) {
		this.options = options;
		this.label = options.label ?? options.logGroups.join(', ');
		this.decoder = options.decoder ?? new FlowLogDecoder(options.format ?? DEFAULT_FORMAT);
		this.format = this.decoder.format;
		this.filter = options.filter ?? EMPTY_FILTER;
		this.check = new FlowLogCheck(this.format);
		this.runner = new QueryRunner({
			client: options.client,
			logGroups: options.logGroups,
			timing: options.timing,
			cost: this.cost,
			context: options.context,
			random: options.random,
		});
	}

	get stats(): ParseStats {
		return this.decoder.stats;
	}

	get lateness(): LatenessInfo {
		return {horizonMs: this.latenessModel.horizonMs, delayMs: this.latenessModel.delayMs};
	}

	/** Where the calls go, for messages. */
	get context(): ProblemContext {
		return this.options.context;
	}

	/** What the queries have scanned so far. */
	get costs(): QueryCost {
		return this.cost.totals;
	}

	/** Records taken in so far. */
	get recordsTaken(): number {
		return this.taken;
	}

	/** Seconds that held more records than one page: some of theirs could not be read. */
	get overflow(): number {
		return this.overflowSeconds;
	}

	start(listener: SourceListener): void {
		this.loop ??= this.run(listener);
	}

	setFilter(filter: Filter): void {
		if (formatFilter(filter) === formatFilter(this.filter)) {
			return;
		}

		this.filter = filter;
		const interrupted = this.interrupt;
		this.interrupt = new AbortController();
		interrupted.abort();
	}

	async stop(): Promise<void> {
		this.stopping.abort();
		this.interrupt.abort();
		await this.loop;
		await this.runner.stopOrphans();
		if (this.options.ownsClient) {
			this.options.client.destroy();
		}
	}

	/**
	 * `--once`: one poll over the window, retried a few times through throttling and passing faults.
	 * Throws a Problem for anything else, and when the group does not hold flow logs.
	 */
	async pollOnce(listener: SourceListener): Promise<void> {
		const backoff = new Backoff(BACKOFF_BASE_MS, BACKOFF_MAX_MS, this.options.random);
		for (;;) {
			try {
				await this.poll(listener, this.stopping.signal);
				break;
			} catch (error) {
				if (this.stopping.signal.aborted) {
					throw error;
				}

				const problem = problemOf(error, this.options.context);
				if (problem.needsPerson || backoff.failures + 1 >= ONCE_ATTEMPTS) {
					throw problem;
				}

				const delay = backoff.next();
				listener.status(this.problemStatus(problem, this.options.timing.now() + delay));
				await this.options.timing.wait(delay, this.stopping.signal);
			}
		}

		const notFlowLogs = this.check.problem(this.options.logGroups, this.stats);
		if (notFlowLogs) {
			throw notFlowLogs;
		}
	}

	private async run(listener: SourceListener): Promise<void> {
		const {timing, intervalMs, context, random} = this.options;
		const backoff = new Backoff(BACKOFF_BASE_MS, BACKOFF_MAX_MS, random);
		listener.status({kind: 'starting'});
		while (!this.stopping.signal.aborted) {
			const signal = AbortSignal.any([this.stopping.signal, this.interrupt.signal]);
			const started = timing.now();
			try {
				await this.poll(listener, signal);
				backoff.reset();
				const nextPollAt = started + intervalMs;
				listener.status(this.idleStatus(nextPollAt));
				await timing.wait(nextPollAt - timing.now(), signal);
			} catch (error) {
				listener.cost?.(this.cost.totals);
				// A changed filter polls again at once; a stop ends the loop.
				if (error instanceof Abandoned || signal.aborted) {
					continue;
				}

				const problem = problemOf(error, context);
				const delay = problem.needsPerson ? PERSON_RETRY_MS : backoff.next();
				listener.status(this.problemStatus(problem, timing.now() + delay));
				await timing.wait(delay, signal);
			}
		}
	}

	private problemStatus(problem: Problem, retryAt: number): SourceStatus {
		const wall = this.options.timing.wallTime(retryAt);
		return problem.kind === 'throttled'
			? {kind: 'backing-off', reason: problem.message, retryAt: wall}
			: {kind: 'error', message: problem.message, retryAt: wall};
	}

	private idleStatus(nextPoll: number): SourceStatus {
		const nextPollAt = this.options.timing.wallTime(nextPoll);
		const notFlowLogs = this.check.problem(this.options.logGroups, this.stats);
		if (notFlowLogs) {
			return {kind: 'error', message: notFlowLogs.message, retryAt: nextPollAt};
		}

		// News rather than a fault: said plainly, not in red.
		if (this.taken === 0 && this.stats.malformed === 0) {
			const span = Number.isFinite(this.options.windowMs) ? ` in the last ${formatDuration(this.options.windowMs / 1000)}` : '';
			const note = isEmptyFilter(this.filter)
				? `no flow-log records in ${this.label}${span} yet (they reach CloudWatch minutes after capture); still polling`
				: `no records in ${this.label}${span} match the filter; still polling`;
			return {kind: 'waiting', nextPollAt, note};
		}

		return {kind: 'waiting', nextPollAt};
	}

	/** Whole seconds before which nothing is polled: the window's start, or --since's for the first poll. */
	private lowerBound(now: number, first: boolean): number {
		const {windowMs, sinceMs} = this.options;
		const reach = first ? Math.max(windowMs, sinceMs ?? 0) : windowMs;
		return Number.isFinite(reach) ? Math.max(0, Math.floor((now - reach) / 1000)) : 0;
	}

	/** One poll: the horizon up to now with the current filter, then any backfill the filter needs. */
	private async poll(listener: SourceListener, signal: AbortSignal): Promise<void> {
		const {client, context, timing} = this.options;
		if (!this.groupsChecked) {
			await checkLogGroups(client, context);
			this.groupsChecked = true;
		}

		await this.runner.stopOrphans();
		const now = timing.now();
		listener.status({kind: 'polling', since: this.options.timing.wallTime(now)});
		const filter = this.filter;
		const to = Math.floor(now / 1000);
		const lower = this.lowerBound(now, this.coveredTo === undefined);
		const horizon = Math.ceil(this.latenessModel.horizonMs / 1000);
		const remembered = Math.ceil(this.seen.watermark / 1000);
		const from = this.coveredTo === undefined ? lower : Math.max(this.coveredTo - horizon, lower, remembered);
		let largestDelay: number | undefined;
		await this.fetch({from, to}, {filter, exclude: [], learn: true}, signal, listener, delay => {
			largestDelay = Math.max(largestDelay ?? delay, delay);
		});
		this.coveredTo = to;
		this.latenessModel.observe(now, largestDelay);
		// Remember twice the horizon, so a horizon that has to grow can reach back over what is remembered.
		this.seen.forgetBefore(Math.max(to * 1000 - 2 * this.latenessModel.horizonMs, this.lowerBound(now, false) * 1000));
		this.coverage.forgetBefore(lower);
		for (const gap of this.coverage.missing(lower, from, filter)) {
			await this.fetch({from: gap.from, to: gap.to - 1}, {filter, exclude: gap.fetched, learn: false}, signal, listener);
		}

		listener.tick?.(timing.now());
		listener.cost?.(this.cost.totals);
	}

	private async fetch(range: TimeRange, fetch: Fetch, signal: AbortSignal, listener: SourceListener, delay?: (milliseconds: number) => void): Promise<void> {
		const query = buildQuery({format: this.format, filter: fetch.filter, exclude: fetch.exclude});
		if (query === undefined) {
			this.coverage.add(range.from, range.to + 1, fetch.filter);
			return;
		}

		await this.runner.run(range, query, signal, {
			piece: (piece: Piece) => {
				if (delay) {
					for (const row of piece.rows) {
						delay(row.ingestionTime - row.timestamp);
					}
				}

				this.take(piece.rows, fetch, listener);
				this.coverage.add(piece.from, piece.to + 1, fetch.filter);
				if (piece.overflow) {
					this.overflowSeconds++;
				}

				listener.cost?.(this.cost.totals);
			},
			retrying: (problem, retryAt) => {
				listener.status(this.problemStatus(problem, retryAt));
			},
		});
	}

	/** Parse the rows not taken before, keep the records the filter wants, and hand them over as one batch. */
	private take(rows: readonly ResultRow[], fetch: Fetch, listener: SourceListener): void {
		const records: FlowRecord[] = [];
		const malformedBefore = this.stats.malformed;
		let fresh = 0;
		let bytes = 0;
		for (const row of rows) {
			if (this.seen.has(row.ptr, row.timestamp)) {
				continue;
			}

			const parsed: FlowRecord[] = [];
			this.decoder.decode(row.message, 0, row.message.length, parseRecord, parsed);
			// The endpoint may have ignored a clause: nothing the filter would not show gets through.
			const wanted = parsed.filter(record => matchesFilter(fetch.filter, record) && !fetch.exclude.some(fetched => matchesFilter(fetched, record)));
			// A record left out is not remembered, so a wider filter later can still take it in.
			if (wanted.length > 0 || parsed.length === 0) {
				this.seen.add(row.ptr, row.timestamp);
				fresh++;
				bytes += byteLength(row.message);
			}

			records.push(...wanted);
		}

		this.check.observe(fresh, this.stats.malformed - malformedBefore);
		this.cost.received(bytes);
		if (records.length > 0) {
			this.taken += records.length;
			listener.records(records);
		}
	}
}
