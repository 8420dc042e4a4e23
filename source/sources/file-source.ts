import {open, stat} from 'node:fs/promises';
import {createReadStream} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';
import {setTimeout as sleep} from 'node:timers/promises';
import {createGunzip} from 'node:zlib';
import {pipeline} from 'node:stream/promises';
import {Readable} from 'node:stream';
import type {FlowLogDecoder, MessageParser} from '../flowlog/decoder.js';
import {describeFileError, usageError, UserError} from '../errors.js';

export interface FileSourceOptions<T> {
	/** A path, or `-` for standard input. */
	readonly path: string;
	readonly decoder: FlowLogDecoder;
	readonly parse: MessageParser<T>;
	/** Once per chunk of input (thousands of records), never per record; reading waits for a returned promise. */
	readonly onBatch: (items: T[]) => void | Promise<void>;
	/** Keep reading as the file grows, like `tail -f`; a truncated file is read again from the top. */
	readonly follow?: boolean;
	readonly signal?: AbortSignal;
	/** How often a followed file is checked for growth. */
	readonly pollMilliseconds?: number;
	/** A followed file has been read to its current end (called each time it catches up). */
	readonly onCaughtUp?: () => void;
	/** Bytes [start, end) of a plain file only: one thread's share of it. Starts at a line. */
	readonly range?: {readonly start: number; readonly end: number};
	/** Standard input, replaceable in tests. */
	readonly stdin?: AsyncIterable<Uint8Array>;
}

const CHUNK_BYTES = 1 << 20;

function isGzip(chunk: Uint8Array): boolean {
	return chunk.length >= 2 && chunk[0] === 0x1F && chunk[1] === 0x8B;
}

/** Splits decoded text into lines and hands each to the decoder, keeping a partial last line. */
class LineSplitter<T> {
	private readonly text = new StringDecoder('utf8');
	private rest = '';

	constructor(private readonly options: FileSourceOptions<T>) {}

	async push(chunk: Uint8Array): Promise<void> {
		await this.lines(this.text.write(chunk as Buffer), false);
	}

	/** The input ended (for now): a last line without a newline is still a line. */
	async flush(): Promise<void> {
		await this.lines(this.text.end(), true);
	}

	reset(): void {
		this.text.end();
		this.rest = '';
	}

	// The chunk is parsed where it lies: gluing the previous chunk's tail onto it would make a
	// rope string that every character read has to walk through. Only the one line that straddles
	// two chunks is glued.
	private async lines(chunk: string, final: boolean): Promise<void> {
		const out: T[] = [];
		const {decoder, parse} = this.options;
		let start = 0;
		let newline = chunk.indexOf('\n');
		if (this.rest !== '') {
			if (newline === -1 && !final) {
				this.rest += chunk;
				return;
			}

			const line = this.rest + (newline === -1 ? chunk : chunk.slice(0, newline));
			this.rest = '';
			decoder.decode(line, 0, line.length, parse, out);
			start = newline === -1 ? chunk.length : newline + 1;
			newline = newline === -1 ? -1 : chunk.indexOf('\n', start);
		}

		for (; newline !== -1; newline = chunk.indexOf('\n', start)) {
			decoder.decode(chunk, start, newline, parse, out);
			start = newline + 1;
		}

		if (start < chunk.length) {
			if (final) {
				decoder.decode(chunk, start, chunk.length, parse, out);
			} else {
				this.rest = chunk.slice(start);
			}
		}

		if (out.length > 0) {
			await this.options.onBatch(out);
		}
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
		await pipeline(
			Readable.from((async function * () {
				yield first.value;
				yield * rest;
			})()),
			createGunzip({chunkSize: CHUNK_BYTES}),
			async (gunzipped: AsyncIterable<Uint8Array>) => {
				for await (const chunk of gunzipped) {
					await splitter.push(chunk);
				}
			},
		);
	} else {
		await splitter.push(first.value);
		for await (const chunk of rest) {
			await splitter.push(chunk);
		}
	}

	await splitter.flush();
}

async function followFile<T>(path: string, splitter: LineSplitter<T>, options: FileSourceOptions<T>): Promise<void> {
	const handle = await open(path, 'r');
	try {
		const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
		let position = 0;
		let caughtUp = false;
		while (!options.signal?.aborted) {
			const {bytesRead} = await handle.read(buffer, 0, buffer.length, position);
			if (bytesRead > 0) {
				if (position === 0 && isGzip(buffer.subarray(0, bytesRead))) {
					throw usageError(`--follow reads plain text, and ${path} is gzip-compressed: drop --follow or decompress it first`);
				}

				position += bytesRead;
				await splitter.push(buffer.subarray(0, bytesRead));
				continue;
			}

			// The file as it stood when we started was written whole; later appends arrive a line at a time.
			if (!caughtUp) {
				await splitter.flush();
				caughtUp = true;
			}

			options.onCaughtUp?.();

			try {
				await sleep(options.pollMilliseconds ?? 250, undefined, {signal: options.signal});
			} catch {
				return;
			}

			const {size} = await stat(path);
			if (size < position) {
				position = 0;
				splitter.reset();
			}
		}
	} finally {
		await handle.close();
	}
}

function readError(path: string, error: unknown): unknown {
	if (error instanceof UserError) {
		return error;
	}

	const code = (error as NodeJS.ErrnoException).code;
	if (code?.startsWith('Z_')) {
		return new UserError(`cannot read ${path}: it starts like gzip but is not valid gzip (${(error as Error).message})`);
	}

	return code === undefined ? error : describeFileError(path, error);
}

/** Read a flow-log file or standard input, plain or gzip (told by its first bytes), as a stream. */
export async function readFlowLog<T>(options: FileSourceOptions<T>): Promise<void> {
	const splitter = new LineSplitter(options);
	const {path} = options;
	try {
		if (path === '-') {
			await readStream(options.stdin ?? (process.stdin as AsyncIterable<Uint8Array>), splitter);
		} else if ((await stat(path)).isDirectory()) {
			throw describeFileError(path, Object.assign(new Error('directory'), {code: 'EISDIR'}));
		} else if (options.follow) {
			await followFile(path, splitter, options);
		} else {
			const {range} = options;
			const bounds = range ? {start: range.start, end: range.end - 1} : {};
			await readStream(createReadStream(path, {highWaterMark: CHUNK_BYTES, signal: options.signal, ...bounds}), splitter);
		}
	} catch (error) {
		if ((error as Error).name === 'AbortError') {
			return;
		}

		throw readError(path === '-' ? 'standard input' : path, error);
	}
}
