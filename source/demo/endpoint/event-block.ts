import {deflateRawSync, inflateRawSync} from 'node:zlib';

/** Events a block holds at most: small enough that a scan of a narrow time range inflates little. */
export const BLOCK_EVENTS = 4096;

/** One event of a block, in timestamp order; `message` is decoded only when asked for. */
export interface BlockEvent {
	readonly timestamp: number;
	readonly message: string;
	readonly seq: number;
	readonly bytes: number;
}

/**
 * Up to BLOCK_EVENTS events of one stream that reached the store together (one delivery), packed:
 * timestamps in a Float64Array, messages as one deflated UTF-8 buffer with their offsets. A busy
 * VPC's 15 minutes are millions of events; as objects and strings each took about 400 bytes, packed
 * and deflated about 40 (flow-log lines repeat most of their fields). Blocks are immutable but for
 * `start`, the first event still kept: older ones were forgotten and the whole block goes when its
 * last event does.
 */
export class EventBlock {
	readonly count: number;
	/** UTF-8 bytes of the messages kept, as a scan bills them. */
	readonly totalBytes: number;
	start = 0;
	private readonly timestamps: Float64Array;
	private readonly offsets: Uint32Array;
	private readonly packed: Buffer;
	private readonly ascii: boolean;

	/** `events` sorted by timestamp; their seqs are `seqStart`, `seqStart + 1`, ... in that order. */
	constructor(
		readonly stream: string,
		readonly visibleAt: number,
		readonly ingestionTime: number,
		readonly seqStart: number,
		events: ReadonlyArray<{readonly timestamp: number; readonly message: string}>,
	) {
		this.count = events.length;
		this.timestamps = new Float64Array(this.count);
		this.offsets = new Uint32Array(this.count + 1);
		// One string, encoded once: a message at a time was most of what storing a busy minute cost.
		let joined = '';
		for (const [i, {timestamp, message}] of events.entries()) {
			this.timestamps[i] = timestamp;
			joined += message;
		}

		const text = Buffer.from(joined, 'utf8');
		this.ascii = text.length === joined.length;
		let offset = 0;
		for (const [i, {message}] of events.entries()) {
			offset += this.ascii ? message.length : Buffer.byteLength(message, 'utf8');
			this.offsets[i + 1] = offset;
		}

		this.totalBytes = offset;
		this.packed = deflateRawSync(text, {level: 1});
	}

	get firstTimestamp(): number {
		return this.timestamps[this.start]!;
	}

	get lastTimestamp(): number {
		return this.timestamps[this.count - 1]!;
	}

	/** Events still kept. */
	get size(): number {
		return this.count - this.start;
	}

	/** Bytes of the messages of events [from, to). */
	bytesBetween(from: number, to: number): number {
		return this.offsets[to]! - this.offsets[from]!;
	}

	/** Memory the block holds, roughly: what the endpoint's bound is about. */
	get heldBytes(): number {
		return this.packed.length + this.timestamps.byteLength + this.offsets.byteLength;
	}

	timestampAt(index: number): number {
		return this.timestamps[index]!;
	}

	/** The first kept index whose timestamp is at least `time`. */
	lowerBound(time: number): number {
		let low = this.start;
		let high = this.count;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.timestamps[middle]! < time) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low;
	}

	/** The first index whose timestamp is past `time`. */
	upperBound(time: number): number {
		let low = this.start;
		let high = this.count;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.timestamps[middle]! <= time) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low;
	}

	bytesAt(index: number): number {
		return this.offsets[index + 1]! - this.offsets[index]!;
	}

	/** The messages, inflated: hold on to it while reading many events, then let it go. */
	open(): OpenBlock {
		return new OpenBlock(this, inflateRawSync(this.packed), this.offsets, this.ascii);
	}
}

/** A block with its messages inflated, for as long as a reader needs them. */
export class OpenBlock {
	constructor(
		readonly block: EventBlock,
		private readonly text: Buffer,
		private readonly offsets: Uint32Array,
		private readonly ascii: boolean,
	) {}

	message(index: number): string {
		const from = this.offsets[index]!;
		const to = this.offsets[index + 1]!;
		return this.text.toString(this.ascii ? 'latin1' : 'utf8', from, to);
	}

	event(index: number): BlockEvent {
		const {block} = this;
		return {
			timestamp: block.timestampAt(index),
			message: this.message(index),
			seq: block.seqStart + index,
			bytes: block.bytesAt(index),
		};
	}
}
