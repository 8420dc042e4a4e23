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
	/** Parts a second of which held more rows than a query returns: what the store holds of them is incomplete. */
	readonly cut: readonly string[];
	/** Addresses that would have been kept by name but did not fit in a query. */
	readonly unkept: number;
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

/** How many records `range` holds, counted by the service; NoAggregation from an endpoint that does not count. */
export async function countRecords(options: {
	readonly runner: QueryRunner;
	readonly range: TimeRange;
	readonly endpoint: string;
	readonly signal: AbortSignal;
	readonly retrying: RunHooks['retrying'];
}): Promise<number> {
	const rows = await results(options.runner, options.range, countQuery(), options.signal, options.retrying);
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
		const rows = await results(runner, range, planned, signal, retrying, () => {
			cut.push(planned.name);
		});
		rowsReceived += rows.length;
		if (!rows.every(row => row.some(({field}) => field === RECORDS))) {
			throw new NoAggregation(options.endpoint);
		}

		return rows;
	};

	const tops = topQueries(fields, top);
	// As many at once as the runner lets run (query-runner.ts): a few, well under the account's limit.
	const [detailRows, loginRows, ...topRows] = await Promise.all(
		[detailQuery(fields), loginQuery(fields), ...tops].map(async planned => run(planned)),
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
	// Stryker disable next-line EqualityOperator: one rank past the deepest list finds no row in any list
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
	const restRows = await Promise.all(restQueries(fields, names).map(async planned => run(planned)));
	for (const rows of restRows) {
		reader.read(rows, out);
	}

	let records = 0;
	for (const row of out) {
		records += row.records;
	}

	return {rows: out, records, queries, rowsReceived, cut, unkept: kept.size - names.length};
}
