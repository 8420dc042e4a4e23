import {grownColumn, type Column} from './conversation-table.js';

/**
 * Running sums keyed by up to three small integers (interned ids, ports, protocol numbers), in
 * typed-array columns under an open-addressing hash: the views sum hundreds of thousands of
 * conversations per frame, and an object per key would cost more than the sums themselves.
 */

const EMPTY = 0;

function hash(a: number, b: number, c: number): number {
	let h = Math.imul(a ^ 0x27_d4_eb_2d, 0x9e_37_79_b1);
	h = Math.imul(h ^ b ^ (h >>> 15), 0x85_eb_ca_77);
	h = Math.imul(h ^ c ^ (h >>> 13), 0xc2_b2_ae_3d);
	return h ^ (h >>> 16);
}

export class SumTable {
	size = 0;
	a: Int32Array;
	b: Int32Array;
	c: Int32Array;
	bytes: Float64Array;
	packets: Float64Array;
	flows: Float64Array;
	/** Flows of REJECT records, where a view wants both. */
	rejects: Float64Array;
	/** Latest `last` seen, Unix seconds. */
	last: Float64Array;
	private slots: Int32Array;

	constructor(capacity = 256) {
		this.a = new Int32Array(capacity);
		this.b = new Int32Array(capacity);
		this.c = new Int32Array(capacity);
		this.bytes = new Float64Array(capacity);
		this.packets = new Float64Array(capacity);
		this.flows = new Float64Array(capacity);
		this.rejects = new Float64Array(capacity);
		this.last = new Float64Array(capacity);
		this.slots = new Int32Array(capacity * 2);
	}

	/** The row for key (a, b, c), made when new. */
	row(a: number, b = -1, c = -1): number {
		const mask = this.slots.length - 1;
		let slot = hash(a, b, c) & mask;
		for (;;) {
			const stored = this.slots[slot]!;
			if (stored === EMPTY) {
				break;
			}

			const row = stored - 1;
			if (this.a[row] === a && this.b[row] === b && this.c[row] === c) {
				return row;
			}

			slot = (slot + 1) & mask;
		}

		if (this.size === this.a.length) {
			this.grow();
			return this.row(a, b, c);
		}

		const row = this.size++;
		this.a[row] = a;
		this.b[row] = b;
		this.c[row] = c;
		this.slots[slot] = row + 1;
		return row;
	}

	add(row: number, bytes: number, packets: number, flows: number): void {
		this.bytes[row]! += bytes;
		this.packets[row]! += packets;
		this.flows[row]! += flows;
	}

	/**
	 * Rows with the largest `column`, best first, keeping every row tied with the last one so a
	 * caller can order ties by name; a bounded heap, not a sort of every row.
	 */
	top(column: Float64Array, limit: number): number[] {
		if (limit <= 0 || this.size === 0) {
			return [];
		}

		// Min-heap of row numbers by column value: its root is the smallest of the best so far.
		const heap: number[] = [];
		const less = (x: number, y: number) => column[x]! < column[y]!;
		const down = (index: number) => {
			for (;;) {
				const left = 2 * index + 1;
				const right = left + 1;
				let smallest = index;
				if (left < heap.length && less(heap[left]!, heap[smallest]!)) {
					smallest = left;
				}

				if (right < heap.length && less(heap[right]!, heap[smallest]!)) {
					smallest = right;
				}

				if (smallest === index) {
					return;
				}

				[heap[index], heap[smallest]] = [heap[smallest]!, heap[index]!];
				index = smallest;
			}
		};

		const up = (index: number) => {
			while (index > 0) {
				const parent = (index - 1) >> 1;
				if (!less(heap[index]!, heap[parent]!)) {
					return;
				}

				[heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
				index = parent;
			}
		};

		for (let row = 0; row < this.size; row++) {
			if (heap.length < limit) {
				heap.push(row);
				up(heap.length - 1);
			} else if (column[row]! > column[heap[0]!]!) {
				heap[0] = row;
				down(0);
			}
		}

		const cut = column[heap[0]!]!;
		const chosen = new Set(heap);
		for (let row = 0; row < this.size; row++) {
			if (column[row] === cut && !chosen.has(row)) {
				chosen.add(row);
			}
		}

		return [...chosen].sort((x, y) => column[y]! - column[x]!);
	}

	private grow(): void {
		const capacity = this.a.length * 2;
		const grown = <T extends Column>(column: T) => grownColumn(column, capacity);

		this.a = grown(this.a);
		this.b = grown(this.b);
		this.c = grown(this.c);
		this.bytes = grown(this.bytes);
		this.packets = grown(this.packets);
		this.flows = grown(this.flows);
		this.rejects = grown(this.rejects);
		this.last = grown(this.last);
		this.slots = new Int32Array(capacity * 2);
		const mask = this.slots.length - 1;
		for (let row = 0; row < this.size; row++) {
			let slot = hash(this.a[row]!, this.b[row]!, this.c[row]!) & mask;
			while (this.slots[slot] !== EMPTY) {
				slot = (slot + 1) & mask;
			}

			this.slots[slot] = row + 1;
		}
	}
}
