const BUCKET_MS = 60_000;

/**
 * The key (@ptr and message hash) of every record already taken in, so a poll that re-covers the lateness horizon counts
 * each record once. Kept by minute of @timestamp, so forgetting the past drops whole minutes at a
 * time and memory holds the horizon, not the session.
 */
export class SeenRecords {
	private readonly buckets = new Map<number, Set<string>>();
	private forgotten = Number.NEGATIVE_INFINITY;

	/** Records stamped before this (milliseconds) are no longer remembered: no poll may reach back past it. */
	get watermark(): number {
		return this.forgotten;
	}

	get size(): number {
		let size = 0;
		for (const bucket of this.buckets.values()) {
			size += bucket.size;
		}

		return size;
	}

	/** Whether a record was taken in; one whose @timestamp could not be read is looked for in every minute. */
	has(key: string, timestamp: number | undefined): boolean {
		if (timestamp === undefined) {
			return [...this.buckets.values()].some(bucket => bucket.has(key));
		}

		return this.buckets.get(Math.floor(timestamp / BUCKET_MS))?.has(key) ?? false;
	}

	/** Remember a record; one stamped before the watermark is not kept (nothing reaches back there). */
	add(key: string, timestamp: number): void {
		if (timestamp < this.forgotten) {
			return;
		}

		const minute = Math.floor(timestamp / BUCKET_MS);
		let bucket = this.buckets.get(minute);
		if (!bucket) {
			bucket = new Set();
			this.buckets.set(minute, bucket);
		}

		bucket.add(key);
	}

	/**
	 * Forget records stamped before `time` (rounded down to a whole minute, which is kept); returns
	 * the new watermark. It never moves back.
	 */
	forgetBefore(time: number): number {
		const keep = Math.floor(time / BUCKET_MS);
		// Stryker disable next-line EqualityOperator: forgetting up to the watermark again forgets nothing and leaves it where it is
		if (keep * BUCKET_MS <= this.forgotten) {
			return this.forgotten;
		}

		for (const key of this.buckets.keys()) {
			if (key < keep) {
				this.buckets.delete(key);
			}
		}

		this.forgotten = keep * BUCKET_MS;
		return this.forgotten;
	}
}
