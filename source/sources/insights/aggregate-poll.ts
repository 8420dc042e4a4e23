import type {ResultField} from '@aws-sdk/client-cloudwatch-logs';
import type {ParseStats} from '../../flowlog/decoder.js';
import type {AggregatedRecords} from '../../engine/store.js';
import {
	type AggregateFields,
	countQuery,
	detailQuery,
	loginQuery,
	MAX_KEPT,
	type PlannedQuery,
	RECORDS,
	restQueries,
	topQueries,
} from './aggregate-plan.js';
import {AggregateRowReader, fieldsOf} from './aggregate-rows.js';
import {Problem} from './problem.js';
import type {QueryRunner, RunHooks, TimeRange} from './query-runner.js';

/** What one aggregate poll read: the whole window, as rows the store takes in place of what it held. */
export interface AggregateWindow {
	readonly rows: AggregatedRecords[];
	/** Records the rows stand for. */
	readonly records: number;
	readonly queries: number;
	/** Rows that came back, over every query. */
	readonly rowsReceived: number;
	/** Queries whose rows reached their limit: what the store holds of those parts is incomplete. */
	readonly cut: readonly string[];
	/** Addresses that would have been kept by name but did not fit in a query. */
	readonly unkept: number;
}

/** Queries in flight at once: well under the account's limit, which people and dashboards share. */
const IN_FLIGHT = 3;

/** Thrown when an endpoint answers a `stats` query with rows that are not its groups (moto does). */
export class NoAggregation extends Problem {
	constructor(endpoint: string) {
		super(
			'query-refused',
			`${endpoint} answered a Logs Insights stats query without aggregating (moto answers fields, sort and limit only)`,
		);
	}
}

async function eachLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			results[index] = await work(items[index]!);
		}
	};

	await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
	return results;
}

/** How many records `range` holds, counted by the service; NoAggregation from an endpoint that does not count. */
export async function countRecords(options: {
	readonly runner: QueryRunner;
	readonly range: TimeRange;
	readonly endpoint: string;
	readonly signal: AbortSignal;
	readonly retrying: RunHooks['retrying'];
}): Promise<number> {
	const {query, limit} = countQuery();
	const {rows} = await options.runner.stats(options.range, query, limit, options.signal, options.retrying);
	const count = rows.length === 0 ? 0 : Number(fieldsOf(rows[0]!).get(RECORDS));
	if (rows.length > 1 || !Number.isSafeInteger(count)) {
		throw new NoAggregation(options.endpoint);
	}

	return count;
}

/**
 * One aggregate poll over `range`, the whole window: the top lists and the refused records first,
 * then the accepted records in parts by what the first queries said to keep (aggregate-plan.ts
 * says why that is exact).
 */
export async function pollAggregateWindow(options: {
	readonly runner: QueryRunner;
	readonly range: TimeRange;
	readonly fields: AggregateFields;
	readonly stats: ParseStats;
	readonly top: number;
	readonly endpoint: string;
	readonly signal: AbortSignal;
	readonly retrying: RunHooks['retrying'];
}): Promise<AggregateWindow> {
	const {runner, range, fields, top, signal, retrying} = options;
	const reader = new AggregateRowReader(fields.grouped, options.stats);
	const cut: string[] = [];
	let queries = 0;
	let rowsReceived = 0;
	const run = async (planned: PlannedQuery): Promise<ResultField[][]> => {
		queries++;
		const {rows, full} = await runner.stats(range, planned.query, planned.limit, signal, retrying);
		rowsReceived += rows.length;
		if (rows.length > 0 && !rows.every(row => row.some(({field}) => field === RECORDS))) {
			throw new NoAggregation(options.endpoint);
		}

		if (full && !planned.ranked) {
			cut.push(planned.name);
		}

		return rows;
	};

	const tops = topQueries(fields, top);
	const [detailRows, loginRows, ...topRows] = await eachLimited(
		[detailQuery(fields), loginQuery(fields), ...tops],
		IN_FLIGHT,
		run,
	);
	const out: AggregatedRecords[] = [];
	reader.read(detailRows!, out);
	reader.read(loginRows!, out);

	// The top lists' addresses first, rank by rank across the lists, then those of refused records;
	// as the service writes them, for the queries to name them so.
	const kept = new Set<string>();
	const addressesOf = (row: readonly ResultField[]) => {
		const values = fieldsOf(row);
		return [values.get(fields.src), values.get(fields.dst)].filter(address => address !== undefined && address !== '-');
	};
	const deepest = Math.max(0, ...topRows.map(rows => rows.length));
	for (let rank = 0; rank < deepest; rank++) {
		for (const rows of topRows) {
			const row = rows[rank];
			for (const address of row ? addressesOf(row) : []) {
				kept.add(address!);
			}
		}
	}

	for (const row of detailRows!) {
		if (fieldsOf(row).get(fields.action) === 'REJECT') {
			for (const address of addressesOf(row)) {
				kept.add(address!);
			}
		}
	}

	const names = [...kept].slice(0, MAX_KEPT);
	const restRows = await eachLimited(restQueries(fields, names), IN_FLIGHT, run);
	for (const rows of restRows) {
		reader.read(rows, out);
	}

	let records = 0;
	for (const row of out) {
		records += row.records;
	}

	return {rows: out, records, queries, rowsReceived, cut, unkept: kept.size - names.length};
}
