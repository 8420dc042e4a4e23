/**
 * How long after its @ingestionTime a record can still be missing from query results: the margin
 * each poll leaves behind now, `(previous, now - margin]`, so that what it asks for is searchable.
 *
 * It is measured, not guessed: when a re-check of a closed window finds records the poll of that
 * window did not, each of them was still unsearchable `poll time - @ingestionTime` after it was
 * ingested. The margin covers the largest such lag seen lately, with room; while re-checks find
 * nothing it shrinks back to the floor.
 */

const SECOND = 1000;
/** CloudWatch makes records searchable within seconds of ingestion; under this nothing is gained. */
export const MARGIN_FLOOR_MS = 10 * SECOND;
/** A lag longer than this is a service problem, and the re-checks still catch what it hides. */
export const MARGIN_CEILING_MS = 5 * 60 * SECOND;
/** Before any re-check has spoken: a few times the lag CloudWatch usually shows. */
export const INITIAL_MARGIN_MS = 30 * SECOND;
/** Room over the largest lag seen. */
const MARGIN_FACTOR = 1.5;
/** How long a miss keeps the margin wide: a slow spell tends to last. */
const MEMORY_MS = 30 * 60 * SECOND;

interface Miss {
	readonly at: number;
	readonly lag: number;
}

export class SearchableMargin {
	private readonly misses: Miss[] = [];
	private margin = INITIAL_MARGIN_MS;

	get marginMs(): number {
		return this.margin;
	}

	/** The largest lag measured lately; undefined when no re-check found a record late. */
	get lagMs(): number | undefined {
		return this.misses.length === 0 ? undefined : Math.max(...this.misses.map(miss => miss.lag));
	}

	/** A re-check at `now` found records later than their poll by these lags (none: the margin held). */
	rechecked(now: number, lags: readonly number[]): void {
		while (this.misses.length > 0 && this.misses[0]!.at < now - MEMORY_MS) {
			this.misses.shift();
		}

		for (const lag of lags) {
			this.misses.push({at: now, lag: Math.max(0, lag)});
		}

		const lag = this.lagMs;
		this.margin = clamp(lag === undefined ? MARGIN_FLOOR_MS : lag * MARGIN_FACTOR);
	}
}

function clamp(margin: number): number {
	return Math.min(MARGIN_CEILING_MS, Math.max(MARGIN_FLOOR_MS, Math.ceil(margin / SECOND) * SECOND));
}
