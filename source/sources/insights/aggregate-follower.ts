import {type AggregateFields, partsCountQuery} from './aggregate-plan.js';
import {
	type AggregatePollOptions,
	type AggregateWindow,
	countRecords,
	forwardersOfWindow,
	type Kept,
	pollAggregateNew,
	pollAggregateWindow,
	type Ranking,
	rankWindow,
} from './aggregate-poll.js';
import {IngestionWatermark, type Recheck} from './ingestion-watermark.js';
import type {IngestionWindow} from './query.js';
import type {SearchableMargin} from './searchable-margin.js';
import type {TimeRange} from './query-runner.js';

/** How often the top lists are asked again over the whole window, between polls of only what is new. */
export const RERANK_MS = 60_000;

/** What one aggregate poll hands the store. */
export interface AggregateStep {
	readonly window: AggregateWindow;
	/** The whole window, in place of what the store held; otherwise what is new, added to it. */
	readonly replaces: boolean;
	/** What the poll read, for --debug. */
	readonly read: string;
}

export interface FollowOptions
	extends Omit<AggregatePollOptions, 'range' | 'ingested' | 'fields' | 'focus' | 'knownGateways'> {
	readonly fields: AggregateFields;
	/** The window's @timestamp range. */
	readonly range: TimeRange;
	/** How far before its @ingestionTime a record can be stamped: how far back a poll of what is new reaches. */
	readonly horizonMs: number;
	readonly now: number;
	/** `--once`: everything searchable now, and no poll after. */
	readonly once: boolean;
}

const EMPTY: AggregateWindow = {
	rows: [],
	records: 0,
	queries: 0,
	rowsReceived: 0,
	cut: [],
	unkept: 0,
	kept: [],
	gateways: [],
};

/**
 * Aggregate polls after the first. The first reads the whole window up to an ingestion watermark
 * (`now - margin`, as raw polls do); each poll after it reads only what reached CloudWatch since, in
 * the parts of the first, keeping by name the addresses it kept, and the store adds the rows to its
 * sums. So a poll's queries scan what is new rather than the window, and its rows follow what is
 * shown; sums stay exact because the windows never overlap and every record of a kept address keeps
 * that address.
 *
 * The whole window is read again, in place of the sums, when that would stop being so: when the top
 * lists, asked again every RERANK_MS, rank an address that is not kept (its earlier records were
 * folded); when an address newly refused had accepted records earlier polls folded; when an
 * interface starts to translate addresses (a NAT gateway, whose every address is kept); and when
 * a re-check finds records that became searchable later than the margin. Between re-rankings a list
 * can miss an address that has just risen into its first N; what it shows is never wrong.
 *
 * An endpoint whose records carry no @ingestionTime cannot tell what is new: every poll reads the
 * whole window, as before.
 */
export class AggregateFollower {
	private readonly watermark: IngestionWatermark;
	private kept: Kept | undefined;
	private rankedAt = Number.NEGATIVE_INFINITY;
	/** Whether the endpoint's records carry @ingestionTime: unknown until a count of a window that holds records. */
	private ingestionTimes: boolean | undefined;
	private rereadWhy: string | undefined;
	/** CIDRs the view's filter names now, and those the sums kept by name when they were read. */
	private focus: readonly string[] = [];
	private readWith: readonly string[] = [];
	/** The NAT gateways the VPC's configuration names (a promise while `--once` reads it beside the poll). */
	private known: readonly string[] | Promise<readonly string[]> = [];

	constructor(margin: SearchableMargin) {
		this.watermark = new IngestionWatermark(margin);
	}

	/** What the poller learnt from its own count of the window (auto mode's). */
	counted(records: number, ingested: number): void {
		if (records > 0) {
			this.ingestionTimes = ingested > 0;
		}
	}

	/**
	 * The view's filter names these CIDRs (single addresses as /32 and /128): their addresses are kept
	 * by name in every part, so that what the filtered panes count is exact. One the sums were not
	 * read with has had its records folded: the window is read again.
	 */
	focusOn(cidrs: readonly string[]): void {
		this.focus = [...new Set(cidrs)];
		const added = this.focus.filter(cidr => !this.readWith.includes(cidr));
		if (this.kept && added.length > 0) {
			this.rereadWhy = `the filter names ${added.join(', ')}: its addresses are now kept by name`;
		}
	}

	/**
	 * The interfaces the VPC's configuration names as NAT gateways: every address of theirs is kept by
	 * name. One the sums did not keep so has had its records folded: the window is read again.
	 */
	knownGateways(enis: readonly string[] | Promise<readonly string[]>): void {
		this.known = enis;
		const added = Array.isArray(enis) ? enis.filter(eni => !this.kept?.gateways.includes(eni)) : [];
		if (this.kept && added.length > 0) {
			this.rereadWhy = `the VPC's configuration names ${added.join(', ')} as NAT gateway: the addresses of its accepted records are now kept by name`;
		}
	}

	/** Raw polls took over: the next aggregate poll reads the whole window. */
	reset(): void {
		this.kept = undefined;
	}

	async poll(options: FollowOptions): Promise<AggregateStep> {
		const {now, once, range} = options;
		if (once) {
			return this.whole({...options, ingested: undefined}, 'the whole window, everything searchable now');
		}

		if (this.ingestionTimes === undefined) {
			const {records, ingested} = await countRecords(options);
			this.counted(records, ingested);
		}

		if (this.ingestionTimes !== true) {
			this.kept = undefined;
			return this.whole(
				{...options, ingested: undefined},
				this.ingestionTimes === false
					? `the whole window: ${options.endpoint} gives no @ingestionTime to tell what is new`
					: 'the whole window: no records yet to tell whether the endpoint gives @ingestionTime',
			);
		}

		const window = this.watermark.window(now);
		if (!window) {
			return {window: EMPTY, replaces: false, read: 'nothing new past the margin yet'};
		}

		const recheck = this.kept ? this.watermark.due(now) : undefined;
		if (recheck && (await this.missedSince(options, recheck))) {
			this.rereadWhy = `a re-check found records searchable later than the margin; margin now ${this.watermark.margin.marginMs / 1000} s`;
		}

		const whole = {...options, ingested: {after: 0, upTo: window.upTo}};
		if (!this.kept || this.rereadWhy !== undefined) {
			const why = this.rereadWhy ?? 'the first poll';
			this.rereadWhy = undefined;
			return this.whole(whole, `the whole window (${why})`, window);
		}

		const reranking = now - this.rankedAt >= RERANK_MS;
		let forwarders: string[] | undefined;
		if (reranking) {
			let ranking: Ranking;
			[ranking, forwarders] = await Promise.all([rankWindow(whole), forwardersOfWindow(whole)]);
			const kept = new Set(this.kept.addresses);
			const risen = [...ranking.leaders].filter(address => !kept.has(address));
			if (risen.length > 0) {
				const who = risen.length === 1 ? `${risen[0]} rose` : `${risen.length} addresses rose`;
				return this.whole(whole, `the whole window (${who} into a top list)`, window, ranking);
			}

			const gateways = new Set(this.kept.gateways);
			const forwarding = forwarders.filter(eni => !gateways.has(eni));
			if (forwarding.length > 0) {
				return this.whole(
					whole,
					`the whole window (${forwarding.join(', ')} forwards as a NAT gateway does: the addresses of its accepted records are kept by name)`,
					window,
					ranking,
				);
			}

			this.rankedAt = now;
		}

		const fresh = {...options, range: {...range, from: freshFrom(range, window, options.horizonMs)}, ingested: window};
		// The window's forwarders, just asked, hold every interface that forwarded among what is new.
		const added = await pollAggregateNew(
			{...fresh, focus: this.readWith, knownGateways: this.known, forwarders},
			this.kept,
			range,
		);
		if (typeof added === 'string') {
			return this.whole(whole, `the whole window (${added})`, window);
		}

		this.kept = {addresses: added.kept, gateways: added.gateways};
		this.watermark.taken(window, fresh.range.from, now, added.records);
		const ranked = reranking ? ', the top lists asked again: their leaders all kept' : '';
		return {
			window: added,
			replaces: false,
			read: `what reached CloudWatch in (${iso(window.after)}, ${iso(window.upTo)}] from @timestamp ${iso(fresh.range.from * 1000)}${ranked}`,
		};
	}

	private async whole(
		options: AggregatePollOptions & {readonly now: number},
		read: string,
		window?: IngestionWindow,
		ranking?: Ranking,
	): Promise<AggregateStep> {
		const polled = await pollAggregateWindow({...options, focus: this.focus, knownGateways: this.known}, ranking);
		this.readWith = this.focus;
		if (window) {
			this.kept = {addresses: polled.kept, gateways: polled.gateways};
			this.rankedAt = options.now;
			this.watermark.restart({after: 0, upTo: window.upTo}, options.range.from, options.now, polled.records);
		}

		return {window: polled, replaces: true, read};
	}

	/** Counts a closed stretch of windows again: whether the service now holds more than the polls took. */
	private async missedSince(options: FollowOptions, recheck: Recheck): Promise<boolean> {
		const count = await countRecords(
			{...options, range: {from: recheck.from, to: options.range.to}},
			partsCountQuery(options.fields),
			recheck.window,
		);
		const missed = count.records > recheck.expected;
		// Which of the stretch's polls missed them a count cannot say: as if the first did, the widest lag.
		this.watermark.rechecked(recheck, options.now, missed ? [recheck.window.after + 1] : []);
		return missed;
	}
}

/** Where a poll of what is new starts: a lateness horizon before the last it took, within the window. */
function freshFrom(range: TimeRange, window: IngestionWindow, horizonMs: number): number {
	return Math.max(range.from, Math.floor((window.after - horizonMs) / 1000));
}

function iso(milliseconds: number): string {
	return new Date(milliseconds).toISOString();
}
