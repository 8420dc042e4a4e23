import {SumTable} from './sum-table.js';

/**
 * The address pairs that can make a top list, summed exactly, without a sum for every pair: a
 * million conversations are half a million pairs, and a table of them all was the largest cost of
 * the views. Each pair falls in one of many partitions by a hash of its addresses; a partition's sum
 * is at least that of any pair in it. The pairs of the heaviest partitions, summed exactly, say how
 * much the last pair of the list has at least; a partition whose sum falls short of that holds no
 * pair that makes the list or ties with its last, so only the rows of the others are summed.
 */

// About a partition per two rows, so that a partition's sum stays close to its heaviest pair's,
// up to 2^18 (2 MB of sums: two pairs in each for the 505,532 pairs of the bench file). A view of a
// few rows, redrawn several times a second, allocates a few partitions, not megabytes.
const MIN_PARTITION_BITS = 4;
const MAX_PARTITION_BITS = 18;
// Partitions summed to find how much the list's last pair has at least: several per row wanted,
// as a heavy partition may owe its sum to many light pairs.
const FIRST_PARTITIONS_PER_ROW = 4;
// Past this many, the nth largest partition is found by sorting them all rather than keeping a list.
const SHORT_LIST = 64;

/** The partition of a pair among 2^bits. */
export function partitionOf(src: number, dst: number, bits: number): number {
	let hash = Math.imul(src ^ 0x27_d4_eb_2d, 0x9e_37_79_b1);
	hash = Math.imul(hash ^ dst ^ (hash >>> 15), 0x85_eb_ca_77);
	return (hash ^ (hash >>> 16)) >>> (32 - bits);
}

/** The `n`th largest of `values` (the smallest when there are fewer). */
function nthLargest(values: Float64Array, n: number): number {
	if (n > SHORT_LIST) {
		return values.slice().sort()[Math.max(0, values.length - n)]!;
	}

	// The largest so far in a short sorted list: most values fall below its last, one comparison each.
	const largest: number[] = [];
	for (const value of values) {
		if (largest.length === n && value <= largest[n - 1]!) {
			continue;
		}

		let at = largest.length;
		while (at > 0 && largest[at - 1]! < value) {
			at--;
		}

		largest.splice(at, 0, value);
		if (largest.length > n) {
			largest.pop();
		}
	}

	return largest.at(-1)!;
}

/** Visits the sums of every row to count (src, dst, bytes, packets, flows), in the same order each time. */
export type PairRows = (
	visit: (src: number, dst: number, bytes: number, packets: number, flows: number) => void,
) => void;

export class HeaviestPairs {
	private readonly sums: Float64Array;

	/** 2^bits partitions. */
	constructor(private readonly bits: number) {
		this.sums = new Float64Array(2 ** bits);
	}

	/** Partitions enough for `rows` rows to add(). */
	static forRows(rows: number): HeaviestPairs {
		let bits = MIN_PARTITION_BITS;
		while (bits < MAX_PARTITION_BITS && 2 ** bits < rows / 2) {
			bits++;
		}

		return new HeaviestPairs(bits);
	}

	/** Count a row's metric (what the list ranks by) toward its pair's partition. */
	add(src: number, dst: number, value: number): void {
		this.sums[partitionOf(src, dst, this.bits)]! += value;
	}

	/**
	 * The pairs that may be among the best `limit` by the metric `column` reads, with their exact
	 * sums: `rows` visits the rows add() counted again. `everything` sums every pair (when sums from
	 * elsewhere, such as a spill, are added to the table's afterwards).
	 */
	exact(limit: number, column: (table: SumTable) => Float64Array, rows: PairRows, everything: boolean): SumTable {
		// A list that long would take every partition: every pair is summed at once.
		if (everything || limit * FIRST_PARTITIONS_PER_ROW >= this.sums.length) {
			return this.sumOver(() => true, rows);
		}

		if (limit <= 0) {
			return new SumTable();
		}

		const {sums} = this;
		const heaviest = nthLargest(sums, limit * FIRST_PARTITIONS_PER_ROW);
		const sample = this.sumOver(at => sums[at]! >= heaviest, rows);
		const values = column(sample);
		const best = sample.top(values, limit, (x, y) => x - y);
		// Fewer pairs in those partitions than the list holds: no bound, every pair is summed.
		const least = best.length < limit ? Number.NEGATIVE_INFINITY : values[best.at(-1)!]!;
		return this.sumOver(at => sums[at]! >= least, rows);
	}

	private sumOver(wanted: (partition: number) => boolean, rows: PairRows): SumTable {
		const table = new SumTable();
		const {bits} = this;
		const included = new Uint8Array(this.sums.length);
		for (let at = 0; at < included.length; at++) {
			included[at] = wanted(at) ? 1 : 0;
		}

		rows((src, dst, bytes, packets, flows) => {
			if (included[partitionOf(src, dst, bits)] === 1) {
				table.add(table.row(src, dst), bytes, packets, flows);
			}
		});
		return table;
	}
}
