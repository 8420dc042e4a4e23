/** Slots a table starts with; a power of two. */
const INITIAL_SLOTS = 1024;

/**
 * A hash table from a pair of non-negative 32-bit integers to a dense id (0, 1, 2, ... in the
 * order pairs first come), in typed arrays: a `stats` with a million groups looks a pair up for
 * every record, and a Map keyed by `a * 2^k + b` made a heap number of every key.
 */
export class PairTable {
	private firsts = new Int32Array(INITIAL_SLOTS);
	private seconds = new Int32Array(INITIAL_SLOTS);
	/** The id in each slot plus one; 0 is an empty slot. */
	private ids = new Int32Array(INITIAL_SLOTS);
	private count = 0;

	/** The id of the pair, a new one when the pair is new. */
	id(first: number, second: number): number {
		if (2 * (this.count + 1) > this.ids.length) {
			this.grow();
		}

		const mask = this.ids.length - 1;
		let slot = hash(first, second) & mask;
		for (;;) {
			const id = this.ids[slot]!;
			if (id === 0) {
				this.firsts[slot] = first;
				this.seconds[slot] = second;
				this.ids[slot] = ++this.count;
				return this.count - 1;
			}

			if (this.firsts[slot] === first && this.seconds[slot] === second) {
				return id - 1;
			}

			slot = (slot + 1) & mask;
		}
	}

	private grow(): void {
		const {firsts, seconds, ids} = this;
		const size = ids.length * 2;
		this.firsts = new Int32Array(size);
		this.seconds = new Int32Array(size);
		this.ids = new Int32Array(size);
		const mask = size - 1;
		for (let old = 0; old < ids.length; old++) {
			if (ids[old] !== 0) {
				let slot = hash(firsts[old]!, seconds[old]!) & mask;
				while (this.ids[slot] !== 0) {
					slot = (slot + 1) & mask;
				}

				this.firsts[slot] = firsts[old]!;
				this.seconds[slot] = seconds[old]!;
				this.ids[slot] = ids[old]!;
			}
		}
	}
}

function hash(first: number, second: number): number {
	const mixed = Math.imul(first, 0x9e_37_79_b1) ^ Math.imul(second ^ (second >>> 15), 0x85_eb_ca_77);
	return (mixed ^ (mixed >>> 13)) >>> 0;
}
