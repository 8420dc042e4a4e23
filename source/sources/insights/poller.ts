import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {FlowLogDecoder, type ParseStats, parseRecord} from '../../flowlog/decoder.js';
import {DEFAULT_FORMAT, type FlowFormat} from '../../flowlog/format.js';
import {LineParser} from '../../flowlog/parser.js';
import type {Filter} from '../../engine/filter.js';
import type {AggregatedRecords} from '../../engine/store.js';
import type {FlowRecord} from '../../flowlog/record.js';
import {formatCount, formatDuration} from '../../text/units.js';
import type {QueryCost, RecordSource, SourceListener, SourceStatus} from '../source.js';
import {type AggregateFields, aggregateFields} from './aggregate-plan.js';
import {AggregateFollower} from './aggregate-follower.js';
import {countRecords, NoAggregation, type Unread} from './aggregate-poll.js';
import {Backoff} from './backoff.js';
import {CostMeter} from './cost-meter.js';
import {FlowLogCheck} from './flow-log-check.js';
import {Lateness} from './lateness.js';
import {checkLogGroups} from './log-groups.js';
import {Problem, problemOf, type ProblemContext} from './problem.js';
import {IngestionWatermark, type Recheck} from './ingestion-watermark.js';
import {countQuery, type IngestionWindow, newRecordsQuery, RECORDS_QUERY} from './query.js';
import {Abandoned, type Piece, QueryRunner, type RunHooks, type TimeRange} from './query-runner.js';
import {resultRow, type ResultRow} from './result-row.js';
import {type ModeSetting, type QueryMode, QueryModes} from './query-mode.js';
import {ScanBudget, type Spacing} from './scan-budget.js';
import {SearchableMargin} from './searchable-margin.js';
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
	/** StartQuery's `limit`, GetQueryResults' page, queries in flight: the service's own by default (query-runner.ts). */
	readonly queryLimit?: number | undefined;
	readonly pageSize?: number | undefined;
	readonly maxInFlight?: number | undefined;
	/** `--budget`: dollars an hour the polls may cost at this price per GB scanned; none when absent. */
	readonly budget?: {readonly dollarsPerHour: number; readonly pricePerGb: number} | undefined;
	/** `--debug`: a line about each poll (its window, queries, rows, bytes, seconds) and each change of how polls work. */
	readonly debug?: ((line: string) => void) | undefined;
	/** `--mode`: raw records, Insights' own sums (aggregate-plan.ts), or chosen by volume. Raw unless told. */
	readonly mode?: ModeSetting;
	/** Aggregate mode: how many entries of each list are exactly raw mode's (`--top`, or what the panes show). */
	readonly top?: number;
	/** `--once`: the NAT gateways the VPC's configuration names, read beside the poll (see natGatewaysKnown). */
	readonly natGateways?: Promise<readonly string[]> | undefined;
	/** The view's filter to begin with (`--filter`): see filterChanged. */
	readonly filter?: Filter;
}

/** The entries of each list an aggregate poll makes exact unless told: a tall terminal's pane. */
const AGGREGATE_TOP = 20;

/**
 * How the poller knows what is new. `ingestion`: by @ingestionTime windows. `re-fetch`: the endpoint
 * gives no @ingestionTime (moto), so every poll re-fetches the lateness horizon and drops by @ptr
 * what it took before. `unknown` until the first records say which.
 */
export type NewRecordsBy = 'unknown' | 'ingestion' | 're-fetch';

/** How late records are, for a status line: what each poll re-scans because of it. */
export interface LatenessInfo {
	readonly horizonMs: number;
	/** Largest `@ingestionTime - @timestamp` seen lately; undefined before any record. */
	readonly delayMs: number | undefined;
	/** What each poll leaves behind now for records ingested and not yet searchable. */
	readonly marginMs: number;
}

// Between attempts after a failure: throttling and passing faults back off with jitter; a problem only
// a person can fix (credentials, permissions, a wrong name) is retried at a steady, patient pace.
const BACKOFF_BASE_MS = 2000;
const BACKOFF_MAX_MS = 60_000;
const PERSON_RETRY_MS = 15_000;
/** `--once` gives a passing fault this many tries before it reports it. */
const ONCE_ATTEMPTS = 4;

function byteLength(text: string): number {
	return Buffer.byteLength(text);
}

/**
 * Tails log groups with Logs Insights: the RecordSource for `--log-group` and, pointed at the local
 * endpoint, for `--demo`.
 *
 * Two watermarks. Ingestion time says what is new: each poll asks for the records that reached
 * CloudWatch in `(previous, now - margin]` (ingestion-watermark.ts), so windows never overlap and
 * a record delivered late is taken exactly once. Event time says where to look: the query's
 * @timestamp range still reaches back one lateness horizon (lateness.ts) behind the window, since
 * a record can be stamped that long before it is ingested, and that range is what Insights bills.
 * An endpoint that gives no @ingestionTime gets the old way instead: each poll re-covers the
 * horizon and drops by @ptr what it took before. @ptrs are remembered either way, for as long as
 * a record could come again (a poll retried after a failure part-way, a re-check).
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
	private readonly latenessModel = new Lateness();
	private readonly margin = new SearchableMargin();
	private watermark = new IngestionWatermark(this.margin);
	private readonly modes: QueryModes;
	private readonly follower = new AggregateFollower(this.margin);
	/** Messages of the window aggregate polls found to be no record, counted malformed so far (noteUnread). */
	private unreadNoted = 0;
	/** Raw mode after aggregate mode: the next poll reads the window afresh, in place of the sums. */
	private rereadWindow = false;
	/** A re-read under way behind the sums, and when those sums were taken. */
	private reread: {readonly records: AggregatedRecords[]; readonly sumsAt: number} | undefined;
	private sumsAt = 0;
	private lastPoll: QueryMode | undefined;
	private readonly budget: ScanBudget | undefined;
	private readonly check: FlowLogCheck;
	private by: NewRecordsBy = 'unknown';
	/** End (whole seconds, included) of the last re-fetch poll that completed. */
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
		this.budget = options.budget && new ScanBudget(options.budget.dollarsPerHour, options.budget.pricePerGb);
		if (options.filter) {
			this.filterChanged(options.filter);
		}

		if (options.natGateways) {
			this.follower.knownGateways(options.natGateways);
		}

		this.runner = new QueryRunner({
			client: options.client,
			logGroups: options.logGroups,
			timing: options.timing,
			cost: this.cost,
			context: options.context,
			random: options.random,
			limit: options.queryLimit,
			pageSize: options.pageSize,
			maxInFlight: options.maxInFlight,
		});
	}

	get stats(): ParseStats {
		return this.decoder.stats;
	}

	/**
	 * The view's filter: in aggregate mode every address or CIDR it names is kept by name in the
	 * sums (the window is read again when one is new), so that the filtered panes count exactly.
	 * Raw mode reads every record whatever the filter.
	 */
	filterChanged(filter: Filter): void {
		this.follower.focusOn(
			[...filter.addresses, ...filter.sources, ...filter.destinations].map(matcher => matcher.cidr),
		);
	}

	/**
	 * The interfaces the VPC's configuration names as NAT gateways: in aggregate mode every address of
	 * theirs is kept by name (the window is read again when one is new), so that strangers knocking
	 * on one are seen in a format whose records cannot say it is one.
	 */
	natGatewaysKnown(enis: readonly string[]): void {
		this.follower.knownGateways(enis);
	}

	get lateness(): LatenessInfo {
		return {
			horizonMs: this.latenessModel.horizonMs,
			delayMs: this.latenessModel.delayMs,
			marginMs: this.margin.marginMs,
		};
	}

	/** How new records are told from those taken before. */
	get newRecordsBy(): NewRecordsBy {
		return this.by;
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
		this.cost.watch(cost => listener.cost?.(cost));
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
		this.cost.watch(cost => listener.cost?.(cost));
		const backoff = new Backoff(BACKOFF_BASE_MS, BACKOFF_MAX_MS, this.options.random);
		for (;;) {
			try {
				await this.poll(listener, this.stopping.signal, true);
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
		let polled = false;
		while (!this.stopping.signal.aborted) {
			const {signal} = this.stopping;
			const started = timing.now();
			const scannedBefore = this.cost.totals.bytesScanned;
			try {
				await this.poll(listener, signal);
				backoff.reset();
				// The first poll reads the whole window once: what recurs is the polls after it.
				if (polled) {
					this.budget?.scanned(this.cost.totals.bytesScanned - scannedBefore);
				}

				polled = true;
				const spacing = this.budget?.spacing(intervalMs) ?? {intervalMs};
				const nextPollAt = started + spacing.intervalMs;
				listener.status(this.idleStatus(nextPollAt, spacing));
				await timing.wait(nextPollAt - timing.now(), signal);
			} catch (error) {
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

	private idleStatus(nextPoll: number, spacing: Spacing): SourceStatus {
		const nextPollAt = this.options.timing.wallTime(nextPoll);
		const notFlowLogs = this.check.problem(this.options.logGroups, this.stats);
		if (notFlowLogs) {
			return {kind: 'error', message: notFlowLogs.message, retryAt: nextPollAt};
		}

		if (spacing.wouldCostPerHour !== undefined && this.budget) {
			const note = `polling every ${formatDuration(spacing.intervalMs / 1000)}, not ${formatDuration(this.options.intervalMs / 1000)}: the scans would cost ${dollarsPerHour(spacing.wouldCostPerHour)}, over the ${dollarsPerHour(this.budget.dollarsPerHour)} --budget`;
			this.options.debug?.(`budget: ${note}`);
			return {kind: 'waiting', nextPollAt, note};
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

	/**
	 * One poll: what is new since the previous one, and a re-check of closed windows when one is due.
	 * `once`: the only poll, so it takes everything searchable now, margin or not.
	 */
	private async poll(listener: SourceListener, signal: AbortSignal, once = false): Promise<void> {
		const {client, context, timing} = this.options;
		if (!this.groupsChecked) {
			await checkLogGroups(client, context);
			this.groupsChecked = true;
		}

		await this.runner.stopOrphans();
		const now = timing.now();
		listener.status({kind: 'polling', since: this.options.timing.wallTime(now)});
		const before = this.cost.totals;
		const by = this.by;
		const to = Math.floor(now / 1000);
		const lower = this.lowerBound(now);
		if (this.modes.counting) {
			await this.countWindow(listener, signal, {from: lower, to});
		}

		if (
			this.modes.current.mode === 'aggregate' &&
			(await this.pollAggregate(listener, signal, {from: lower, to}, now, once))
		) {
			this.sumsAt = now;
			this.reread = undefined;
			return;
		}

		// Back from aggregate mode, the window is read afresh; the panes keep the sums until it has
		// been read whole, for a screen emptied, or thinned, for the length of a re-read reads as an
		// all-clear. The re-read takes records as the store would, over as many polls as it needs.
		if (this.rereadWindow) {
			this.rereadWindow = false;
			this.by = 'unknown';
			this.coveredTo = undefined;
			this.seen = new SeenRecords();
			this.watermark = new IngestionWatermark(this.margin);
			this.taken = 0;
			this.reread = {records: [], sumsAt: this.sumsAt};
		}

		const sums = listener;
		const reread = this.reread;
		if (reread) {
			listener = recordsTo(listener, records => {
				for (const record of records) {
					reread.records.push({...record, records: 1});
				}
			});
		}

		// A poll that reads the whole window tells nothing of what one poll brings.
		const readsWindow = this.by === 'unknown' && this.coveredTo === undefined;
		const overflowBefore = this.overflowSeconds;
		const horizonMs = this.latenessModel.horizonMs;
		const window = once ? undefined : this.watermark.window(now);
		let range: TimeRange | undefined;
		const taken = {records: 0, largestDelay: undefined as number | undefined};
		if (by === 'ingestion' && !once) {
			if (window) {
				range = {from: Math.max(lower, Math.floor((window.after - horizonMs) / 1000)), to};
				await this.fetch(range, newRecordsQuery(window), window, taken, listener, signal);
				this.watermark.taken(window, range.from, now, taken.records);
			}
		} else {
			const horizon = Math.ceil(horizonMs / 1000);
			const remembered = Math.ceil(this.seen.watermark / 1000);
			range = {from: this.coveredTo === undefined ? lower : Math.max(this.coveredTo - horizon, lower, remembered), to};
			// Until rows say whether they carry @ingestionTime, the query asks for none; if they do, the
			// rows past the window are left for the next poll, as if the query had asked for the window.
			// What a poll of the whole window takes was there before flowtop looked: the listener is told so.
			const target = listener;
			const reading = readsWindow ? recordsTo(target, records => target.records(records, true)) : target;
			await this.fetch(range, RECORDS_QUERY, by === 'unknown' ? window : undefined, taken, reading, signal);
			if (this.by === 'ingestion' && window) {
				this.watermark.taken(window, range.from, now, taken.records);
			} else {
				this.coveredTo = to;
				// Remember twice the horizon, so a horizon that has to grow can reach back over what is remembered.
				this.seen.forgetBefore(Math.max(to * 1000 - 2 * this.latenessModel.horizonMs, lower * 1000));
			}
		}

		this.latenessModel.observe(now, taken.largestDelay);
		// Stryker disable next-line ConditionalExpression: only polls by @ingestionTime leave windows in the watermark (a re-read starts a new one), so it has none to re-check otherwise
		const recheck = this.by === 'ingestion' ? this.watermark.due(now) : undefined;
		if (recheck) {
			await this.recheck(recheck, to, now, listener, signal);
		}

		// Whole once it reaches every record ingested before the sums were taken: until the margin
		// has passed that moment, the newest of them are not searchable yet.
		if (reread && (once || this.by !== 'ingestion' || (window !== undefined && window.upTo >= reread.sumsAt))) {
			this.reread = undefined;
			sums.replace?.(reread.records);
		}

		this.debugPoll(now, range, window, taken.records, recheck, before);
		listener.tick?.(timing.now());
		this.lastPoll = this.modes.current;
		if (!readsWindow && this.modes.afterRaw(taken.records, this.overflowSeconds > overflowBefore)) {
			listener.mode?.(this.modes.current);
		}
	}

	/** Auto mode's first step: how many records the window holds says how to read it. */
	private async countWindow(listener: SourceListener, signal: AbortSignal, range: TimeRange): Promise<void> {
		const {endpoint} = this.options.context;
		const count = await this.aggregating(listener, (_fields, retrying) =>
			countRecords({runner: this.runner, range, endpoint, signal, retrying}),
		);
		if (count !== undefined) {
			this.modes.afterCount(count.records);
			this.follower.counted(count.records, count.ingested);
			listener.mode?.(this.modes.current);
		}
	}

	/**
	 * A query that needs Insights to sum: undefined when the group cannot be read that way (its
	 * format lacks a field the queries group by, or the endpoint refuses or does not sum), and the
	 * modes then say why.
	 */
	private async aggregating<T>(
		listener: SourceListener,
		run: (fields: AggregateFields, retrying: RunHooks['retrying']) => Promise<T>,
	): Promise<T | undefined> {
		const fields = aggregateFields(this.format);
		if (typeof fields === 'string') {
			this.modes.cannotAggregate(`${fields}, which aggregate queries group by`);
			listener.mode?.(this.modes.current);
			return undefined;
		}

		try {
			return await run(fields, (problem, retryAt) => {
				listener.status(this.problemStatus(problem, retryAt));
			});
		} catch (error) {
			if (!(error instanceof NoAggregation) && !(error instanceof Problem && error.kind === 'query-refused')) {
				throw error;
			}

			this.modes.cannotAggregate(error.message);
			listener.mode?.(this.modes.current);
			return undefined;
		}
	}

	/**
	 * One aggregate poll (aggregate-follower.ts): the whole window from `stats` queries, handed over in
	 * place of what the listener held, or what is new, added to it. False when the group cannot be
	 * aggregated: the poll goes on raw, and says why.
	 */
	private async pollAggregate(
		listener: SourceListener,
		signal: AbortSignal,
		range: TimeRange,
		now: number,
		once: boolean,
	): Promise<boolean> {
		const {timing, context, windowMs, intervalMs} = this.options;
		const before = this.cost.totals;
		const step = await this.aggregating(listener, async (fields, retrying) =>
			this.follower.poll({
				runner: this.runner,
				range,
				fields,
				stats: this.stats,
				top: this.options.top ?? AGGREGATE_TOP,
				endpoint: context.endpoint,
				signal,
				retrying,
				horizonMs: this.latenessModel.horizonMs,
				now,
				once,
			}),
		);
		if (step === undefined) {
			return false;
		}

		const {window, replaces} = step;
		this.latenessModel.observe(now, window.largestDelay);
		const unread = this.noteUnread(window.unread);
		this.check.observe(window.records + unread, unread);
		if (replaces) {
			this.taken = window.records;
			listener.replace?.(window.rows);
		} else {
			this.taken += window.records;
			if (window.rows.length > 0) {
				listener.addSums?.(window.rows);
			}
		}

		listener.tick?.(timing.now());
		this.options.debug?.(
			`poll: aggregate, ${step.read}; window @timestamp ${iso(range.from * 1000)} to ${iso(range.to * 1000 + 999)}; ${this.cost.totals.queries - before.queries} queries, ${window.rowsReceived} rows, ${window.records} records, ${this.cost.totals.bytesScanned - before.bytesScanned} bytes scanned, ${((timing.now() - now) / 1000).toFixed(1)} s`,
		);
		const shortfall = [
			...(window.cut.length > 0
				? [`${window.cut.join(', ')}: a second held more rows than a query returns, some were not read`]
				: []),
			...(window.unkept > 0 ? [`${formatCount(window.unkept)} addresses of refused records not followed by name`] : []),
		];
		const polled = this.modes.current;
		// A poll of what is new says outright what a poll brings; the whole window, spread over its length.
		const switched = this.modes.afterAggregate(
			window.records,
			replaces ? windowMs : intervalMs,
			intervalMs,
			shortfall.length === 0 ? undefined : shortfall.join('; '),
		);
		this.lastPoll = switched ? polled : this.modes.current;
		this.rereadWindow = switched;
		if (switched) {
			this.follower.reset();
		}

		listener.mode?.(this.modes.current);
		return true;
	}

	/**
	 * Messages no part of an aggregate poll took, being no record of the format, counted malformed as
	 * raw mode counts them, with the reason flowtop's parser gives for one of them. A poll of the
	 * whole window counts those of the window again: only those past the most counted before are new.
	 */
	private noteUnread(unread: Unread | undefined): number {
		const fresh = (unread?.messages ?? 0) - this.unreadNoted;
		if (!unread || fresh <= 0) {
			return 0;
		}

		this.unreadNoted = unread.messages;
		const sample = unread.sample ?? '';
		const parsed = new LineParser(this.format).parse(sample);
		this.stats.note(0, typeof parsed === 'string' ? parsed : 'no record of the format', sample, fresh);
		return fresh;
	}

	/** Runs a records query and takes in the rows not taken before (in `window`, when it is given). */
	private async fetch(
		range: TimeRange,
		text: string,
		window: IngestionWindow | undefined,
		taken: {records: number; largestDelay: number | undefined},
		listener: SourceListener,
		signal: AbortSignal,
	): Promise<ResultRow[]> {
		const fresh: ResultRow[] = [];
		await this.runner.run(range, {text, rowPerRecord: true}, signal, {
			piece: (piece: Piece) => {
				const rows = rowsOf(piece);
				taken.largestDelay = largestDelayOf(rows, taken.largestDelay);
				const took = this.take(rows, piece.to, window, listener);
				taken.records += took.length;
				fresh.push(...took);
				if (piece.overflow) {
					this.overflowSeconds++;
				}
			},
			retrying: (problem, retryAt) => {
				listener.status(this.problemStatus(problem, retryAt));
			},
		});
		return fresh;
	}

	/**
	 * Counts the records of closed windows again; when the service now holds more than their polls
	 * took, reads them again and takes those it missed, which measure the margin.
	 */
	private async recheck(
		recheck: Recheck,
		to: number,
		now: number,
		listener: SourceListener,
		signal: AbortSignal,
	): Promise<void> {
		const range = {from: recheck.from, to};
		const hooks = {
			retrying: (problem: Problem, retryAt: number) => {
				listener.status(this.problemStatus(problem, retryAt));
			},
		};
		let count = 0;
		await this.runner.run(range, {text: countQuery(recheck.window), rowPerRecord: false}, signal, {
			...hooks,
			piece: piece => {
				count += countOf(piece);
			},
		});
		let found: number[] = [];
		if (count > recheck.expected) {
			// Stryker disable next-line ObjectLiteral: a re-check reads the rows fetch returns; this tally is not read
			const taken = {records: 0, largestDelay: undefined};
			const missed = await this.fetch(range, newRecordsQuery(recheck.window), recheck.window, taken, listener, signal);
			found = missed.map(row => row.ingestionTime ?? recheck.window.upTo);
		}

		this.watermark.rechecked(recheck, now, found);
		this.seen.forgetBefore(recheck.window.upTo);
		this.options.debug?.(
			`re-check of ingestion window (${iso(recheck.window.after)}, ${iso(recheck.window.upTo)}]: ${count} records, ${recheck.expected} taken before, ${found.length} found late; margin now ${this.watermark.margin.marginMs / 1000} s`,
		);
	}

	private debugPoll(
		now: number,
		range: TimeRange | undefined,
		window: IngestionWindow | undefined,
		records: number,
		recheck: Recheck | undefined,
		before: QueryCost,
	): void {
		const {debug, timing} = this.options;
		if (!debug) {
			return;
		}

		const after = this.cost.totals;
		const what =
			this.by === 'ingestion' && window
				? `ingestion window (${iso(window.after)}, ${iso(window.upTo)}] (margin ${this.watermark.margin.marginMs / 1000} s)`
				: this.by === 'ingestion'
					? 'nothing new past the margin yet'
					: `horizon re-fetch (${this.by === 'unknown' ? 'no records yet to tell whether the endpoint gives @ingestionTime' : 'the endpoint gives no @ingestionTime: new records told by @ptr'})`;
		const span = range ? `@timestamp ${iso(range.from * 1000)} to ${iso(range.to * 1000 + 999)}` : 'no query';
		debug(
			`poll: ${what}; ${span}; ${after.queries - before.queries} queries${recheck ? ' (with a re-check)' : ''}, ${records} new records, ${after.bytesScanned - before.bytesScanned} bytes scanned, ${((timing.now() - now) / 1000).toFixed(1)} s`,
		);
	}

	/** Parse the rows not taken before (in the window, if given) and hand their records over as one batch; returns those rows. */
	private take(
		rows: readonly ResultRow[],
		pieceEnd: number,
		window: IngestionWindow | undefined,
		listener: SourceListener,
	): ResultRow[] {
		const records: FlowRecord[] = [];
		const fresh: ResultRow[] = [];
		const malformedBefore = this.stats.malformed;
		let bytes = 0;
		for (const row of rows) {
			this.learnFrom(row);
			const ingested = row.ingestionTime;
			// Applied here too: an endpoint that ignores the clause must not hand over a record twice.
			if (window && ingested !== undefined && (ingested <= window.after || ingested > window.upTo)) {
				continue;
			}

			const time = (this.by === 'ingestion' ? ingested : undefined) ?? row.timestamp ?? pieceEnd * 1000;
			if (this.seen.has(row.key, time)) {
				continue;
			}

			this.seen.add(row.key, time);
			fresh.push(row);
			bytes += byteLength(row.message);
			this.decoder.decode(row.message, 0, row.message.length, parseRecord, records);
		}

		this.check.observe(fresh.length, this.stats.malformed - malformedBefore);
		this.cost.received(bytes);
		if (records.length > 0) {
			this.taken += records.length;
			listener.records(records);
		}

		return fresh;
	}

	/** The first row tells whether the endpoint gives @ingestionTime, and so how new records are told apart. */
	private learnFrom(row: ResultRow): void {
		if (this.by !== 'unknown') {
			return;
		}

		this.by = row.ingestionTime === undefined ? 're-fetch' : 'ingestion';
		this.options.debug?.(
			this.by === 'ingestion'
				? 'new records are told by @ingestionTime: each poll asks for what reached CloudWatch since the previous one'
				: `${this.options.context.endpoint} gives no @ingestionTime: each poll re-fetches the lateness horizon and drops by @ptr what it took before`,
		);
	}
}

/** The listener with its records going elsewhere; every other call still reaches it (a class's methods too). */
function recordsTo(listener: SourceListener, records: SourceListener['records']): SourceListener {
	return {
		records,
		columns: batch => listener.columns(batch),
		status: status => listener.status(status),
		tick: now => listener.tick?.(now),
		cost: cost => listener.cost?.(cost),
		replace: rows => listener.replace?.(rows),
		addSums: rows => listener.addSums?.(rows),
		mode: mode => listener.mode?.(mode),
	};
}

/** Two significant figures at least, so a small budget (the demo's) reads as itself, not $0.00. */
function dollarsPerHour(dollars: number): string {
	// Stryker disable next-line EqualityOperator: at exactly one dollar both forms read 1.0
	return `$${dollars >= 1 ? dollars.toFixed(1) : dollars.toPrecision(2)}/h`;
}

function iso(milliseconds: number): string {
	return new Date(milliseconds).toISOString();
}

function rowsOf(piece: Piece): ResultRow[] {
	return piece.results.map(fields => resultRow(fields)).filter(row => row !== undefined);
}

/** The `records` of a count query's one row. */
function countOf(piece: Piece): number {
	let count = 0;
	for (const row of piece.results) {
		const value = Number(row.find(field => field.field === 'records')?.value ?? 0);
		count += Number.isFinite(value) ? value : 0;
	}

	return count;
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
