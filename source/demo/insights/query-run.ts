import {Aggregation} from './aggregate.js';
import type {Query, SortKey} from './ast.js';
import {type ColumnStats, compileColumnStats} from './column-stats.js';
import {Pattern} from './pattern.js';
import {planQuery, type Plan} from './plan.js';
import type {RecordBatch} from './record-batch.js';
import {EventRow, type InsightsEvent, type Row} from './row.js';
import {text} from './value.js';

/** One field of one result row, as GetQueryResults returns it. */
export interface ResultField {
	readonly field: string;
	readonly value: string;
}

/**
 * A query being evaluated over records fed to it one at a time (the endpoint scans in steps, so a
 * running query has partial results). The per-record part of the pipeline runs as records arrive;
 * stats, sort and limit run over what has matched so far each time results are asked for.
 */
export class QueryRun {
	private readonly plan: Plan;
	private readonly rows: Row[] = [];
	/** When the tail starts with stats: the groups so far, so matched rows need not be kept. */
	private readonly aggregation: Aggregation | undefined;
	/** The same over the batches' columns, for a query of the shape column-stats.ts takes. */
	private columns: ColumnStats | undefined;
	/**
	 * What the query computes before its sort and limit, for a query the columns take: two queries
	 * with the same one over the same records have the same groups (flowtop's top lists differ in
	 * their sort only).
	 */
	readonly statsKey: string | undefined;
	/** `stats ... | sort <fields> | limit N`: the sort and limit the columns pick the groups by. */
	private readonly top: {readonly keys: readonly SortKey[]; readonly count: number} | undefined;
	/** Records that made it through every per-record filter: AWS's `recordsMatched`. */
	matched = 0;
	/** The results as last worked out: every page of a running query reads them again until a record matches. */
	private cached: ResultField[][] | undefined;

	/**
	 * `maxRows` caps the results (StartQuery's limit); without a tail no more rows than that are
	 * kept. `rowByRow` runs every query through the rows, as a query column-stats.ts does not take
	 * runs: the reference the columns are measured and tested against.
	 */
	constructor(
		query: Query,
		private readonly maxRows: number,
		options: {readonly rowByRow?: boolean} = {},
	) {
		this.plan = planQuery(query);
		const stats = this.plan.tail[0]?.kind === 'all' ? this.plan.tail[0].stats : undefined;
		this.columns = stats && !options.rowByRow ? compileColumnStats(query) : undefined;
		this.aggregation = stats && !this.columns ? new Aggregation(stats.aggregates, stats.groups) : undefined;
		this.top = this.columns && topOf(query);
		this.statsKey = this.columns && statsKeyOf(query);
	}

	/** Takes the groups of a run with the same statsKey that read the very same records, instead of reading them again. */
	adopt(twin: QueryRun): void {
		this.columns = twin.columns;
		this.matched = twin.matched;
		this.cached = undefined;
	}

	/** The records [from, to) of a batch, in the order the query reads them. */
	addBatch(batch: RecordBatch, from: number, to: number): void {
		if (!this.columns) {
			for (let index = from; index < to; index++) {
				this.add(batch.event(index));
			}

			return;
		}

		const matched = this.columns.add(batch, from, to);
		if (matched > 0) {
			this.matched += matched;
			this.cached = undefined;
		}
	}

	/** A batch read to its end. */
	finished(batch: RecordBatch): void {
		this.columns?.finished(batch);
	}

	/** Every record is in: no more will be added. */
	seal(): void {
		this.columns?.seal();
	}

	private add(event: InsightsEvent): void {
		let row: Row | undefined = new EventRow(event);
		for (const stage of this.plan.perRecord) {
			row = stage.kind === 'row' ? stage.apply(row) : undefined;
			if (!row) {
				return;
			}
		}

		this.matched++;
		this.cached = undefined;
		if (this.aggregation) {
			this.aggregation.add(row);
		} else if (this.plan.tail.length > 0 || this.rows.length < this.maxRows) {
			this.rows.push(row);
		}
	}

	results(): ResultField[][] {
		this.cached ??= this.work();
		return this.cached;
	}

	private work(): ResultField[][] {
		const {columns, top} = this;
		const grouped = columns ?? this.aggregation;
		let rows: readonly Row[] = this.rows;
		let tail = this.plan.tail;
		if (columns && top) {
			rows = columns.top(top.keys, top.count);
			tail = tail.slice(3);
		} else if (grouped) {
			// With stats last, the first maxRows groups are all that is shown.
			rows = grouped.rows(tail.length === 1 ? this.maxRows : Number.POSITIVE_INFINITY);
			tail = tail.slice(1);
		}

		for (const stage of tail) {
			if (stage.kind === 'all') {
				rows = stage.apply(rows);
			} else {
				rows = rows.map(row => stage.apply(row)).filter(row => row !== undefined);
			}
		}

		return rows.slice(0, this.maxRows).map(row => {
			const fields: ResultField[] = [];
			for (const field of this.plan.columns) {
				const value = row.get(field);
				if (value !== undefined) {
					fields.push({field, value: text(value)});
				}
			}

			return fields;
		});
	}
}

/** The sort on fields of the stats rows and the limit right after a stats, if that is how the query goes on. */
function topOf(query: Query): {keys: readonly SortKey[]; count: number} | undefined {
	const at = query.commands.findIndex(command => command.kind === 'stats');
	const [sort, limit] = [query.commands[at + 1], query.commands[at + 2]];
	return sort?.kind === 'sort' && limit?.kind === 'limit' && sort.keys.every(key => key.expression.kind === 'field')
		? {keys: sort.keys, count: limit.count}
		: undefined;
}

/** The commands up to the stats, as text; undefined where one holds a regular expression, which has none. */
function statsKeyOf(query: Query): string | undefined {
	const at = query.commands.findIndex(command => command.kind === 'stats');
	const upToStats = query.commands.slice(0, at + 1);
	let regex = false;
	const key = JSON.stringify(upToStats, (_, value: unknown) => {
		regex ||= value instanceof Pattern;
		return value instanceof Pattern ? null : value;
	});
	return regex ? undefined : key;
}
