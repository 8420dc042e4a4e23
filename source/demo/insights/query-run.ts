import {Aggregation} from './aggregate.js';
import type {Query} from './ast.js';
import {planQuery, type Plan} from './plan.js';
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
	/** Records that made it through every per-record filter: AWS's `recordsMatched`. */
	matched = 0;
	/** The results as last worked out: every page of a running query reads them again until a record matches. */
	private cached: ResultField[][] | undefined;

	/** `maxRows` caps the results (StartQuery's limit); without a tail no more rows than that are kept. */
	constructor(
		query: Query,
		private readonly maxRows: number,
	) {
		this.plan = planQuery(query);
		const stats = this.plan.tail[0]?.kind === 'all' ? this.plan.tail[0].stats : undefined;
		this.aggregation = stats && new Aggregation(stats.aggregates, stats.groups);
	}

	add(event: InsightsEvent): void {
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
		let rows: readonly Row[] = this.aggregation ? this.aggregation.rows() : this.rows;
		for (const stage of this.aggregation ? this.plan.tail.slice(1) : this.plan.tail) {
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
