import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {FlowLogDecoder, type ParseStats, parseRecord} from '../../flowlog/decoder.js';
import {DEFAULT_FORMAT, type FlowFormat} from '../../flowlog/format.js';
import type {FlowRecord} from '../../flowlog/record.js';
import {formatCount, formatDuration} from '../../text/units.js';
import type {QueryCost, RecordSource, SourceListener, SourceStatus} from '../source.js';
import {aggregateFields, PAGE_ROWS} from './aggregate-plan.js';
import {type AggregateWindow, countRecords, NoAggregation, pollAggregateWindow} from './aggregate-poll.js';
import {Backoff} from './backoff.js';
import {CostMeter} from './cost-meter.js';
import {FlowLogCheck} from './flow-log-check.js';
import {Lateness} from './lateness.js';
import {checkLogGroups} from './log-groups.js';
import {Problem, problemOf, type ProblemContext} from './problem.js';
import {RECORDS_QUERY} from './query.js';
import {Abandoned, type Piece, QueryRunner, type TimeRange} from './query-runner.js';
import type {ResultRow} from './result-row.js';
import {type ModeSetting, type QueryMode, QueryModes} from './query-mode.js';
import {SeenRecords} from './seen-records.js';
import type {Timing} from '../../clock.js';

export interface InsightsPollerOptions {
	readonly client: CloudWatchLogsClient;
	/** The client was made for this poller: stop() destroys it, freeing its sockets. */
	readonly ownsClient?: boolean;
	readonly logGroups: readonly string[];
	/** For the header; the group names by default. */
	readonly label?: string;
	readonly format?: FlowFormat | undefined;
	/** The decoder to parse with, when its stats must exist before the poller does (the demo's). */
	readonly decoder?: FlowLogDecoder;
	readonly timing: Timing;
	/** From the start of one poll to the start of the next. */
	readonly intervalMs: number;
	/** The sliding window (`--window`, or `--since` when it reaches further): no poll reaches back further. Infinity for everything the group holds. */
	readonly windowMs: number;
	readonly context: ProblemContext;
	readonly random?: (() => number) | undefined;
	/** `--mode`: raw records, Insights' own sums (aggregate-plan.ts), or chosen by volume. Raw unless told. */
	readonly mode?: ModeSetting;
	/** Aggregate mode: how many entries of each list are exactly raw mode's (`--top`, or what the panes show). */
	readonly top?: number;
}

/** The entries of each list an aggregate poll makes exact unless told: a tall terminal's pane. */
const AGGREGATE_TOP = 20;

/** How late records are, for a status line: what each poll re-scans because of it. */
export interface LatenessInfo {
	readonly horizonMs: number;
	/** Largest `@ingestionTime - @timestamp` seen lately; undefined before any record. */
	readonly delayMs: number | undefined;
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
 * Each poll runs one query over [previous end - horizon, now] and takes in the records it has not
 * taken before (by @ptr). The horizon is learned from how late records arrive (lateness.ts); @ptrs
 * are forgotten behind twice the horizon, and no poll ever reaches back past what is remembered, so
 * nothing is counted twice.
 *
 * Every record of the window is fetched, whatever the view's filter: the filter narrows what is
 * shown, and what the diagnosis knows of an interface (its own address, its baseline) must come
 * from all of its records. Pushing the filter down would not make a query cheaper either: Insights
 * bills the bytes it scans, and it scans the whole time range whatever the query keeps.
 */
export class InsightsPoller implements RecordSource {
	readonly label: string;
	private readonly options: InsightsPollerOptions;
	private readonly format: FlowFormat;
	private readonly decoder: FlowLogDecoder;
	private readonly cost = new CostMeter();
	private readonly runner: QueryRunner;
	private seen = new SeenRecords();
	private readonly modes: QueryModes;
	/** Raw mode after aggregate mode: the next poll reads the window afresh, in place of the sums. */
	private rereadWindow = false;
	private lastPoll: QueryMode | undefined;
	private readonly latenessModel = new Lateness();
	private readonly check: FlowLogCheck;
	/** End (whole seconds, included) of the last regular poll that completed. */
	private coveredTo: number | undefined;
	private groupsChecked = false;
	private taken = 0;
	private overflowSeconds = 0;
	private readonly stopping = new AbortController();
	private loop: Promise<void> | undefined;

	constructor(options: InsightsPollerOptions) {
		this.options = options;
		this.label = options.label ?? options.logGroups.join(', ');
		this.decoder = options.decoder ?? new FlowLogDecoder(options.format ?? DEFAULT_FORMAT);
		this.format = this.decoder.format;
		this.check = new FlowLogCheck(this.format);
		this.modes = new QueryModes(options.mode ?? 'raw');
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

	/** How the group is read now, and why. */
	get queryMode(): QueryMode {
		return this.modes.current;
	}

	/** How the last poll that completed read the group, and why: what `--once` reports. */
	get polledWith(): QueryMode | undefined {
		return this.lastPoll;
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

	async stop(): Promise<void> {
		this.stopping.abort();
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
			const {signal} = this.stopping;
			const started = timing.now();
			try {
				await this.poll(listener, signal);
				backoff.reset();
				const nextPollAt = started + intervalMs;
				listener.status(this.idleStatus(nextPollAt));
				await timing.wait(nextPollAt - timing.now(), signal);
			} catch (error) {
				listener.cost?.(this.cost.totals);
				if (error instanceof Abandoned || signal.aborted) {
					break;
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
			const span = Number.isFinite(this.options.windowMs)
				? ` in the last ${formatDuration(this.options.windowMs / 1000)}`
				: '';
			const note = `no flow-log records in ${this.label}${span} yet (they reach CloudWatch minutes after capture); still polling`;
			return {kind: 'waiting', nextPollAt, note};
		}

		return {kind: 'waiting', nextPollAt};
	}

	/** Whole seconds before which nothing is polled: the window's start. */
	private lowerBound(now: number): number {
		const {windowMs} = this.options;
		return Number.isFinite(windowMs) ? Math.max(0, Math.floor((now - windowMs) / 1000)) : 0;
	}

	/** One poll: from one horizon behind the previous poll's end up to now. */
	private async poll(listener: SourceListener, signal: AbortSignal): Promise<void> {
		const {client, context, timing} = this.options;
		if (!this.groupsChecked) {
			await checkLogGroups(client, context);
			this.groupsChecked = true;
		}

		await this.runner.stopOrphans();
		const now = timing.now();
		listener.status({kind: 'polling', since: this.options.timing.wallTime(now)});
		const to = Math.floor(now / 1000);
		const lower = this.lowerBound(now);
		if (this.modes.counting) {
			await this.countWindow(listener, signal, {from: lower, to});
		}

		if (this.modes.current.mode === 'aggregate' && (await this.pollAggregate(listener, signal, {from: lower, to}))) {
			return;
		}

		if (this.rereadWindow) {
			this.rereadWindow = false;
			this.coveredTo = undefined;
			this.seen = new SeenRecords();
			this.taken = 0;
			listener.replace?.([]);
		}

		const horizon = Math.ceil(this.latenessModel.horizonMs / 1000);
		const remembered = Math.ceil(this.seen.watermark / 1000);
		const from = this.coveredTo === undefined ? lower : Math.max(this.coveredTo - horizon, lower, remembered);
		// A poll that reads the whole window tells nothing of what one poll brings.
		const readsWindow = this.coveredTo === undefined;
		let largestDelay: number | undefined;
		let fresh = 0;
		let overflowed = false;
		await this.runner.run({from, to}, RECORDS_QUERY, signal, {
			piece: (piece: Piece) => {
				largestDelay = largestDelayOf(piece.rows, largestDelay);
				fresh += this.take(piece, listener);
				if (piece.overflow) {
					this.overflowSeconds++;
					overflowed = true;
				}

				listener.cost?.(this.cost.totals);
			},
			retrying: (problem, retryAt) => {
				listener.status(this.problemStatus(problem, retryAt));
			},
		});
		this.coveredTo = to;
		this.latenessModel.observe(now, largestDelay);
		// Remember twice the horizon, so a horizon that has to grow can reach back over what is remembered.
		this.seen.forgetBefore(Math.max(to * 1000 - 2 * this.latenessModel.horizonMs, lower * 1000));
		listener.tick?.(timing.now());
		listener.cost?.(this.cost.totals);
		this.lastPoll = this.modes.current;
		if (!readsWindow && this.modes.afterRaw(fresh, overflowed)) {
			listener.mode?.(this.modes.current);
		}
	}

	/** Auto mode's first step: how many records the window holds says how to read it. */
	private async countWindow(listener: SourceListener, signal: AbortSignal, range: TimeRange): Promise<void> {
		const {context} = this.options;
		const fields = aggregateFields(this.format);
		if (typeof fields === 'string') {
			this.modes.cannotAggregate(`${fields}, which aggregate queries group by`);
			listener.mode?.(this.modes.current);
			return;
		}

		try {
			this.modes.afterCount(
				await countRecords({
					runner: this.runner,
					range,
					endpoint: context.endpoint,
					signal,
					retrying: (problem, retryAt) => {
						listener.status(this.problemStatus(problem, retryAt));
					},
				}),
			);
		} catch (error) {
			if (!(error instanceof NoAggregation) && !(error instanceof Problem && error.kind === 'query-refused')) {
				throw error;
			}

			this.modes.cannotAggregate(error.message);
		}

		listener.mode?.(this.modes.current);
	}

	/**
	 * One aggregate poll: the whole window from `stats` queries, handed over in place of what the
	 * listener held. False when the group cannot be aggregated: the poll goes on raw, and says why.
	 */
	private async pollAggregate(listener: SourceListener, signal: AbortSignal, range: TimeRange): Promise<boolean> {
		const {timing, context, windowMs, intervalMs} = this.options;
		const fields = aggregateFields(this.format);
		if (typeof fields === 'string') {
			this.modes.cannotAggregate(`${fields}, which aggregate queries group by`);
			listener.mode?.(this.modes.current);
			return false;
		}

		let window: AggregateWindow;
		try {
			window = await pollAggregateWindow({
				runner: this.runner,
				range,
				fields,
				stats: this.stats,
				top: this.options.top ?? AGGREGATE_TOP,
				endpoint: context.endpoint,
				signal,
				retrying: (problem, retryAt) => {
					listener.status(this.problemStatus(problem, retryAt));
				},
			});
		} catch (error) {
			if (!(error instanceof NoAggregation) && !(error instanceof Problem && error.kind === 'query-refused')) {
				throw error;
			}

			this.modes.cannotAggregate(`${error.message}`);
			listener.mode?.(this.modes.current);
			return false;
		}

		this.taken = window.records;
		this.check.observe(window.records, 0);
		listener.replace?.(window.rows);
		listener.tick?.(timing.now());
		listener.cost?.(this.cost.totals);
		const shortfall = [
			...(window.cut.length > 0
				? [`${window.cut.join(', ')} reached ${formatCount(PAGE_ROWS)} rows and were cut`]
				: []),
			...(window.unkept > 0 ? [`${formatCount(window.unkept)} addresses of refused records not followed by name`] : []),
		];
		const polled = this.modes.current;
		const switched = this.modes.afterAggregate(
			window.records,
			windowMs,
			intervalMs,
			shortfall.length === 0 ? undefined : shortfall.join('; '),
		);
		this.lastPoll = switched ? polled : this.modes.current;
		this.rereadWindow = switched;
		listener.mode?.(this.modes.current);
		return true;
	}

	/** Parse the rows not taken before and hand their records over as one batch; returns how many rows were new. */
	private take(piece: Piece, listener: SourceListener): number {
		const records: FlowRecord[] = [];
		const malformedBefore = this.stats.malformed;
		let fresh = 0;
		let bytes = 0;
		for (const row of piece.rows) {
			if (this.seen.has(row.key, row.timestamp)) {
				continue;
			}

			this.seen.add(row.key, row.timestamp ?? piece.to * 1000);
			fresh++;
			bytes += byteLength(row.message);
			this.decoder.decode(row.message, 0, row.message.length, parseRecord, records);
		}

		this.check.observe(fresh, this.stats.malformed - malformedBefore);
		this.cost.received(bytes);
		if (records.length > 0) {
			this.taken += records.length;
			listener.records(records);
		}

		return fresh;
	}
}

/** The largest `@ingestionTime - @timestamp` among rows that carry both; endpoints that omit either teach nothing. */
function largestDelayOf(rows: readonly ResultRow[], largest: number | undefined): number | undefined {
	for (const row of rows) {
		if (row.timestamp !== undefined && row.ingestionTime !== undefined) {
			largest = Math.max(largest ?? Number.NEGATIVE_INFINITY, row.ingestionTime - row.timestamp);
		}
	}

	return largest;
}
