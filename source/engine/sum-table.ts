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
	/** Flows of REJECT records, where a view wants both (empty unless asked for). */
	rejects: Float64Array;
	/** Latest `last` seen, Unix seconds (empty unless asked for). */
	last: Float64Array;
	private slots: Int32Array;
	private readonly extras: ReadonlySet<'rejects' | 'last'>;

	/**
	 * `capacity` is a power of two; `extras` names the columns beyond the sums that this table
	 * keeps: a table over millions of keys does without the ones it never reads.
	 */
	constructor(capacity = 256, extras: ReadonlyArray<'rejects' | 'last'> = []) {
		this.extras = new Set(extras);
		this.a = new Int32Array(capacity);
		this.b = new Int32Array(capacity);
		this.c = new Int32Array(capacity);
		this.bytes = new Float64Array(capacity);
		this.packets = new Float64Array(capacity);
		this.flows = new Float64Array(capacity);
		this.rejects = new Float64Array(this.extras.has('rejects') ? capacity : 0);
		this.last = new Float64Array(this.extras.has('last') ? capacity : 0);
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

	/** The row for key (a, b, c), or -1 when there is none. */
	find(a: number, b = -1, c = -1): number {
		const mask = this.slots.length - 1;
		for (let slot = hash(a, b, c) & mask; ; slot = (slot + 1) & mask) {
			const stored = this.slots[slot]!;
			if (stored === EMPTY) {
				return -1;
			}

			const row = stored - 1;
			if (this.a[row] === a && this.b[row] === b && this.c[row] === c) {
				return row;
			}
		}
	}

	add(row: number, bytes: number, packets: number, flows: number): void {
		this.bytes[row]! += bytes;
		this.packets[row]! += packets;
		this.flows[row]! += flows;
	}

	/**
	 * The `limit` rows with the largest `column`, best first, equal values ordered by `tieBreak`
	 * (negative when the first row goes first); a bounded heap, not a sort of every row. A list of
	 * a million rows with one record each ties them all: the heap still holds `limit`.
	 */
	top(column: Float64Array, limit: number, tieBreak: (x: number, y: number) => number): number[] {
		if (limit <= 0 || this.size === 0) {
			return [];
		}

		const before = (x: number, y: number) => column[y]! - column[x]! || tieBreak(x, y);
		// Min-heap by that order: its root is the last of the best so far.
		const heap: number[] = [];
		const worse = (x: number, y: number) => before(x, y) > 0;
		const down = (index: number) => {
			for (;;) {
				const left = 2 * index + 1;
				const right = left + 1;
				let worst = index;
				if (left < heap.length && worse(heap[left]!, heap[worst]!)) {
					worst = left;
				}

				if (right < heap.length && worse(heap[right]!, heap[worst]!)) {
					worst = right;
				}

				if (worst === index) {
					return;
				}

				[heap[index], heap[worst]] = [heap[worst]!, heap[index]!];
				index = worst;
			}
		};

		const up = (index: number) => {
			while (index > 0) {
				const parent = (index - 1) >> 1;
				if (!worse(heap[index]!, heap[parent]!)) {
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
			} else if (column[row]! >= column[heap[0]!]! && before(row, heap[0]!) < 0) {
				heap[0] = row;
				down(0);
			}
		}

		return heap.sort(before);
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
		if (this.extras.has('rejects')) {
			this.rejects = grown(this.rejects);
		}

		if (this.extras.has('last')) {
			this.last = grown(this.last);
		}

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
