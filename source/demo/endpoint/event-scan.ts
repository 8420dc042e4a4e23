import type {Column} from '../insights/column.js';
import type {FieldDictionary} from '../insights/field-dictionary.js';
import type {FieldSource} from '../insights/field-source.js';
import type {RecordBatch} from '../insights/record-batch.js';
import type {EventBlock, OpenBlock} from './event-block.js';
import {ACCOUNT_ID} from './account.js';
import type {ColumnCache} from './column-cache.js';

/** One event as a read returns it: what a query sees, and where it sits in the store. */
export interface StoredEvent {
	/** Milliseconds since the epoch: for flow logs, the start of the capture window. */
	readonly timestamp: number;
	readonly message: string;
	readonly ingestionTime: number;
	readonly ptr: string;
	readonly logStream: string;
	/** `account-id:log-group-name`, as Insights writes @log. */
	readonly log: string;
	/** When the event became visible to reads (delivery lateness). */
	readonly visibleAt: number;
	/** Store-wide arrival order: breaks timestamp ties the same way every time. */
	readonly seq: number;
	/** UTF-8 size of the message: what a scan of it costs. */
	readonly bytes: number;
}

/** The @ptr of the event with this seq; seqOfPtr reads it back. */
export function ptrOf(seq: number): string {
	return Buffer.from(`${ACCOUNT_ID}:${seq}`).toString('base64url');
}

export function seqOfPtr(ptr: string): number | undefined {
	const match = /^(\d+):(\d+)$/.exec(Buffer.from(ptr, 'base64url').toString('utf8'));
	return match?.[1] === ACCOUNT_ID ? Number(match[2]) : undefined;
}

class ScannedEvent implements StoredEvent {
	constructor(
		readonly timestamp: number,
		readonly message: string,
		readonly ingestionTime: number,
		readonly logStream: string,
		readonly log: string,
		readonly visibleAt: number,
		readonly seq: number,
		readonly bytes: number,
	) {}

	// Most scanned events are counted or filtered out, never shown: their pointer is made on demand.
	get ptr(): string {
		return ptrOf(this.seq);
	}
}

/**
 * One block as a read goes through it: its messages inflated the first time an event is asked
 * for, and held until the read has passed the block; its fields parsed through the store's cache.
 */
export class BlockBatch implements RecordBatch {
	readonly ingestionTime: number;
	readonly logStream: string;
	private opened: OpenBlock | undefined;

	constructor(
		readonly block: EventBlock,
		readonly log: string,
		private readonly cache: ColumnCache,
	) {
		this.ingestionTime = block.ingestionTime;
		this.logStream = block.stream;
	}

	timestampAt(index: number): number {
		return this.block.timestampAt(index);
	}

	event(index: number): StoredEvent {
		const {block} = this;
		const event = this.open().event(index);
		return new ScannedEvent(
			event.timestamp,
			event.message,
			block.ingestionTime,
			block.stream,
			this.log,
			block.visibleAt,
			event.seq,
			event.bytes,
		);
	}

	dictionary(): FieldDictionary {
		return this.cache.dictionary;
	}

	columns(source: FieldSource, names: readonly string[], dictionary: FieldDictionary): ReadonlyMap<string, Column> {
		return this.cache.columns(this.block, source, names, dictionary, () => this.open());
	}

	/** The read has passed the block: its messages go. */
	release(): void {
		this.opened = undefined;
	}

	private open(): OpenBlock {
		this.opened ??= this.block.open();
		return this.opened;
	}
}

/** The events of one block a read covers: indices [from, to). */
export interface BlockRange {
	readonly batch: BlockBatch;
	readonly from: number;
	readonly to: number;
}

interface Cursor {
	readonly batch: BlockBatch;
	readonly block: EventBlock;
	index: number;
	readonly end: number;
}

function before(a: Cursor, b: Cursor): boolean {
	const timeA = a.block.timestampAt(a.index);
	const timeB = b.block.timestampAt(b.index);
	return timeA < timeB || (timeA === timeB && a.block.seqStart + a.index < b.block.seqStart + b.index);
}

/**
 * A read over blocks in (timestamp, arrival) order, the order every read returns, resumable: a
 * query scans a slice per GetQueryResults call. A block is inflated when the read first needs a
 * message of it and let go when the read has passed it, so a scan of a whole window holds a few
 * blocks at a time.
 */
export class EventScan {
	private readonly heap: Cursor[] = [];

	/** `skipped`: events in the range the read was told to pass over, and their bytes; a query bills them all the same. */
	/** Events the read covers, as it began. */
	readonly size: number;

	constructor(
		private readonly ranges: readonly BlockRange[],
		readonly skipped: {readonly events: number; readonly bytes: number} = {events: 0, bytes: 0},
	) {
		let size = 0;
		for (const {batch, from, to} of ranges) {
			if (from < to) {
				this.push({batch, block: batch.block, index: from, end: to});
				size += to - from;
			}
		}

		this.size = size;
	}

	/** Whether another read covers the very same events, of the same blocks, and passes over the same. */
	covers(other: EventScan): boolean {
		return (
			this.ranges.length === other.ranges.length &&
			this.skipped.events === other.skipped.events &&
			this.ranges.every((range, i) => {
				const theirs = other.ranges[i]!;
				return (
					range.batch.block === theirs.batch.block &&
					range.batch.log === theirs.batch.log &&
					range.from === theirs.from &&
					range.to === theirs.to
				);
			})
		);
	}

	get done(): boolean {
		return this.heap.length === 0;
	}

	/**
	 * Hands up to `max` of the next events to `visit`, as runs of one block: records [from, to) of
	 * `batch`, in read order. `finished` hears of each batch the read has passed. Returns how many
	 * events it handed.
	 */
	nextRuns(
		max: number,
		visit: (batch: BlockBatch, from: number, to: number) => void,
		finished: (batch: BlockBatch) => void = () => undefined,
	): number {
		let handed = 0;
		while (handed < max && this.heap.length > 0) {
			const cursor = this.pop();
			const rival = this.heap[0];
			const from = cursor.index;
			do {
				cursor.index++;
				handed++;
			} while (cursor.index < cursor.end && handed < max && (!rival || before(cursor, rival)));

			visit(cursor.batch, from, cursor.index);
			if (cursor.index < cursor.end) {
				this.push(cursor);
			} else {
				cursor.batch.release();
				finished(cursor.batch);
			}
		}

		return handed;
	}

	/** Every event left, as objects: for the reads that page through a few (FilterLogEvents, GetLogEvents). */
	all(): StoredEvent[] {
		const events: StoredEvent[] = [];
		this.nextRuns(Number.POSITIVE_INFINITY, (batch, from, to) => {
			for (let index = from; index < to; index++) {
				events.push(batch.event(index));
			}
		});
		return events;
	}

	private push(cursor: Cursor): void {
		const {heap} = this;
		heap.push(cursor);
		let i = heap.length - 1;
		while (i > 0) {
			const parent = (i - 1) >>> 1;
			if (!before(heap[i]!, heap[parent]!)) {
				break;
			}

			[heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
			i = parent;
		}
	}

	private pop(): Cursor {
		const {heap} = this;
		const top = heap[0]!;
		const last = heap.pop()!;
		if (heap.length > 0) {
			heap[0] = last;
			let i = 0;
			for (;;) {
				const left = 2 * i + 1;
				const right = left + 1;
				let smallest = i;
				if (left < heap.length && before(heap[left]!, heap[smallest]!)) {
					smallest = left;
				}

				if (right < heap.length && before(heap[right]!, heap[smallest]!)) {
					smallest = right;
				}

				if (smallest === i) {
					break;
				}

				[heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
				i = smallest;
			}
		}

		return top;
	}
}
