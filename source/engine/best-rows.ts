/**
 * The best `limit` rows of a stream too long to hold (the sums a store spilled to disk, read one
 * partition at a time): rows are kept until there are twice the limit, then cut back to it, so
 * memory holds at most twice the limit whatever the stream's length.
 */
export class BestRows<R> {
	private rows: R[] = [];
	/** The last of the best after a cut that kept `limit` rows. */
	private worst: R | undefined;

	/** `before` is negative when the first row ranks higher. */
	constructor(
		private readonly limit: number,
		private readonly before: (x: R, y: R) => number,
	) {}

	offer(row: R): void {
		// Past the first cut, a row no better than the last one kept can never be among the best.
		if (this.worst !== undefined && this.before(row, this.worst) >= 0) {
			return;
		}

		this.rows.push(row);
		if (this.rows.length >= 2 * this.limit) {
			this.cut();
		}
	}

	/** The best `limit` of these rows and `others` (a disjoint set, such as the rows a store holds). */
	with(others: readonly R[]): R[] {
		this.rows.push(...others);
		this.cut();
		return this.rows;
	}

	private cut(): void {
		this.rows = this.rows.sort(this.before).slice(0, this.limit);
		this.worst = this.rows.length === this.limit ? this.rows.at(-1) : undefined;
	}
}
