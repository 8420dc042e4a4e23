import type {Bucket} from './store.js';

/**
 * About how many distinct address pairs the buckets hold (conversations and folded sums), counted
 * without keeping them: each pair's hash sets one bit of a bitmap, and the share of bits left unset
 * says how many pairs set them (linear counting, Whang, Vander-Zanden and Taylor, 1990): within a
 * percent, for a pass over the rows and a bitmap of a byte a row (a megabyte at most).
 *
 * The views size their table of pairs by it. Grown by doubling from empty instead, a table of
 * 500,000 pairs leaves as much again in dead columns, freed only when a garbage collection comes
 * (the pass that fills it allocates nothing else to prompt one), and the allocator keeps the memory
 * it took for them to the end of the run: 20-odd MB of the `--once` peak at a million conversations.
 */

// Eight bits a row keep the bitmap at most an eighth full, where the estimate is closest; the cap
// keeps it at a megabyte, still within a percent for the 2.5 million rows the memory bound allows.
const BITS_PER_ROW = 8;
const MIN_BITS = 1 << 10;
const MAX_BITS = 1 << 23;

function pairHash(src: number, dst: number): number {
	let hash = Math.imul(src ^ 0x27_d4_eb_2d, 0x9e_37_79_b1);
	hash = Math.imul(hash ^ dst ^ (hash >>> 15), 0x85_eb_ca_77);
	return hash ^ (hash >>> 13);
}

function bitsSet(word: number): number {
	let bits = word - ((word >>> 1) & 0x55_55_55_55);
	bits = (bits & 0x33_33_33_33) + ((bits >>> 2) & 0x33_33_33_33);
	return (Math.imul((bits + (bits >>> 4)) & 0x0f_0f_0f_0f, 0x01_01_01_01) >>> 24) & 0xff;
}

/** Distinct pairs with both addresses among the buckets' rows and folded sums, estimated; never more than the rows. */
export function distinctPairs(buckets: readonly Bucket[]): number {
	let bits = MIN_BITS;
	const most = buckets.reduce((sum, {table, folded}) => sum + table.size + folded.size, 0);
	while (bits < most * BITS_PER_ROW && bits < MAX_BITS) {
		bits *= 2;
	}

	const words = new Int32Array(bits >>> 5);
	let rows = 0;
	const note = (src: number, dst: number) => {
		if (src >= 0 && dst >= 0) {
			const bit = pairHash(src, dst) & (bits - 1);
			words[bit >>> 5]! |= 1 << (bit & 31);
			rows++;
		}
	};

	for (const {table, folded} of buckets) {
		for (let row = 0; row < table.size; row++) {
			note(table.src[row]!, table.dst[row]!);
		}

		folded.forEach(note);
	}

	let unset = 0;
	for (const word of words) {
		unset += 32 - bitsSet(word);
	}

	if (unset === bits || unset === 0) {
		return rows;
	}

	return Math.min(rows, Math.round(-bits * Math.log(unset / bits)));
}
