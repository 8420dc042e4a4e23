import type {Clock} from '../../clock.js';
import {ACCOUNT_ID} from './account.js';
import {ColumnCache} from './column-cache.js';
import {BLOCK_EVENTS, EventBlock} from './event-block.js';
import {BlockBatch, type BlockRange, EventScan, seqOfPtr, type StoredEvent} from './event-scan.js';
import {invalidParameter, resourceAlreadyExists, resourceNotFound} from './service-error.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
// PutLogEvents' documented bounds.
const MAX_AGE = 14 * DAY;
const MAX_AHEAD = 2 * HOUR;
const MAX_SPAN = 24 * HOUR;
const MAX_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
/**
 * The parsed fields kept, at most. A 15-minute window at 2,000 records a second (1.8 million
 * records) of the demo's 26-field format, a new client on most, is about 160 MB of token columns
 * and their dictionary (88 bytes a record); at 10,000 a second only part of the window stays
 * parsed.
 */
const COLUMN_BUDGET = 512 * 1024 * 1024;
const RETENTION_DAYS = new Set([
	1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
]);

export interface LogEventInput {
	/** Milliseconds since the epoch. */
	readonly timestamp: number;
	readonly message: string;
}

/** Which leading (too old, expired) and trailing (too new) events of a batch were refused. */
export interface RejectedLogEventsInfo {
	tooOldLogEventEndIndex?: number;
	expiredLogEventEndIndex?: number;
	tooNewLogEventStartIndex?: number;
}

export interface LogGroupInfo {
	readonly name: string;
	readonly creationTime: number;
	readonly retentionInDays: number | undefined;
	readonly storedBytes: number;
}

interface Stream {
	readonly name: string;
	/** In arrival order; each sorted by timestamp, and they overlap where deliveries were late. */
	blocks: EventBlock[];
}

interface Group {
	readonly name: string;
	readonly creationTime: number;
	readonly retentionInDays: number | undefined;
	readonly streams: Map<string, Stream>;
	storedBytes: number;
}

export function checkGroupName(name: string): void {
	if (name.length < 1 || name.length > 512 || !/^[\w\-/.#]+$/.test(name)) {
		throw invalidParameter(
			`1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
		);
	}
}

function checkStreamName(name: string): void {
	if (name.length < 1 || name.length > 512 || /[:*]/.test(name)) {
		throw invalidParameter(
			`1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`,
		);
	}
}

/** Timestamp order, arrival order among equal timestamps: the order every read returns. */
export function compareEvents(
	a: Pick<StoredEvent, 'timestamp' | 'seq'>,
	b: Pick<StoredEvent, 'timestamp' | 'seq'>,
): number {
	return a.timestamp - b.timestamp || a.seq - b.seq;
}

/**
 * Log groups, their streams and events, on the injected clock. Two ways in: PutLogEvents, whose
 * events are readable at once, and deliver(), the simulator's feed, whose events turn up only at
 * the time given, as flow-log records reach CloudWatch minutes after their capture window.
 */
export class LogStore {
	private readonly groups = new Map<string, Group>();
	private seq = 0;
	private readonly columns: ColumnCache;
	private readonly indexed: boolean;

	/**
	 * `columnBudget`: bytes the parsed fields of the blocks may hold; `dictionarySlack`: values
	 * their dictionary may hold past twice what the kept columns name (column-cache.ts);
	 * `indexed` false: nothing parsed as it arrives, only when a query asks (the baseline a
	 * benchmark compares with).
	 */
	constructor(
		private readonly clock: Clock,
		options: {readonly columnBudget?: number; readonly dictionarySlack?: number; readonly indexed?: boolean} = {},
	) {
		this.columns = new ColumnCache(options.columnBudget ?? COLUMN_BUDGET, options.dictionarySlack);
		this.indexed = options.indexed ?? true;
	}

	createGroup(name: string, options: {retentionInDays?: number} = {}): void {
		checkGroupName(name);
		if (options.retentionInDays !== undefined && !RETENTION_DAYS.has(options.retentionInDays)) {
			throw invalidParameter(
				`Invalid retention period ${options.retentionInDays}: use one of ${[...RETENTION_DAYS].join(', ')}`,
			);
		}

		if (this.groups.has(name)) {
			throw resourceAlreadyExists('The specified log group already exists');
		}

		this.groups.set(name, {
			name,
			creationTime: this.clock(),
			retentionInDays: options.retentionInDays,
			streams: new Map(),
			storedBytes: 0,
		});
	}

	createStream(groupName: string, streamName: string): void {
		checkStreamName(streamName);
		const group = this.group(groupName);
		if (group.streams.has(streamName)) {
			throw resourceAlreadyExists('The specified log stream already exists');
		}

		group.streams.set(streamName, {name: streamName, blocks: []});
	}

	hasGroup(name: string): boolean {
		return this.groups.has(name);
	}

	/** A group's streams, ASCII-sorted by name, with what their visible events span. */
	describeStreams(
		groupName: string,
	): Array<{name: string; firstEventTimestamp?: number; lastEventTimestamp?: number; lastIngestionTime?: number}> {
		const now = this.clock();
		return [...this.group(groupName).streams.values()]
			.map(({name, blocks}) => {
				const visible = blocks.filter(block => block.visibleAt <= now && block.size > 0);
				return visible.length === 0
					? {name}
					: {
							name,
							firstEventTimestamp: Math.min(...visible.map(block => block.firstTimestamp)),
							lastEventTimestamp: Math.max(...visible.map(block => block.lastTimestamp)),
							lastIngestionTime: Math.max(...visible.map(block => block.ingestionTime)),
						};
			})
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	}

	/** Every group, ASCII-sorted by name as DescribeLogGroups lists them. */
	describeGroups(): LogGroupInfo[] {
		return [...this.groups.values()]
			.map(({name, creationTime, retentionInDays, storedBytes}) => ({name, creationTime, retentionInDays, storedBytes}))
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	}

	/**
	 * PutLogEvents: the batch's rules checked as AWS checks them; events too old (past 14 days or
	 * the group's retention) or too new (over 2 hours ahead) are refused and reported by index, the
	 * rest stored and readable at once.
	 */
	putLogEvents(
		groupName: string,
		streamName: string,
		events: readonly LogEventInput[],
	): RejectedLogEventsInfo | undefined {
		const group = this.group(groupName);
		const stream = group.streams.get(streamName);
		if (!stream) {
			throw resourceNotFound('The specified log stream does not exist.');
		}

		checkBatch(events);
		const now = this.clock();
		const oldest = now - MAX_AGE;
		const retained = group.retentionInDays === undefined ? -Infinity : now - group.retentionInDays * DAY;
		const newest = now + MAX_AHEAD;
		const tooOldEnd = events.filter(event => event.timestamp < oldest).length;
		const expiredEnd = events.filter(event => event.timestamp < retained).length;
		const tooNewStart = events.findIndex(event => event.timestamp > newest);
		const accepted = events.slice(Math.max(tooOldEnd, expiredEnd), tooNewStart < 0 ? events.length : tooNewStart);
		if (accepted.length > 0 && accepted.at(-1)!.timestamp - accepted[0]!.timestamp > MAX_SPAN) {
			throw invalidParameter(
				'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
			);
		}

		this.insert(group, stream, accepted, now, now);
		const rejected: RejectedLogEventsInfo = {};
		if (tooOldEnd > 0) {
			rejected.tooOldLogEventEndIndex = tooOldEnd;
		}

		if (expiredEnd > 0) {
			rejected.expiredLogEventEndIndex = expiredEnd;
		}

		if (tooNewStart >= 0) {
			rejected.tooNewLogEventStartIndex = tooNewStart;
		}

		return Object.keys(rejected).length > 0 ? rejected : undefined;
	}

	/**
	 * The simulator's feed: store events that become visible (to queries, FilterLogEvents) only at
	 * `visibleAt`. Their @ingestionTime is `ingestedAt`, by default the same moment; an earlier one
	 * is an event CloudWatch took in but could not search yet. The group and stream are made when
	 * missing, as the flow-logs service does.
	 */
	deliver(
		groupName: string,
		streamName: string,
		events: readonly LogEventInput[],
		visibleAt: number,
		ingestedAt = visibleAt,
	): void {
		if (!this.groups.has(groupName)) {
			this.createGroup(groupName);
		}

		const group = this.group(groupName);
		if (!group.streams.has(streamName)) {
			this.createStream(groupName, streamName);
		}

		this.insert(group, group.streams.get(streamName)!, events, visibleAt, ingestedAt);
	}

	/**
	 * Drop a group's events stamped before `time`. Not an AWS action: the demo keeps only what a
	 * viewer can still ask for, so it can run for days in bounded memory.
	 */
	forget(groupName: string, time: number): void {
		const group = this.group(groupName);
		for (const stream of group.streams.values()) {
			for (const block of stream.blocks) {
				const keep = block.lowerBound(time);
				group.storedBytes -= block.bytesBetween(block.start, keep);
				block.start = keep;
				if (block.size === 0) {
					this.columns.release(block);
				}
			}

			stream.blocks = stream.blocks.filter(block => block.size > 0);
		}
	}

	/**
	 * What the store holds, forgotten events still in a block included: what its memory follows.
	 * `bytes` counts the parsed fields kept for queries (`columnBytes`) too.
	 */
	footprint(): {events: number; bytes: number; columnBytes: number} {
		let events = 0;
		let bytes = this.columns.heldBytes;
		for (const group of this.groups.values()) {
			for (const stream of group.streams.values()) {
				for (const block of stream.blocks) {
					events += block.count;
					bytes += block.heldBytes;
				}
			}
		}

		return {events, bytes, columnBytes: this.columns.heldBytes};
	}

	/** The visible event a query's @ptr points at (GetLogRecord), or undefined. */
	eventAt(ptr: string): StoredEvent | undefined {
		const seq = seqOfPtr(ptr);
		if (seq === undefined) {
			return undefined;
		}

		const now = this.clock();
		for (const group of this.groups.values()) {
			for (const stream of group.streams.values()) {
				const block = stream.blocks.find(
					candidate => candidate.seqStart + candidate.start <= seq && seq < candidate.seqStart + candidate.count,
				);
				if (block) {
					const index = seq - block.seqStart;
					return block.visibleAt <= now ? this.batch(group, block).event(index) : undefined;
				}
			}
		}

		return undefined;
	}

	/**
	 * Events of these groups visible now, with timestamps in [from, to] (milliseconds), in
	 * (timestamp, arrival) order, as objects; `streams` narrows to the streams it accepts.
	 */
	visibleEvents(
		groupNames: readonly string[],
		from: number,
		to: number,
		streams?: (name: string) => boolean,
	): StoredEvent[] {
		return this.scan(groupNames, from, to, streams ? {streams} : {}).all();
	}

	/**
	 * The same events as visibleEvents, read as a scan: what a query goes through. Deliveries whose
	 * ingestion time `ingested` refuses are passed over unread, and counted as `skipped`.
	 */
	scan(
		groupNames: readonly string[],
		from: number,
		to: number,
		options: {streams?: (name: string) => boolean; ingested?: ((time: number) => boolean) | undefined} = {},
	): EventScan {
		const {streams, ingested} = options;
		const now = this.clock();
		const ranges: BlockRange[] = [];
		const skipped = {events: 0, bytes: 0};
		for (const groupName of groupNames) {
			const group = this.group(groupName);
			for (const stream of group.streams.values()) {
				if (streams && !streams(stream.name)) {
					continue;
				}

				for (const block of stream.blocks) {
					if (block.visibleAt > now || block.lastTimestamp < from || block.firstTimestamp > to) {
						continue;
					}

					const range = {batch: this.batch(group, block), from: block.lowerBound(from), to: block.upperBound(to)};
					if (ingested && !ingested(block.ingestionTime)) {
						skipped.events += range.to - range.from;
						skipped.bytes += block.bytesBetween(range.from, range.to);
					} else {
						ranges.push(range);
					}
				}
			}
		}

		return new EventScan(ranges, skipped);
	}

	private batch(group: Group, block: EventBlock): BlockBatch {
		return new BlockBatch(block, logOf(group), this.columns);
	}

	private group(name: string): Group {
		const group = this.groups.get(name);
		if (!group) {
			throw resourceNotFound('The specified log group does not exist.');
		}

		return group;
	}

	private insert(
		group: Group,
		stream: Stream,
		events: readonly LogEventInput[],
		visibleAt: number,
		ingestionTime: number,
	): void {
		// Stable: events with one timestamp keep the order they came in, and their seqs follow it.
		const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
		for (let i = 0; i < sorted.length; i += BLOCK_EVENTS) {
			const chunk = sorted.slice(i, i + BLOCK_EVENTS);
			const block = new EventBlock(stream.name, visibleAt, ingestionTime, this.seq, chunk);
			if (this.indexed) {
				this.columns.index(block, chunk);
			}

			this.seq += chunk.length;
			stream.blocks.push(block);
			group.storedBytes += block.totalBytes;
		}
	}
}

function logOf(group: Group): string {
	return `${ACCOUNT_ID}:${group.name}`;
}

function checkBatch(events: readonly LogEventInput[]): void {
	if (events.length === 0 || events.length > MAX_EVENTS) {
		throw invalidParameter(
			`1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and ${MAX_EVENTS}`,
		);
	}

	let size = 0;
	for (const [i, event] of events.entries()) {
		const bytes = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD;
		if (event.message.length === 0) {
			throw invalidParameter(`Log event ${i} has an empty message: a message must be at least 1 character long.`);
		}

		if (bytes > MAX_BATCH_BYTES) {
			throw invalidParameter(`Log event too large: event ${i} is ${bytes} bytes, the most is ${MAX_BATCH_BYTES}.`);
		}

		size += bytes;
		if (i > 0 && event.timestamp < events[i - 1]!.timestamp) {
			throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
		}
	}

	if (size > MAX_BATCH_BYTES) {
		throw invalidParameter(`Upload too large: ${size} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
	}
}
