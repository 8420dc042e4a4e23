import {grownColumn} from './conversation-table.js';

/**
 * Running sums keyed by byte strings (the keys of FoldedSpill's records, read back from disk), all
 * in typed arrays: a key is its bytes in one arena, its sums `values` doubles in one column, under
 * an open-addressing hash. Reading millions of spilled records this way makes no object per key,
 * which the garbage collector would otherwise keep around by the hundreds of megabytes. `clear()`
 * keeps the memory for the next partition.
 */

function hashBytes(data: Uint8Array, start: number, end: number): number {
	let hash = 0x81_1c_9d_c5;
	for (let at = start; at < end; at++) {
		hash = Math.imul(hash ^ data[at]!, 0x01_00_01_93);
	}

	return hash ^ (hash >>> 15);
}

export class ByteKeySums {
	size = 0;
	/** `values` doubles per entry, entry by entry. */
	sums: Float64Array;
	/** The keys' bytes, one after another: entry e's from keyStart[e] to keyStart[e + 1]. */
	arena: Buffer;
	keyStart: Int32Array;
	private used = 0;
	private slots: Int32Array;

	constructor(private readonly values: number) {
		this.sums = new Float64Array(values * 1024);
		this.arena = Buffer.allocUnsafe(1 << 16);
		this.keyStart = new Int32Array(1025);
		this.slots = new Int32Array(2048);
	}

	clear(): void {
		this.size = 0;
		this.used = 0;
		this.slots.fill(0);
	}

	/** The entry for the key data[start, end), made with sums of 0 when new. */
	entry(data: Buffer, start: number, end: number): number {
		const mask = this.slots.length - 1;
		let slot = hashBytes(data, start, end) & mask;
		for (;;) {
			const stored = this.slots[slot]!;
			if (stored === 0) {
				break;
			}

			const entry = stored - 1;
			const from = this.keyStart[entry]!;
			const to = this.keyStart[entry + 1]!;
			if (to - from === end - start && data.compare(this.arena, from, to, start, end) === 0) {
				return entry;
			}

			slot = (slot + 1) & mask;
		}

		const entry = this.size++;
		this.room(end - start);
		data.copy(this.arena, this.used, start, end);
		this.used += end - start;
		this.keyStart[entry + 1] = this.used;
		this.sums.fill(0, entry * this.values, (entry + 1) * this.values);
		this.slots[slot] = entry + 1;
		if (this.size * 2 > this.slots.length) {
			this.rehash();
		}

		return entry;
	}

	/** Room for one more entry whose key is `length` bytes. */
	private room(length: number): void {
		if (this.size * this.values > this.sums.length) {
			this.sums = grownColumn(this.sums, this.sums.length * 2);
			this.keyStart = grownColumn(this.keyStart, this.keyStart.length * 2 - 1);
		}

		if (this.used + length > this.arena.length) {
			const arena = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + length));
			this.arena.copy(arena, 0, 0, this.used);
			this.arena = arena;
		}

		this.keyStart[this.size - 1] = this.used;
	}

	private rehash(): void {
		this.slots = new Int32Array(this.slots.length * 2);
		const mask = this.slots.length - 1;
		for (let entry = 0; entry < this.size; entry++) {
			let slot = hashBytes(this.arena, this.keyStart[entry]!, this.keyStart[entry + 1]!) & mask;
			while (this.slots[slot] !== 0) {
				slot = (slot + 1) & mask;
			}

			this.slots[slot] = entry + 1;
		}
	}
}
