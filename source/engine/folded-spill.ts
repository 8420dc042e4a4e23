import {appendFileSync, closeSync, openSync, readSync} from 'node:fs';
import {join} from 'node:path';
import {UserError} from '../errors.js';
import {ByteKeySums} from './byte-key-sums.js';
import {hashText, type Interner} from './interner.js';

/**
 * The folded sums of a store that keeps everything (`--once`), written to disk as the memory bound
 * folds them, so memory stops growing with the number of distinct address pairs. Each sum is
 * written by its address text to one of PARTITIONS files picked by a hash of its key, the way
 * DuckDB spills a grouping: every sum of one pair (or one rejected source) lands in the same file,
 * so reading one file at a time gives each key's whole sum while holding one file's keys only.
 *
 * Two kinds of file: `pair` records are the sums of an address pair (both addresses known), what
 * the pair list ranks; `rejecter` records are the sums and latest end of a source's rejected
 * records, what the rejected-source list ranks.
 */

const PARTITIONS = 64;
// Bytes buffered per file before they are appended: 128 files of this stay a few megabytes.
const BUFFER_BYTES = 1 << 16;
// Bytes read from a file at a time when the report reads the sums back.
const READ_BYTES = 1 << 20;
// Room a record may need: two texts of up to 255 characters (an address has at most 45) and four sums.
const RECORD_BYTES = 2 * (2 + 255) + 4 * 8;

type Kind = 'pair' | 'rejecter';
const KINDS: readonly Kind[] = ['pair', 'rejecter'];

function partitionOf(hash: number): number {
	return ((hash ^ (hash >>> 15)) >>> 0) % PARTITIONS;
}

/**
 * Each record of a file, read through `buffer` (reused: memory holds it, not the file; at least
 * RECORD_BYTES long), as where it starts and where its key of `texts` texts ends; `values` doubles
 * follow the key.
 */
export function forEachRecord(
	file: string,
	buffer: Buffer,
	texts: number,
	values: number,
	visit: (data: Buffer, start: number, keyEnd: number) => void,
): void {
	const fd = openSync(file, 'r');
	try {
		let filled = 0;
		let at = 0;
		let ended = false;
		for (;;) {
			if (!ended && filled - at < RECORD_BYTES) {
				buffer.copy(buffer, 0, at, filled);
				filled -= at;
				at = 0;
				while (!ended && filled < buffer.length) {
					const read = readSync(fd, buffer, filled, buffer.length - filled, null);
					ended = read === 0;
					filled += read;
				}
			}

			if (at >= filled) {
				return;
			}

			let keyEnd = at;
			for (let text = 0; text < texts; text++) {
				keyEnd += 2 + buffer.readUInt16LE(keyEnd);
			}

			visit(buffer, at, keyEnd);
			at = keyEnd + values * 8;
		}
	} finally {
		closeSync(fd);
	}
}

/** Where spilled sums go: a directory made on first use, and this writer's name, unique in it. */
export interface SpillPlace {
	readonly directory: () => string;
	readonly writer: string;
}

/**
 * Records are binary: each text of the key as a 16-bit length and its Latin-1 bytes (addresses are
 * ASCII), then three sums (bytes, packets, records) as doubles, and for a rejecter its latest end.
 */
export class FoldedSpill {
	/** Every file holding this store's spilled sums: its own and those of the ranges it absorbed. */
	private readonly files = new Set<string>();
	/** Made on first use: most stores never spill. */
	private readonly buffers: Buffer[] = [];
	private readonly used = new Int32Array(KINDS.length * PARTITIONS);

	constructor(
		private readonly place: SpillPlace,
		private readonly strings: Interner,
	) {}

	/** Add a folded conversation's sums, by the interned ids of its addresses (-1 for none). */
	add(src: number, dst: number, rejected: boolean, bytes: number, packets: number, flows: number, last: number): void {
		if (src < 0) {
			return;
		}

		const source = this.strings.text(src);
		const sourceHash = hashText(source);
		if (dst >= 0) {
			const destination = this.strings.text(dst);
			const at = this.room(0, partitionOf(Math.imul(sourceHash, 31) ^ hashText(destination)));
			this.put(at, [source, destination], [bytes, packets, flows]);
		}

		if (rejected) {
			this.put(this.room(1, partitionOf(sourceHash)), [source], [bytes, packets, flows, last]);
		}
	}

	/** Write out what is buffered: before the interned ids it was added by change. */
	flush(): void {
		for (let index = 0; index < this.used.length; index++) {
			if (this.used[index]! > 0) {
				this.flushBuffer(index);
			}
		}
	}

	/** The files to hand to the store that absorbs this one (another range of the same file). */
	all(): string[] {
		return [...this.files];
	}

	/** Read another writer's files as this store's own: they hold the sums of a range it absorbed. */
	adopt(files: readonly string[]): void {
		for (const file of files) {
			this.files.add(file);
		}
	}

	/** Each spilled pair with its whole spilled sums, one partition in memory at a time. */
	forEachPair(visit: (src: string, dst: string, bytes: number, packets: number, flows: number) => void): void {
		this.forEachKey(0, (texts, sums, at) => {
			visit(texts[0]!, texts[1]!, sums[at]!, sums[at + 1]!, sums[at + 2]!);
		});
	}

	/** Each source with spilled rejected records, with their whole spilled sums and latest end. */
	forEachRejecter(visit: (src: string, bytes: number, packets: number, flows: number, last: number) => void): void {
		this.forEachKey(1, (texts, sums, at) => {
			visit(texts[0]!, sums[at]!, sums[at + 1]!, sums[at + 2]!, sums[at + 3]!);
		});
	}

	/** Sum each key of one partition at a time; `sums` holds a key's values from `at` on. */
	private forEachKey(kind: number, visit: (texts: string[], sums: Float64Array, at: number) => void): void {
		const texts = kind === 0 ? 2 : 1;
		const values = kind === 0 ? 3 : 4;
		const buffer = Buffer.allocUnsafe(READ_BYTES);
		const table = new ByteKeySums(values);
		for (let partition = 0; partition < PARTITIONS; partition++) {
			const suffix = this.suffix(kind, partition);
			table.clear();
			for (const file of this.files) {
				if (!file.endsWith(suffix)) {
					continue;
				}

				forEachRecord(file, buffer, texts, values, (data, start, keyEnd) => {
					const at = table.entry(data, start, keyEnd) * values;
					const {sums} = table;
					for (let value = 0; value < values; value++) {
						const number = data.readDoubleLE(keyEnd + value * 8);
						// Ends are times since 1970: a latest end is never below the 0 it starts at.
						sums[at + value] = value < 3 ? sums[at + value]! + number : Math.max(sums[at + value]!, number);
					}
				});
			}

			const {arena, keyStart, sums} = table;
			for (let entry = 0; entry < table.size; entry++) {
				const decoded: string[] = [];
				for (let at = keyStart[entry]!; decoded.length < texts; ) {
					const length = arena.readUInt16LE(at);
					decoded.push(arena.toString('latin1', at + 2, at + 2 + length));
					at += 2 + length;
				}

				visit(decoded, sums, entry * values);
			}
		}
	}

	private suffix(kind: number, partition: number): string {
		return `-${KINDS[kind]}-${partition}`;
	}

	/** The buffer index for a record of `kind` in `partition`, written out first when it is nearly full. */
	private room(kind: number, partition: number): number {
		const index = kind * PARTITIONS + partition;
		if (this.used[index]! + RECORD_BYTES > BUFFER_BYTES) {
			this.flushBuffer(index);
		}

		return index;
	}

	private put(index: number, texts: readonly string[], values: readonly number[]): void {
		this.buffers[index] ??= Buffer.allocUnsafe(BUFFER_BYTES);
		const buffer = this.buffers[index];
		let at = this.used[index]!;
		for (const text of texts) {
			const length = buffer.write(text, at + 2, 255, 'latin1');
			buffer.writeUInt16LE(length, at);
			at += 2 + length;
		}

		for (const value of values) {
			at = buffer.writeDoubleLE(value, at);
		}

		this.used[index] = at;
	}

	private flushBuffer(index: number): void {
		const file = join(
			this.place.directory(),
			`${this.place.writer}${this.suffix(Math.floor(index / PARTITIONS), index % PARTITIONS)}`,
		);
		try {
			appendFileSync(file, this.buffers[index]!.subarray(0, this.used[index]!));
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			throw new UserError(
				code === 'ENOSPC'
					? `cannot write ${file}: the disk is full. Past the memory bound flowtop keeps the sums it summarized on disk; free some space there or set TMPDIR to a directory with room`
					: `cannot write ${file}: ${(error as Error).message}. Past the memory bound flowtop keeps the sums it summarized on disk; set TMPDIR to a directory it can write`,
			);
		}

		this.used[index] = 0;
		this.files.add(file);
	}
}
