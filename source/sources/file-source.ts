import {open, stat, type FileHandle} from 'node:fs/promises';
import {createReadStream, type Stats} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import {setTimeout as sleep} from 'node:timers/promises';
import {createGunzip} from 'node:zlib';
import {pipeline} from 'node:stream/promises';
import {addAbortSignal, Readable} from 'node:stream';
import type {FlowLogDecoder, MessageParser} from '../flowlog/decoder.js';
import type {FlowColumns} from '../flowlog/flow-columns.js';
import {describeFileError, usageError, UserError} from '../errors.js';
import {isParquetFile, parquetFilesUnder} from './parquet-files.js';

/** Lines as results of `parse` (records, field maps), handed on in arrays. */
interface ToResults<T> {
	readonly parse: MessageParser<T>;
	/** Once per chunk of input (thousands of records), never per record; reading waits for a returned promise. */
	readonly onBatch: (items: T[]) => void | Promise<void>;
	readonly into?: undefined;
}

/** Lines straight into columns, with no object per record: what a store sums. */
interface ToColumns {
	/** Filled for each chunk of input and handed to onColumns, then cleared for the next. */
	readonly into: FlowColumns;
	readonly onColumns: (batch: FlowColumns) => void;
}

export type FileSourceOptions<T> = ReadOptions & (ToResults<T> | ToColumns);

interface ReadOptions {
	/** A path, or `-` for standard input. */
	readonly path: string;
	readonly decoder: FlowLogDecoder;
	/** Keep reading as the file grows, like `tail -F`: through rotation, truncation and re-creation. */
	readonly follow?: boolean | undefined;
	readonly signal?: AbortSignal;
	/** How often a followed file is checked for growth. */
	readonly pollMilliseconds?: number;
	/** A followed file has been read to its current end (called each time it catches up). */
	readonly onCaughtUp?: () => void;
	/** Bytes [start, end) of a plain file only: one thread's share of it. Starts at a line. */
	readonly range?: {readonly start: number; readonly end: number} | undefined;
	/** Standard input, replaceable in tests. */
	readonly stdin?: AsyncIterable<Uint8Array> | undefined;
	/** Longer lines are counted malformed unread (MAX_LINE_CHARACTERS unless a test lowers it). */
	readonly maxLineCharacters?: number;
}

const CHUNK_BYTES = 1 << 20;

function isGzip(chunk: Uint8Array): boolean {
	return chunk.length >= 2 && chunk[0] === 0x1f && chunk[1] === 0x8b;
}

/** A line longer than this is counted malformed and skipped, never held whole: flow-log lines are
 * hundreds of bytes, a CloudWatch subscription envelope at most about a megabyte. */
export const MAX_LINE_CHARACTERS = 4 << 20;

/**
 * Splits decoded text into lines and hands each to the decoder, keeping a partial last line. A line
 * past the length limit is counted malformed from its first characters while the rest of it is
 * read past, so memory stays bounded whatever the input (a gigabyte of zeros has no newline).
 */
class LineSplitter<T> {
	private text = new StringDecoder('utf8');
	private rest = '';
	/** The chunk's results, when lines become results rather than columns. */
	private results: T[] = [];
	/** Inside an over-long line: its first characters, for the sample; the rest is dropped. */
	private skipping: string | undefined;
	private readonly limit: number;

	constructor(private readonly options: FileSourceOptions<T>) {
		this.limit = options.maxLineCharacters ?? MAX_LINE_CHARACTERS;
	}

	async push(chunk: Uint8Array): Promise<void> {
		await this.lines(this.text.write(chunk as Buffer), false);
	}

	/** The input ended: a last line without a newline is still a line. */
	async flush(): Promise<void> {
		await this.lines(this.text.end(), true);
		this.text = new StringDecoder('utf8');
	}

	/** Forget a partial line: the file it came from was truncated. */
	reset(): void {
		this.text = new StringDecoder('utf8');
		this.rest = '';
		this.skipping = undefined;
	}

	private overlong(head: string): void {
		this.options.decoder.overlong(head, this.limit);
	}

	// The chunk is parsed where it lies: gluing the previous chunk's tail onto it would make a
	// rope string that every character read has to walk through. Only the one line that straddles
	// two chunks is glued.
	private async lines(chunk: string, final: boolean): Promise<void> {
		const {limit} = this;
		let start = 0;
		let newline = chunk.indexOf('\n');
		if (this.skipping !== undefined) {
			if (newline === -1 && !final) {
				return;
			}

			this.overlong(this.skipping);
			this.skipping = undefined;
			start = newline === -1 ? chunk.length : newline + 1;
			newline = newline === -1 ? -1 : chunk.indexOf('\n', start);
		} else if (this.rest !== '') {
			const length = this.rest.length + (newline === -1 ? chunk.length : newline);
			if (length > limit) {
				if (newline === -1 && !final) {
					this.skipping = this.rest.slice(0, 200);
					this.rest = '';
					return;
				}

				this.overlong(this.rest.slice(0, 200));
			} else if (newline === -1 && !final) {
				this.rest += chunk;
				return;
			} else {
				const line = this.rest + (newline === -1 ? chunk : chunk.slice(0, newline));
				this.take(line, 0, line.length);
			}

			this.rest = '';
			start = newline === -1 ? chunk.length : newline + 1;
			newline = newline === -1 ? -1 : chunk.indexOf('\n', start);
		}

		for (; newline !== -1; newline = chunk.indexOf('\n', start)) {
			if (newline - start > limit) {
				this.overlong(chunk.slice(start, start + 200));
			} else {
				this.take(chunk, start, newline);
			}

			start = newline + 1;
		}

		if (start < chunk.length) {
			if (chunk.length - start > limit) {
				if (final) {
					this.overlong(chunk.slice(start, start + 200));
				} else {
					this.skipping = chunk.slice(start, start + 200);
				}
			} else if (final) {
				this.take(chunk, start, chunk.length);
			} else {
				this.rest = chunk.slice(start);
			}
		}

		await this.handOn();
	}

	private take(text: string, start: number, end: number): void {
		const {options} = this;
		if (options.into) {
			options.decoder.decodeInto(text, start, end, options.into);
		} else {
			options.decoder.decode(text, start, end, options.parse, this.results);
		}
	}

	/** What the chunk's lines held, to the reader's callback. */
	private async handOn(): Promise<void> {
		const {results} = this;
		this.results = [];
		await handOn(this.options, results);
	}
}

/** What a chunk of input held, to the reader's callback: the batch of columns, or the results. */
async function handOn<T>(options: FileSourceOptions<T>, results: T[]): Promise<void> {
	if (options.into) {
		if (options.into.size > 0) {
			options.onColumns(options.into);
			options.into.clear();
		}
	} else if (results.length > 0) {
		await options.onBatch(results);
	}
}

async function readStream<T>(stream: AsyncIterable<Uint8Array>, splitter: LineSplitter<T>): Promise<void> {
	const iterator = stream[Symbol.asyncIterator]();
	const first = await iterator.next();
	if (first.done) {
		return;
	}

	const rest = {[Symbol.asyncIterator]: () => iterator};
	if (isGzip(first.value)) {
		const gunzip = createGunzip({chunkSize: CHUNK_BYTES});
		const feeding = pipeline(
			Readable.from(
				(async function* () {
					yield first.value;
					yield* rest;
				})(),
			),
			gunzip,
		);
		// The lines are read here rather than as a pipeline's last stage: there, a failure in them
		// came back as the AbortError of the stages it tore down, and passed for a cancel.
		try {
			for await (const chunk of gunzip) {
				await splitter.push(chunk as Uint8Array);
			}
		} catch (error) {
			feeding.catch(() => {});
			throw error;
		}

		await feeding;
	} else {
		await splitter.push(first.value);
		for await (const chunk of rest) {
			await splitter.push(chunk);
		}
	}

	await splitter.flush();
}

interface Identity {
	readonly dev: number;
	readonly ino: number;
}

function sameFile(a: Identity, b: Identity): boolean {
	return a.dev === b.dev && a.ino === b.ino;
}

/** The file now at `path`, or undefined while there is none (between a rotation's rename and the new file). */
async function statOrMissing(path: string): Promise<Stats | undefined> {
	try {
		return await stat(path);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw error;
	}
}

/**
 * Follow a file the way `tail -F` does. Bytes are read from the open handle, so a file renamed away
 * (rotation) is read to its end and never again; the file then found at the path (by its inode) is
 * read from its start. A file that shrinks in place was truncated: read it again from the top.
 * A line is handed on only once its newline is written, so a follow that starts mid-write, or
 * catches the writer between two writes, never splits a record.
 */
async function followFile<T>(path: string, splitter: LineSplitter<T>, options: FileSourceOptions<T>): Promise<void> {
	const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
	let handle: FileHandle | undefined = await open(path, 'r');
	let identity: Identity = await handle.stat();
	let position = 0;
	const drain = async (): Promise<void> => {
		for (;;) {
			const {bytesRead} = await handle!.read(buffer, 0, buffer.length, position);
			if (bytesRead === 0) {
				return;
			}

			if (position === 0 && isGzip(buffer.subarray(0, bytesRead))) {
				throw usageError(
					`--follow reads plain text, and ${path} is gzip-compressed: drop --follow or decompress it first`,
				);
			}

			position += bytesRead;
			await splitter.push(buffer.subarray(0, bytesRead));
		}
	};

	try {
		while (!options.signal?.aborted) {
			if (handle) {
				await drain();
			}

			options.onCaughtUp?.();

			try {
				await sleep(options.pollMilliseconds ?? 250, undefined, {signal: options.signal});
			} catch {
				return;
			}

			const now = await statOrMissing(path);
			if (handle && now && sameFile(now, identity)) {
				if (now.size < position) {
					position = 0;
					splitter.reset();
				}

				continue;
			}

			if (handle) {
				// Renamed or deleted: what was written to it before that still counts, once.
				await drain();
				await splitter.flush();
				await handle.close();
				handle = undefined;
			}

			if (now) {
				handle = await open(path, 'r');
				identity = await handle.stat();
				position = 0;
			}
		}
	} finally {
		await handle?.close();
	}
}

function readError(path: string, error: unknown): unknown {
	if (error instanceof UserError) {
		return error;
	}

	const code = (error as NodeJS.ErrnoException).code;
	if (code?.startsWith('Z_')) {
		return new UserError(
			`cannot read ${path}: it starts like gzip but is not valid gzip (${(error as Error).message})`,
		);
	}

	return code === undefined
		? new UserError(`reading ${path} stopped: ${(error as Error).message}`)
		: describeFileError(path, error);
}

// Rows of a row group handed on at a time: about what a chunk of text holds.
const BATCH_ROWS = 8192;

/** Parquet files, one after the other, each a table of typed columns read a row group at a time. */
async function readParquet<T>(files: readonly string[], options: FileSourceOptions<T>): Promise<void> {
	const {openParquetTable} = await import('./parquet-tables.js');
	const {decoder} = options;
	for (const file of files) {
		const table = await openParquetTable(file);
		decoder.beginTable(table.fields);
		for await (const {columns, rows} of table.groups) {
			for (let from = 0; from < rows; from += BATCH_ROWS) {
				options.signal?.throwIfAborted();
				const to = Math.min(rows, from + BATCH_ROWS);
				const results: T[] = [];
				if (options.into) {
					decoder.decodeRowsInto(columns, from, to, options.into);
				} else {
					decoder.decodeRows(columns, from, to, options.parse, results);
				}

				await handOn(options, results);
			}
		}
	}
}

async function readPath<T>(path: string, splitter: LineSplitter<T>, options: FileSourceOptions<T>): Promise<void> {
	const info = await stat(path);
	if (info.isDirectory()) {
		if (options.follow) {
			throw usageError(`--follow reads one plain-text file, and ${path} is a directory: drop --follow`);
		}

		const files = await parquetFilesUnder(path);
		if (files.length === 0) {
			throw describeFileError(path, Object.assign(new Error('directory'), {code: 'EISDIR'}));
		}

		await readParquet(files, options);
		return;
	}

	if (info.isFile() && (await isParquetFile(path))) {
		if (options.follow) {
			throw usageError(`--follow reads plain text, and ${path} is Parquet: drop --follow`);
		}

		await readParquet([path], options);
		return;
	}

	// A pipe has no offsets to poll: it is followed by reading it as the stream it is.
	if (options.follow && info.isFile()) {
		await followFile(path, splitter, options);
		return;
	}

	if (info.isFile()) {
		await readRegularFile(path, splitter, options);
		return;
	}

	await readStream(createReadStream(path, {highWaterMark: CHUNK_BYTES, signal: options.signal}), splitter);
}

/**
 * A regular file, or the range of it given, read into one buffer used again for every chunk. A
 * stream hands out a new megabyte per chunk, and the spent ones are freed only when a garbage
 * collection happens to come, which reading into typed arrays seldom prompts: over a large file
 * they piled up to tens of megabytes of peak memory that the allocator kept after they were freed.
 * Gzip is still read as a stream, through the decompressor.
 */
async function readRegularFile<T>(
	path: string,
	splitter: LineSplitter<T>,
	options: FileSourceOptions<T>,
): Promise<void> {
	const {range, signal} = options;
	const end = range?.end ?? Number.POSITIVE_INFINITY;
	const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
	const handle = await open(path, 'r');
	try {
		let position = range?.start ?? 0;
		const read = async () => (await handle.read(buffer, 0, Math.min(CHUNK_BYTES, end - position), position)).bytesRead;
		let bytesRead = await read();
		if (isGzip(buffer.subarray(0, bytesRead))) {
			await readStream(
				handle.createReadStream({highWaterMark: CHUNK_BYTES, autoClose: false, start: position, signal}),
				splitter,
			);
			return;
		}

		while (bytesRead > 0) {
			signal?.throwIfAborted();
			position += bytesRead;
			await splitter.push(buffer.subarray(0, bytesRead));
			bytesRead = await read();
		}

		await splitter.flush();
	} finally {
		await handle.close();
	}
}

/** Read a flow-log file or standard input, plain or gzip (told by its first bytes), as a stream. */
export async function readFlowLog<T>(options: FileSourceOptions<T>): Promise<void> {
	const splitter = new LineSplitter(options);
	const {path} = options;
	try {
		if (path === '-') {
			const stdin = options.stdin ?? process.stdin;
			// A writer that keeps the pipe open without writing (`tail -f x | flowtop --file - --follow`)
			// leaves a read waiting for ever: the cancel ends it, so that quitting does not wait too.
			if (options.signal && stdin instanceof Readable) {
				addAbortSignal(options.signal, stdin);
			}

			await readStream(stdin as AsyncIterable<Uint8Array>, splitter);
		} else {
			await readPath(path, splitter, options);
		}
	} catch (error) {
		// Only our own cancel is a normal end: a failure anywhere in a pipeline reaches us as an
		// AbortError too, and taking it for a cancel once lost data with exit 0.
		if (options.signal?.aborted) {
			return;
		}

		throw readError(path === '-' ? 'standard input' : path, error);
	}
}
