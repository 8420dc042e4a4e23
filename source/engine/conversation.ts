import type {Action} from '../flowlog/record.js';
import type {Direction} from '../net/direction.js';
import {
	ACTION_ACCEPT,
	ACTION_MASK,
	ACTION_REJECT,
	type ConversationTable,
	DETAIL_EXACT,
	DETAIL_MASK,
	DIRECTION_OUTBOUND,
	DIRECTION_INBOUND,
	DIRECTION_MASK,
	REASON_BPA,
} from './conversation-table.js';

/**
 * One conversation of a store's window, read through named fields. It is a cursor: one object
 * moved from row to row with at(), so reading every row of a million allocates nothing, and what
 * it returns is only valid until the next move. Addresses and the interface are interned ids (-1
 * when absent); ports are -1 when absent or folded away by the store.
 */
export class Conversation {
	/** Index of the bucket (in the window, oldest first) and row the cursor stands on. */
	bucket: number;
	row = -1;
	private table: ConversationTable | undefined;
	private index = -1;

	/**
	 * `positions`, when given, are the only rows next() visits (parallel lists of bucket and row);
	 * without them it visits every row from bucket `from` on.
	 */
	constructor(
		private readonly tables: readonly ConversationTable[],
		private readonly positions?: {readonly buckets: readonly number[]; readonly rows: readonly number[]},
		from = 0,
	) {
		this.bucket = from;
		this.table = tables[from];
	}

	/** Move to the next row to visit; false at the end. A loop of `while (flow.next())` reads them all. */
	next(): boolean {
		if (this.positions) {
			const index = ++this.index;
			if (index >= this.positions.rows.length) {
				return false;
			}

			this.at(this.positions.buckets[index]!, this.positions.rows[index]!);
			return true;
		}

		this.row++;
		while (this.table !== undefined && this.row >= this.table.size) {
			this.bucket++;
			this.row = 0;
			this.table = this.tables[this.bucket];
		}

		return this.table !== undefined;
	}

	/** Stand on a row; returns itself so a read can follow. */
	at(bucket: number, row: number): this {
		this.bucket = bucket;
		this.row = row;
		this.table = this.tables[bucket];
		return this;
	}

	/** Rows in a bucket. */
	rowsIn(bucket: number): number {
		return this.tables[bucket]?.size ?? 0;
	}

	get buckets(): number {
		return this.tables.length;
	}

	get eni(): number {
		return this.table!.eni[this.row]!;
	}

	get src(): number {
		return this.table!.src[this.row]!;
	}

	get dst(): number {
		return this.table!.dst[this.row]!;
	}

	get srcPort(): number {
		return this.table!.srcPort[this.row]!;
	}

	get dstPort(): number {
		return this.table!.dstPort[this.row]!;
	}

	/** -1 when the record had none. */
	get protocol(): number {
		return this.table!.protocol[this.row]!;
	}

	get accepted(): boolean {
		return (this.table!.code[this.row]! & ACTION_MASK) === ACTION_ACCEPT;
	}

	get rejected(): boolean {
		return (this.table!.code[this.row]! & ACTION_MASK) === ACTION_REJECT;
	}

	get action(): Action | undefined {
		return this.accepted ? 'ACCEPT' : this.rejected ? 'REJECT' : undefined;
	}

	/** What v5 flow-direction said, undefined when the format did not carry it. */
	get direction(): Direction | undefined {
		const direction = this.table!.code[this.row]! & DIRECTION_MASK;
		return direction === DIRECTION_INBOUND ? 'inbound' : direction === DIRECTION_OUTBOUND ? 'outbound' : undefined;
	}

	/** The record said VPC Block Public Access refused it (`reject-reason` BPA). */
	get blockedByBpa(): boolean {
		return (this.table!.code[this.row]! & REASON_BPA) !== 0;
	}

	/** Both ports and both addresses kept: not summarized by the memory bound. */
	get exact(): boolean {
		return (this.table!.code[this.row]! & DETAIL_MASK) === DETAIL_EXACT;
	}

	get bytes(): number {
		return this.table!.bytes[this.row]!;
	}

	get packets(): number {
		return this.table!.packets[this.row]!;
	}

	/** Records summed into this conversation. */
	get flows(): number {
		return this.table!.flows[this.row]!;
	}

	/** Unix seconds: start of the earliest record, end of the latest. */
	get first(): number {
		return this.table!.first[this.row]!;
	}

	get last(): number {
		return this.table!.last[this.row]!;
	}

	/** TCP flags OR-ed over the records (0 when the format had none). */
	get tcpFlags(): number {
		return this.table!.tcpFlags[this.row]!;
	}

	/**
	 * Stand on the row of this conversation seen the other way round (addresses and ports swapped)
	 * with the given action and flow-direction, in `bucket`; false, and the cursor unmoved, when
	 * there is none. `srcPort` -1 looks for the row whose client port the store folded away.
	 */
	findReverse(
		bucket: number,
		srcPort: number,
		accepted: boolean,
		direction: Direction | undefined,
		of: Conversation,
	): boolean {
		const table = this.tables[bucket];
		if (!table) {
			return false;
		}

		const code =
			(accepted ? ACTION_ACCEPT : ACTION_REJECT) |
			(direction === 'inbound' ? DIRECTION_INBOUND : direction === 'outbound' ? DIRECTION_OUTBOUND : 0);
		const row = table.find(of.eni, of.dst, of.src, srcPort, of.srcPort, of.protocol, code);
		if (row < 0) {
			return false;
		}

		this.at(bucket, row);
		return true;
	}
}
