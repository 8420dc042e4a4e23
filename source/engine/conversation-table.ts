/**
 * Conversations (interface, source, destination, ports, protocol, action, direction) with their
 * summed bytes, packets and records, in typed-array columns under an open-addressing hash.
 *
 * A JavaScript object and a string key per conversation cost ~400 bytes and keep the garbage
 * collector busy; a row here costs ~70 bytes and no allocation, which is what lets `--once` take
 * a million records a second and the live view hold millions of conversations.
 *
 * Ids come from the Interner; -1 marks an absent value (or a port folded away).
 */

// The action, direction, level of detail and reject reason of a row, packed in one byte.
export const ACTION_NONE = 0;
export const ACTION_ACCEPT = 1;
export const ACTION_REJECT = 2;
export const DIRECTION_NONE = 0;
export const DIRECTION_INBOUND = 1 << 2;
export const DIRECTION_OUTBOUND = 2 << 2;
export const DETAIL_EXACT = 0;
export const DETAIL_PORTS = 1 << 4;
export const DETAIL_ADDRESSES = 2 << 4;
/** Refused by VPC Block Public Access (`reject-reason` BPA), not by a security group or NACL. */
export const REASON_BPA = 1 << 6;
export const ACTION_MASK = 3;
export const DIRECTION_MASK = 3 << 2;
export const DETAIL_MASK = 3 << 4;

const INITIAL_ROWS = 64;
// Later than any time a row can hold, so the first record's start replaces it.
const NO_FIRST = 0xff_ff_ff_ff;

export type Column = Int32Array | Uint32Array | Int16Array | Uint8Array | Float64Array;

/** A copy of a typed-array column with room for `capacity` rows. */
export function grownColumn<T extends Column>(column: T, capacity: number): T {
	const next = new (column.constructor as new (length: number) => T)(capacity);
	next.set(column);
	return next;
}

/**
 * Hash slots for `rows` rows: a power of two (slots are found by masking), at most half full while
 * rows come in, so that each is found in a probe or two.
 */
function slotCount(rows: number, perRow = 2): number {
	let count = 2;
	while (count < rows * perRow) {
		count *= 2;
	}

	return count;
}

// A trimmed table's rows have stopped coming (views and the diagnosis read it by its columns, and a
// late row or the reverse of a row is looked up now and then): up to three quarters full, its slots
// cost half as much, for probes a little longer.
const TRIMMED_SLOTS_PER_ROW = 4 / 3;

function mix(hash: number, value: number): number {
	return Math.imul(hash ^ value, 0x9e_37_79_b1) ^ (hash >>> 15);
}

/** The rows of a table as plain columns: what another thread sends back (its buffers transferred). */
export interface TableRows {
	readonly size: number;
	readonly eni: Int32Array;
	readonly src: Int32Array;
	readonly dst: Int32Array;
	readonly srcPort: Int32Array;
	readonly dstPort: Int32Array;
	readonly protocol: Int16Array;
	readonly code: Uint8Array;
	readonly tcpFlags: Uint8Array;
	readonly bytes: Float64Array;
	readonly packets: Float64Array;
	readonly flows: Float64Array;
	readonly first: Uint32Array;
	readonly last: Uint32Array;
}

export class ConversationTable implements TableRows {
	size = 0;
	eni: Int32Array;
	src: Int32Array;
	dst: Int32Array;
	srcPort: Int32Array;
	dstPort: Int32Array;
	protocol: Int16Array;
	code: Uint8Array;
	tcpFlags: Uint8Array;
	bytes: Float64Array;
	packets: Float64Array;
	flows: Float64Array;
	/**
	 * Unix seconds: start of the earliest record and end of the latest, in 32 bits (8 bytes a row
	 * less than doubles): flow-log times are whole seconds from 2000 to tomorrow, far inside them
	 * (to 2106). A time with a fraction (the clock's, for a record that has none) widens to whole
	 * seconds: the start down, the end up.
	 */
	first: Uint32Array;
	last: Uint32Array;
	private slots: Int32Array;

	constructor(capacity = INITIAL_ROWS) {
		this.eni = new Int32Array(capacity);
		this.src = new Int32Array(capacity);
		this.dst = new Int32Array(capacity);
		this.srcPort = new Int32Array(capacity);
		this.dstPort = new Int32Array(capacity);
		this.protocol = new Int16Array(capacity);
		this.code = new Uint8Array(capacity);
		this.tcpFlags = new Uint8Array(capacity);
		this.bytes = new Float64Array(capacity);
		this.packets = new Float64Array(capacity);
		this.flows = new Float64Array(capacity);
		this.first = new Uint32Array(capacity);
		this.last = new Uint32Array(capacity);
		this.slots = new Int32Array(slotCount(capacity));
	}

	/**
	 * A table of another store's rows, taking over its columns: ids are rewritten through `ids`
	 * (another interner's to ours) and the hash rebuilt, with no row summed twice.
	 */
	static adopt(rows: TableRows, ids: Int32Array): ConversationTable {
		const table = new ConversationTable(0);
		table.size = rows.size;
		table.takeColumns(rows);
		table.slots = new Int32Array(
			slotCount(table.eni.length, rows.size === table.eni.length ? TRIMMED_SLOTS_PER_ROW : 2),
		);
		table.remap(ids);
		return table;
	}

	/** Holds `rows`' columns as its own, not copies: every column a row has, in one place. */
	private takeColumns(rows: TableRows): void {
		this.eni = rows.eni;
		this.src = rows.src;
		this.dst = rows.dst;
		this.srcPort = rows.srcPort;
		this.dstPort = rows.dstPort;
		this.protocol = rows.protocol;
		this.code = rows.code;
		this.tcpFlags = rows.tcpFlags;
		this.bytes = rows.bytes;
		this.packets = rows.packets;
		this.flows = rows.flows;
		this.first = rows.first;
		this.last = rows.last;
	}

	/** Row of the conversation, or -1. */
	find(
		eni: number,
		src: number,
		dst: number,
		srcPort: number,
		dstPort: number,
		protocol: number,
		code: number,
	): number {
		const mask = this.slots.length - 1;
		let slot = ConversationTable.hash(eni, src, dst, srcPort, dstPort, protocol, code) & mask;
		for (;;) {
			const row = this.slots[slot]! - 1;
			if (row < 0) {
				return -1;
			}

			if (
				this.src[row] === src &&
				this.dst[row] === dst &&
				this.eni[row] === eni &&
				this.dstPort[row] === dstPort &&
				this.srcPort[row] === srcPort &&
				this.protocol[row] === protocol &&
				this.code[row] === code
			) {
				return row;
			}

			slot = (slot + 1) & mask;
		}
	}

	/** Row of the conversation, made when it is new. */
	rowOf(
		eni: number,
		src: number,
		dst: number,
		srcPort: number,
		dstPort: number,
		protocol: number,
		code: number,
	): number {
		const row = this.find(eni, src, dst, srcPort, dstPort, protocol, code);
		return row < 0 ? this.insert(eni, src, dst, srcPort, dstPort, protocol, code) : row;
	}

	/** A new row for a conversation not in the table (find() said -1). */
	insert(
		eni: number,
		src: number,
		dst: number,
		srcPort: number,
		dstPort: number,
		protocol: number,
		code: number,
	): number {
		if (this.size === this.eni.length) {
			this.grow();
		}

		const row = this.size++;
		this.eni[row] = eni;
		this.src[row] = src;
		this.dst[row] = dst;
		this.srcPort[row] = srcPort;
		this.dstPort[row] = dstPort;
		this.protocol[row] = protocol;
		this.code[row] = code;
		this.first[row] = NO_FIRST;
		this.last[row] = 0;
		this.place(row);
		return row;
	}

	accumulate(
		row: number,
		bytes: number,
		packets: number,
		flows: number,
		first: number,
		last: number,
		tcpFlags: number,
	): void {
		this.bytes[row]! += bytes;
		this.packets[row]! += packets;
		this.flows[row]! += flows;
		if (first < this.first[row]!) {
			this.first[row] = first;
		}

		if (last > this.last[row]!) {
			this.last[row] = Math.ceil(last);
		}

		this.tcpFlags[row]! |= tcpFlags;
	}

	/** Add every row of another table into this one (buckets merging as they widen). */
	absorb(other: ConversationTable): void {
		for (let row = 0; row < other.size; row++) {
			const eni = other.eni[row]!;
			const src = other.src[row]!;
			const dst = other.dst[row]!;
			const srcPort = other.srcPort[row]!;
			const dstPort = other.dstPort[row]!;
			const protocol = other.protocol[row]!;
			const code = other.code[row]!;
			this.accumulate(
				this.rowOf(eni, src, dst, srcPort, dstPort, protocol, code),
				other.bytes[row]!,
				other.packets[row]!,
				other.flows[row]!,
				other.first[row]!,
				other.last[row]!,
				other.tcpFlags[row]!,
			);
		}
	}

	/** Rewrite interned ids after the Interner compacted, and rehash. */
	remap(ids: Int32Array): void {
		for (const column of [this.eni, this.src, this.dst]) {
			for (let row = 0; row < this.size; row++) {
				const id = column[row]!;
				if (id >= 0) {
					column[row] = ids[id]!;
				}
			}
		}

		this.slots.fill(0);
		for (let row = 0; row < this.size; row++) {
			this.place(row);
		}
	}

	/** Mark the interned ids this table uses. */
	markLive(live: Uint8Array): void {
		for (const column of [this.eni, this.src, this.dst]) {
			for (let row = 0; row < this.size; row++) {
				const id = column[row]!;
				if (id >= 0) {
					live[id] = 1;
				}
			}
		}
	}

	private static hash(
		eni: number,
		src: number,
		dst: number,
		srcPort: number,
		dstPort: number,
		protocol: number,
		code: number,
	): number {
		let hash = mix(0x81_1c_9d_c5, src);
		hash = mix(hash, dst);
		hash = mix(hash, eni);
		hash = mix(hash, srcPort);
		hash = mix(hash, dstPort);
		hash = mix(hash, (protocol << 8) | code);
		return hash ^ (hash >>> 16);
	}

	private place(row: number): void {
		const mask = this.slots.length - 1;
		let slot =
			ConversationTable.hash(
				this.eni[row]!,
				this.src[row]!,
				this.dst[row]!,
				this.srcPort[row]!,
				this.dstPort[row]!,
				this.protocol[row]!,
				this.code[row]!,
			) & mask;
		while (this.slots[slot] !== 0) {
			slot = (slot + 1) & mask;
		}

		this.slots[slot] = row + 1;
	}

	/**
	 * Give back the room the columns keep for rows to come, once rows stop coming (the records moved
	 * on to a later bucket): growth by doubling leaves up to half of each column empty, and a window
	 * of full buckets would hold that slack for every one of them. A late row still fits: the next
	 * insert grows the columns again.
	 *
	 * The rows move to columns of their size, and the columns they leave come back emptied, as a
	 * table for the next bucket to fill (undefined when there was no room to give back). Left to the
	 * garbage collector instead, they waited for a collection that filling typed arrays seldom
	 * prompts, and the allocator kept the memory they had piled up to for the rest of the run: a third
	 * of a range worker's at a million records.
	 */
	trim(): ConversationTable | undefined {
		if (this.size === this.eni.length) {
			return undefined;
		}

		const spare = new ConversationTable(0);
		spare.takeColumns(this);
		this.eni = this.eni.slice(0, this.size);
		this.src = this.src.slice(0, this.size);
		this.dst = this.dst.slice(0, this.size);
		this.srcPort = this.srcPort.slice(0, this.size);
		this.dstPort = this.dstPort.slice(0, this.size);
		this.protocol = this.protocol.slice(0, this.size);
		this.code = this.code.slice(0, this.size);
		this.tcpFlags = this.tcpFlags.slice(0, this.size);
		this.bytes = this.bytes.slice(0, this.size);
		this.packets = this.packets.slice(0, this.size);
		this.flows = this.flows.slice(0, this.size);
		this.first = this.first.slice(0, this.size);
		this.last = this.last.slice(0, this.size);
		if (this.slots.length > slotCount(this.size, TRIMMED_SLOTS_PER_ROW)) {
			spare.slots = this.slots;
			this.slots = new Int32Array(slotCount(this.size, TRIMMED_SLOTS_PER_ROW));
			for (let row = 0; row < this.size; row++) {
				this.place(row);
			}
		}

		// Insert writes a row's key and times; the sums and the hash start from zero.
		spare.tcpFlags.fill(0);
		spare.bytes.fill(0);
		spare.packets.fill(0);
		spare.flows.fill(0);
		if (spare.slots.length < slotCount(spare.eni.length)) {
			spare.slots = new Int32Array(slotCount(spare.eni.length));
		} else {
			spare.slots.fill(0);
		}

		return spare;
	}

	private grow(): void {
		const capacity = Math.max(INITIAL_ROWS, this.eni.length * 2);
		const grown = <T extends Column>(column: T) => grownColumn(column, capacity);
		this.eni = grown(this.eni);
		this.src = grown(this.src);
		this.dst = grown(this.dst);
		this.srcPort = grown(this.srcPort);
		this.dstPort = grown(this.dstPort);
		this.protocol = grown(this.protocol);
		this.code = grown(this.code);
		this.tcpFlags = grown(this.tcpFlags);
		this.bytes = grown(this.bytes);
		this.packets = grown(this.packets);
		this.flows = grown(this.flows);
		this.first = grown(this.first);
		this.last = grown(this.last);
		this.slots = new Int32Array(slotCount(capacity));
		for (let row = 0; row < this.size; row++) {
			this.place(row);
		}
	}
}
