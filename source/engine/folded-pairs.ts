import {SumTable} from './sum-table.js';

/**
 * The sums of conversations whose addresses the memory bound folded away, kept by address pair
 * and whether they were rejected: what the top lists rank (bytes, packets and records by pair, by
 * source and by destination; rejected records by source) stays exact for every pair, however
 * small it was when it was folded. Ports, interfaces and protocols are what folding gives up: an
 * entry costs about 60 bytes where a conversation costs about 100, and a pair folds all its
 * conversations of a bucket into one entry.
 */

/** A bucket's folded sums as plain columns, for another thread to send (its buffers transferred). */
export interface FoldedPart {
	readonly size: number;
	readonly src: Int32Array;
	readonly dst: Int32Array;
	/** 1 for the sums of rejected records. */
	readonly rejected: Int32Array;
	readonly bytes: Float64Array;
	readonly packets: Float64Array;
	readonly flows: Float64Array;
	/** Latest end, Unix seconds. */
	readonly last: Float64Array;
}

export class FoldedPairs {
	private table = new SumTable(64, ['last']);

	get size(): number {
		return this.table.size;
	}

	add(src: number, dst: number, rejected: boolean, bytes: number, packets: number, flows: number, last: number): void {
		const {table} = this;
		const entry = table.row(src, dst, rejected ? 1 : 0);
		table.add(entry, bytes, packets, flows);
		if (last > table.last[entry]!) {
			table.last[entry] = last;
		}
	}

	/** Every entry, in the order they were made. */
	forEach(
		visit: (
			src: number,
			dst: number,
			rejected: boolean,
			bytes: number,
			packets: number,
			flows: number,
			last: number,
		) => void,
	): void {
		const {table} = this;
		for (let entry = 0; entry < table.size; entry++) {
			visit(
				table.a[entry]!,
				table.b[entry]!,
				table.c[entry] === 1,
				table.bytes[entry]!,
				table.packets[entry]!,
				table.flows[entry]!,
				table.last[entry]!,
			);
		}
	}

	/** Add another bucket's or store's entries, their ids rewritten through `ids` when they are another interner's. */
	absorb(other: FoldedPart, ids?: Int32Array): void {
		const id = (value: number) => (value < 0 || ids === undefined ? value : ids[value]!);
		for (let entry = 0; entry < other.size; entry++) {
			this.add(
				id(other.src[entry]!),
				id(other.dst[entry]!),
				other.rejected[entry] === 1,
				other.bytes[entry]!,
				other.packets[entry]!,
				other.flows[entry]!,
				other.last[entry]!,
			);
		}
	}

	part(): FoldedPart {
		const {table} = this;
		const {size} = table;
		// Stryker disable MethodExpression: a part is read up to its size and never written; cutting the
		// columns to it only keeps what a thread sends to the entries there are.
		return {
			size,
			src: table.a.slice(0, size),
			dst: table.b.slice(0, size),
			rejected: table.c.slice(0, size),
			bytes: table.bytes.slice(0, size),
			packets: table.packets.slice(0, size),
			flows: table.flows.slice(0, size),
			last: table.last.slice(0, size),
		};
		// Stryker restore MethodExpression
	}

	/** Mark the interned ids the entries use. */
	markLive(live: Uint8Array): void {
		const {table} = this;
		for (let entry = 0; entry < table.size; entry++) {
			for (const id of [table.a[entry]!, table.b[entry]!]) {
				if (id >= 0) {
					live[id] = 1;
				}
			}
		}
	}

	/** Rewrite interned ids after the Interner compacted: the keys change, so the entries are made anew. */
	remap(ids: Int32Array): void {
		const old = this.part();
		let capacity = 64;
		while (capacity < old.size) {
			capacity *= 2;
		}

		this.table = new SumTable(capacity, ['last']);
		this.absorb(old, ids);
	}
}
