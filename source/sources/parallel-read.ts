import {existsSync} from 'node:fs';
import {open} from 'node:fs/promises';
import {Worker} from 'node:worker_threads';
import {FlowLogDecoder, parseRecord} from '../flowlog/decoder.js';
import {DEFAULT_FORMAT, type FlowFormat} from '../flowlog/format.js';
import {FlowStore} from '../engine/store.js';
import type {SpillDirectory} from '../spill-directory.js';
import {readRange, type RangeJob, type RangeResult, type StoreRead} from './file-range.js';

/**
 * `--once` over a large plain file on several cores: the file is cut into ranges at line starts,
 * each read into a FlowStore of its own (the first on this thread, the others in workers), and
 * the stores are merged in file order. Reading and aggregating is most of the time `--once`
 * takes, and it parallelises cleanly; the merge costs a pass over the conversations, not the records.
 */

// Below this a worker's start-up (tens of milliseconds) buys little.
export const MIN_PARALLEL_BYTES = 16 << 20;
const PROBE_BYTES = 64 << 10;

export interface ParallelRead extends StoreRead {
	/** Threads that read it, the first range on this one. */
	readonly threads: number;
}

/**
 * The worker's code: the bundle's second entry, dist/range-worker.js (shared code sits in
 * dist/chunks/). Run from the TypeScript sources there is none, and a file is read on one thread.
 */
function workerScript(): URL | undefined {
	return [new URL('range-worker.js', import.meta.url), new URL('../range-worker.js', import.meta.url)].find(candidate =>
		existsSync(candidate),
	);
}

function inWorker(job: RangeJob, script: URL): Promise<RangeResult> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(script, {workerData: job});
		worker.once('message', resolve);
		worker.once('error', reject);
		worker.once('exit', code => {
			reject(new Error(`range worker exited with code ${code}`));
		});
	});
}

interface Layout {
	readonly size: number;
	/** The format in force after the file's first line (a header names it). */
	readonly format: FlowFormat;
	/** Where each range starts: about size/threads apart, moved on to the next line start. */
	readonly starts: number[];
}

/** How to cut the file, or why it is read in one pass. */
async function plan(path: string, threads: number, format: FlowFormat): Promise<Layout | string> {
	const handle = await open(path, 'r');
	try {
		const {size} = await handle.stat();
		if (size < MIN_PARALLEL_BYTES) {
			return `smaller than ${MIN_PARALLEL_BYTES >> 20} MiB`;
		}

		const probe = Buffer.alloc(PROBE_BYTES);
		const {bytesRead} = await handle.read(probe, 0, PROBE_BYTES, 0);
		if (probe[0] === 0x1f && probe[1] === 0x8b) {
			return 'gzip is one stream, it cannot be entered in the middle';
		}

		if (probe.subarray(0, 4).toString('latin1') === 'PAR1') {
			return 'Parquet is read by row group, not by byte range';
		}

		const newline = probe.subarray(0, bytesRead).indexOf(0x0a);
		const firstLine = probe.subarray(0, newline === -1 ? bytesRead : newline).toString('utf8');
		const decoder = new FlowLogDecoder(format);
		decoder.decode(firstLine, 0, firstLine.length, parseRecord, []);
		const starts = [0];
		for (let k = 1; k < threads; k++) {
			const offset = Math.floor((size * k) / threads);
			const {bytesRead: read} = await handle.read(probe, 0, PROBE_BYTES, offset);
			const newline = probe.subarray(0, read).indexOf(0x0a);
			const start = offset + newline + 1;
			if (newline !== -1 && start < size && start > starts.at(-1)!) {
				starts.push(start);
			}
		}

		return starts.length < 2 ? 'no line breaks to cut it at' : {size, format: decoder.format, starts};
	} finally {
		await handle.close();
	}
}

/**
 * Read a plain file on `threads` threads into one store, or say why it has to be read in one
 * pass instead: too small, gzip, no worker code at hand, a worker failed, or a header line
 * changes the format mid-file (a range cannot know the format its start is in).
 */
export async function readInParallel(
	path: string,
	format: FlowFormat | undefined,
	threads: number,
	spill: SpillDirectory,
): Promise<ParallelRead | string> {
	const script = workerScript();
	if (!script) {
		return 'no worker code beside the program (run from the TypeScript sources)';
	}

	// What cannot be opened or read here is left to the one pass, which says what is wrong with it.
	const layout = await plan(path, threads, format ?? DEFAULT_FORMAT).catch((error: Error) => error.message);
	if (typeof layout === 'string') {
		return layout;
	}

	// Each range keeps its share of the memory bound, so the merged store keeps to the whole.
	const bound = new FlowStore().flowLimit;
	const jobs = layout.starts.map(
		(start, k): RangeJob => ({
			path,
			start,
			end: layout.starts[k + 1] ?? layout.size,
			format: layout.format,
			maxFlows: Math.floor(bound / layout.starts.length),
			spillDirectory: spill.path,
		}),
	);
	let first: StoreRead;
	let rest: RangeResult[];
	try {
		[first, ...rest] = await Promise.all([
			readRange(jobs[0]!),
			...jobs.slice(1).map(async job => inWorker(job, script)),
		]);
	} catch (error) {
		return `a range failed: ${(error as Error).message}`;
	}

	if (first.decoder.formatChanges > 0 || rest.some(result => result.formatChanges > 0)) {
		return 'a header line changes the format mid-file';
	}

	const {store, decoder} = first;
	store.raiseFlowLimit(bound);
	let lines = decoder.lines;
	for (const result of rest) {
		store.absorb(result.part);
		decoder.stats.absorb(result.stats, lines);
		lines += result.lines;
	}

	return {store, decoder, threads: jobs.length};
}
