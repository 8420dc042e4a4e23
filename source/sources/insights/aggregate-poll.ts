import type {ResultField} from '@aws-sdk/client-cloudwatch-logs';
import type {ParseStats} from '../../flowlog/decoder.js';
import type {AggregatedRecords} from '../../engine/store.js';
import {
	type AggregateFields,
	acceptedOfQuery,
	countQuery,
	delayQuery,
	detailQuery,
	forwardingQueries,
	gatewaysQuery,
	INGESTED,
	ingestedInWindow,
	LARGEST_DELAY,
	loginQuery,
	MAX_KEPT,
	type PlannedQuery,
	RECORDS,
	restQueries,
	topQueries,
	unreadQuery,
	unreadSampleQuery,
} from './aggregate-plan.js';
import {MIN_FORWARDED_RECORDS} from '../../diagnosis/nat-gateway.js';
import {AggregateRowReader, fieldsOf} from './aggregate-rows.js';
import {Problem} from './problem.js';
import type {IngestionWindow} from './query.js';
import type {QueryRunner, RunHooks, TimeRange} from './query-runner.js';

/** What one aggregate poll read: the whole window, or what is new, as rows the store takes. */
export interface AggregateWindow {
	readonly rows: AggregatedRecords[];
	/** Records the rows stand for. */
	readonly records: number;
	readonly queries: number;
	/** Rows that came back, over every query. */
	readonly rowsReceived: number;
	/** Parts a second of which held more rows than a query returns: what the store holds of them is incomplete. */
	readonly cut: readonly string[];
	/** Addresses that would have been kept by name but did not fit in a query. */
	readonly unkept: number;
	/** Addresses the rest parts grouped by: what a poll of only the new records keeps by name. */
	readonly kept: readonly string[];
	/** Interfaces whose accepted records kept every address (maybe NAT gateways): so do a poll's of only the new records. */
	readonly gateways: readonly string[];
	/** The largest `@ingestionTime - @timestamp` among the records read, when they were read by ingestion time. */
	readonly largestDelay?: number | undefined;
	/** Of a poll of the whole window: its messages that are no record of the format, and one of them. */
	readonly unread?: Unread | undefined;
}

/** Messages no part takes, as they are no record of the format. */
export interface Unread {
	readonly messages: number;
	readonly sample: string | undefined;
}

/** Thrown when an endpoint answers a `stats` query with rows that are not its groups (moto does). */
export class NoAggregation extends Problem {
	constructor(endpoint: string) {
		super(
			'query-refused',
			`${endpoint} answered a Logs Insights stats query without aggregating (moto answers fields, sort and limit only)`,
		);
	}
}

/** Every row of a planned query over the range, its pieces' rows together; `overflowed` when a second held more than a query returns. */
async function results(
	runner: QueryRunner,
	range: TimeRange,
	planned: PlannedQuery,
	signal: AbortSignal,
	retrying: RunHooks['retrying'],
	overflowed: () => void = () => {},
): Promise<ResultField[][]> {
	const rows: ResultField[][] = [];
	await runner.run(range, {text: planned.query, rowPerRecord: false}, signal, {
		piece(piece) {
			for (const row of piece.results) {
				rows.push(row);
			}

			if (piece.overflow && !planned.ranked) {
				overflowed();
			}
		},
		retrying,
	});
	return rows;
}

/** What a count of a range said: its records, and how many of them carry an @ingestionTime. */
export interface WindowCount {
	readonly records: number;
	readonly ingested: number;
}

/**
 * How many records `range` holds (that `planned` counts, of those that reached CloudWatch in
 * `ingested`), counted by the service; NoAggregation from an endpoint that does not count.
 */
export async function countRecords(
	options: {
		readonly runner: QueryRunner;
		readonly range: TimeRange;
		readonly endpoint: string;
		readonly signal: AbortSignal;
		readonly retrying: RunHooks['retrying'];
	},
	planned = countQuery(),
	window?: IngestionWindow,
): Promise<WindowCount> {
	const query = window ? ingestedInWindow(planned, window) : planned;
	const rows = await results(options.runner, options.range, query, options.signal, options.retrying);
	const values = rows.length === 0 ? undefined : fieldsOf(rows[0]!);
	const records = values ? Number(values.get(RECORDS)) : 0;
	if (rows.length > 1 || !Number.isSafeInteger(records)) {
		throw new NoAggregation(options.endpoint);
	}

	const ingested = Number(values?.get(INGESTED) ?? 0);
	return {records, ingested: Number.isSafeInteger(ingested) ? ingested : 0};
}

export interface AggregatePollOptions {
	readonly runner: QueryRunner;
	readonly range: TimeRange;
	readonly fields: AggregateFields;
	readonly stats: ParseStats;
	readonly top: number;
	readonly endpoint: string;
	readonly signal: AbortSignal;
	readonly retrying: RunHooks['retrying'];
	/**
	 * Only what reached CloudWatch in this window: `(0, upTo]` for a poll of the whole window that
	 * later polls add to. Absent: everything searchable now.
	 */
	readonly ingested?: IngestionWindow | undefined;
	/** CIDRs whose addresses every part keeps by name: what the view's filter names, so that what it counts is exact. */
	readonly focus?: readonly string[];
	/**
	 * Interfaces the VPC's configuration names as NAT gateways, kept as those the records show are;
	 * a promise while the configuration is being read beside the poll's first queries.
	 */
	readonly knownGateways?: readonly string[] | Promise<readonly string[]>;
	/**
	 * Where no field says which interfaces translate: those that forwarded as a NAT gateway does over
	 * the whole window, asked just before this poll, which then need not ask its own few records.
	 */
	readonly forwarders?: readonly string[] | undefined;
}

/** The nine top lists of the window, and the addresses they rank among their first `top`. */
export interface Ranking {
	readonly rows: ReadonlyArray<readonly ResultField[][]>;
	readonly leaders: ReadonlySet<string>;
}

/** The queries of one poll, counted, each over the poll's range and ingestion window. */
class PollQueries {
	queries = 0;
	rowsReceived = 0;
	/** Records the parts' rows stand for, those the reader refuses included. */
	records = 0;
	readonly cut: string[] = [];

	constructor(private readonly options: AggregatePollOptions) {}

	async run(
		planned: PlannedQuery,
		ingested = this.options.ingested,
		range = this.options.range,
	): Promise<ResultField[][]> {
		const rows = await this.ask(planned, ingested, range, () => {
			this.cut.push(planned.name);
		});
		this.rowsReceived += rows.length;
		if (!rows.every(row => row.some(({field}) => field === RECORDS))) {
			throw new NoAggregation(this.options.endpoint);
		}

		return rows;
	}

	/** One query of the poll, counted, over what `ingested` covers: its rows, whatever they hold. */
	private async ask(
		planned: PlannedQuery,
		ingested = this.options.ingested,
		range = this.options.range,
		overflowed?: () => void,
	): Promise<ResultField[][]> {
		const {runner, signal, retrying} = this.options;
		this.queries++;
		return results(
			runner,
			range,
			ingested ? ingestedInWindow(planned, ingested) : planned,
			signal,
			retrying,
			overflowed,
		);
	}

	/** A part of the records: rows each of which stands for its `records`. */
	async part(planned: PlannedQuery): Promise<ResultField[][]> {
		const rows = await this.run(planned);
		for (const row of rows) {
			this.records += Number(fieldsOf(row).get(RECORDS)) || 0;
		}

		return rows;
	}

	/** How late the records read reach CloudWatch, asked only of a poll by ingestion time (one row, not a part). */
	async largestDelay(): Promise<number | undefined> {
		if (!this.options.ingested) {
			return undefined;
		}

		const rows = await this.ask(delayQuery());
		const delay = rows.length === 1 ? Number(fieldsOf(rows[0]!).get(LARGEST_DELAY)) : Number.NaN;
		return Number.isFinite(delay) ? delay : undefined;
	}

	/** The window's messages that are no record of the format (unreadQuery), and one of them where there are any. */
	async unread(): Promise<Unread> {
		const {fields} = this.options;
		const [row] = await this.ask(unreadQuery(fields));
		const messages = row ? Number(fieldsOf(row).get(RECORDS)) || 0 : 0;
		if (messages === 0) {
			return {messages, sample: undefined};
		}

		const [sample] = await this.ask(unreadSampleQuery(fields));
		return {messages, sample: sample && fieldsOf(sample).get('@message')};
	}

	/**
	 * The interfaces that may be NAT gateways: as the records say (gatewaysQuery, where the format can
	 * say), and as the VPC's configuration does.
	 */
	async gateways(): Promise<string[]> {
		const planned = gatewaysQuery(this.options.fields);
		const [seen, known] = await Promise.all([
			planned ? this.interfacesOf(await this.run(planned)) : (this.options.forwarders ?? this.forwarding()),
			this.options.knownGateways ?? [],
		]);
		return [...new Set([...seen, ...known])].sort();
	}

	/**
	 * Where no field says which interfaces translate: those that forwarded, by forwardingQueries, at
	 * least as many requests as the diagnosis needs to call an interface a NAT gateway (counted
	 * there more strictly), so that none it could call one is missed.
	 */
	async forwarding(): Promise<string[]> {
		const {fields} = this.options;
		const {fromInside, toOutside} = forwardingQueries(fields);
		const [inside, outside] = await Promise.all([this.run(fromInside), this.run(toOutside)]);
		const service = (values: ReadonlyMap<string, string>) =>
			`${values.get(fields.eni)} ${values.get(fields.protocol)} ${values.get(fields.dstPort)}`;
		const onward = new Set(outside.map(row => service(fieldsOf(row))));
		const forwarded = new Map<string, number>();
		for (const row of inside) {
			const values = fieldsOf(row);
			const eni = values.get(fields.eni);
			if (eni !== undefined && eni !== '-' && onward.has(service(values))) {
				forwarded.set(eni, (forwarded.get(eni) ?? 0) + (Number(values.get(RECORDS)) || 0));
			}
		}

		return [...forwarded].filter(([, records]) => records >= MIN_FORWARDED_RECORDS).map(([eni]) => eni);
	}

	private interfacesOf(rows: readonly ResultField[][]): string[] {
		return rows
			.map(row => fieldsOf(row).get(this.options.fields.eni))
			.filter((eni): eni is string => eni !== undefined && eni !== '-');
	}

	window(
		rows: AggregatedRecords[],
		kept: Kept,
		unkept: number,
		largestDelay: number | undefined,
		unread?: Unread,
	): AggregateWindow {
		const {queries, rowsReceived, cut, records} = this;
		return {
			rows,
			records,
			queries,
			rowsReceived,
			cut,
			unkept,
			kept: kept.addresses,
			gateways: kept.gateways,
			largestDelay,
			...(unread ? {unread} : {}),
		};
	}
}

function addressesOf(fields: AggregateFields, row: readonly ResultField[]): string[] {
	const values = fieldsOf(row);
	return [values.get(fields.src), values.get(fields.dst)].filter(
		(address): address is string => address !== undefined && address !== '-',
	);
}

/** Addresses at either end of the refused records among `rows` (the detail part's). */
function refusedAddresses(fields: AggregateFields, rows: readonly ResultField[][]): string[] {
	return rows.filter(row => fieldsOf(row).get(fields.action) === 'REJECT').flatMap(row => addressesOf(fields, row));
}

async function rank(queries: PollQueries, options: AggregatePollOptions): Promise<Ranking> {
	const {fields, top} = options;
	const rows = await Promise.all(topQueries(fields, top).map(async query => queries.run(query)));
	// The rows past `top` are there for ties, which the service orders as it likes: they lead nothing.
	const leaders = new Set(rows.flatMap(list => list.slice(0, top).flatMap(row => addressesOf(fields, row))));
	return {rows, leaders};
}

/** The window's top lists over what `options.ingested` covers: what says whether the addresses kept still hold every leader. */
export async function rankWindow(options: AggregatePollOptions): Promise<Ranking> {
	return rank(new PollQueries(options), options);
}

/**
 * The interfaces that forwarded as a NAT gateway does over what `options.ingested` covers, where
 * no field says which translate (none where one does: every poll asks that of what is new).
 * Forwarding adds up over the window where a poll of what is new sees only its own few records.
 */
export async function forwardersOfWindow(options: AggregatePollOptions): Promise<string[]> {
	return gatewaysQuery(options.fields) ? [] : new PollQueries(options).forwarding();
}

/**
 * One aggregate poll of the whole window: the top lists (unless `ranked` brings them) and the
 * refused records first, then the accepted records in parts by what those said to keep
 * (aggregate-plan.ts says why that is exact). The store takes its rows in place of what it held.
 */
export async function pollAggregateWindow(options: AggregatePollOptions, ranked?: Ranking): Promise<AggregateWindow> {
	const {fields} = options;
	const reader = new AggregateRowReader(fields.grouped, options.stats);
	const queries = new PollQueries(options);
	// As many at once as the runner lets run (query-runner.ts): a few, well under the account's limit.
	const [ranking, detailRows, loginRows, largestDelay, gateways, unread] = await Promise.all([
		ranked ?? rank(queries, options),
		queries.part(detailQuery(fields)),
		queries.part(loginQuery(fields)),
		queries.largestDelay(),
		queries.gateways(),
		queries.unread(),
	]);
	const out: AggregatedRecords[] = [];
	reader.read(detailRows, out);
	reader.read(loginRows, out);

	// The top lists' addresses first, rank by rank across the lists, then those of refused records;
	// as the service writes them, for the queries to name them so.
	const kept = new Set<string>();
	const deepest = Math.max(0, ...ranking.rows.map(rows => rows.length));
	// Stryker disable next-line EqualityOperator: one rank past the deepest list finds no row in any list
	for (let position = 0; position < deepest; position++) {
		for (const rows of ranking.rows) {
			const row = rows[position];
			for (const address of row ? addressesOf(fields, row) : []) {
				kept.add(address);
			}
		}
	}

	for (const address of refusedAddresses(fields, detailRows)) {
		kept.add(address);
	}

	const names = [...kept].slice(0, MAX_KEPT);
	const restRows = await Promise.all(
		restQueries(fields, names, options.focus, gateways).map(async planned => queries.part(planned)),
	);
	for (const rows of restRows) {
		reader.read(rows, out);
	}

	return queries.window(out, {addresses: names, gateways}, kept.size - names.length, largestDelay, unread);
}

/** What a poll of the whole window kept by name, which a poll of only the new records keeps too. */
export interface Kept {
	readonly addresses: readonly string[];
	readonly gateways: readonly string[];
}

/**
 * A poll of only what reached CloudWatch in `options.ingested`, after a poll of the whole window:
 * its rows add to the store's sums, the addresses and interfaces kept by name staying those of the
 * whole window's poll. Each address newly refused is kept from now on. When earlier polls folded
 * what would now be kept, sums added from here would not be exact, and the result says why the
 * whole window has to be read again instead: an address newly refused had accepted records (a
 * count over them says so), or an interface now looks like a NAT gateway.
 */
export async function pollAggregateNew(
	options: AggregatePollOptions & {readonly ingested: IngestionWindow},
	kept: Kept,
	/** The whole window's @timestamp range, where earlier polls' records lie (options.range reaches back a lateness horizon). */
	window: TimeRange,
): Promise<AggregateWindow | string> {
	const {fields, ingested} = options;
	const reader = new AggregateRowReader(fields.grouped, options.stats);
	const queries = new PollQueries(options);
	const [detailRows, loginRows, largestDelay, gateways] = await Promise.all([
		queries.part(detailQuery(fields)),
		queries.part(loginQuery(fields)),
		queries.largestDelay(),
		queries.gateways(),
	]);
	const newGateways = gateways.filter(eni => !kept.gateways.includes(eni));
	if (newGateways.length > 0) {
		return `${newGateways.join(', ')} is now seen to be a NAT gateway (its records translate addresses, or the VPC's configuration says so): the addresses of its accepted records are kept by name`;
	}

	const known = new Set(kept.addresses);
	const refused = [...new Set(refusedAddresses(fields, detailRows))].filter(address => !known.has(address));
	const room = Math.max(0, MAX_KEPT - kept.addresses.length);
	const added = refused.slice(0, room);
	if (added.length > 0) {
		const before = await queries.run(acceptedOfQuery(fields, added), {after: 0, upTo: ingested.after}, window);
		if (before.some(row => Number(fieldsOf(row).get(RECORDS)) > 0)) {
			return 'a newly refused address had accepted records the sums had folded';
		}
	}

	const out: AggregatedRecords[] = [];
	reader.read(detailRows, out);
	reader.read(loginRows, out);
	const names = [...kept.addresses, ...added];
	const restRows = await Promise.all(
		restQueries(fields, names, options.focus, kept.gateways).map(async planned => queries.part(planned)),
	);
	for (const rows of restRows) {
		reader.read(rows, out);
	}

	return queries.window(out, {addresses: names, gateways: kept.gateways}, refused.length - added.length, largestDelay);
}
