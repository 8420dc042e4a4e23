import type {QueryStatistics} from '@aws-sdk/client-cloudwatch-logs';
import type {QueryCost} from '../source.js';

/**
 * Running totals of what the queries scanned, as GetQueryResults reports it. Insights bills bytes
 * scanned, including those of queries that were stopped part-way or ended Failed, so every query's
 * last statistics count, not only those of queries that completed.
 */
export class CostMeter {
	private cost: QueryCost = {queries: 0, bytesScanned: 0, recordsScanned: 0, recordsMatched: 0, bytesReceived: 0};
	private watcher: ((cost: QueryCost) => void) | undefined;

	get totals(): QueryCost {
		return this.cost;
	}

	/**
	 * Told the totals each time a query ends or records are taken in: the status bar's bytes scanned
	 * move through a poll of twenty queries, rather than once at its end, and show it is not stuck.
	 */
	watch(watcher: (cost: QueryCost) => void): void {
		this.watcher = watcher;
	}

	/** One query ended (whatever its status) having scanned this much. */
	query(statistics: QueryStatistics | undefined): void {
		this.cost = {
			...this.cost,
			queries: this.cost.queries + 1,
			bytesScanned: this.cost.bytesScanned + (statistics?.bytesScanned ?? 0),
			recordsScanned: this.cost.recordsScanned + (statistics?.recordsScanned ?? 0),
			recordsMatched: this.cost.recordsMatched + (statistics?.recordsMatched ?? 0),
		};
		this.watcher?.(this.cost);
	}

	/** Bytes of records taken in for the first time: what the scanning bought. */
	received(bytes: number): void {
		this.cost = {...this.cost, bytesReceived: this.cost.bytesReceived + bytes};
		this.watcher?.(this.cost);
	}
}
