import {FlowLogDecoder, type ParseStats} from '../flowlog/decoder.js';
import {FlowColumns} from '../flowlog/flow-columns.js';
import type {FlowFormat} from '../flowlog/format.js';
import {FlowStore, type StoreOptions, type StorePart} from '../engine/store.js';
import {readFlowLog} from './file-source.js';

/** One thread's share of a plain file: bytes [start, end), starting at a line. */
export interface RangeJob {
	readonly path: string;
	readonly start: number;
	readonly end: number;
	/** The format in force where the range starts. */
	readonly format: FlowFormat;
	/** This range's share of the store's memory bound, so the merged store keeps to the whole. */
	readonly maxFlows: number;
	/** The directory every range spills its folded sums to, past its share of the bound. */
	readonly spillDirectory: string;
}

/** What a worker sends back: its store as plain data, columns transferred. */
export interface RangeResult {
	readonly part: StorePart;
	readonly stats: Pick<ParseStats, 'malformed' | 'headers' | 'byReason' | 'samples'>;
	readonly lines: number;
	/** Header lines that switched the format: the ranges after this one were read in the wrong one. */
	readonly formatChanges: number;
}

export interface StoreRead {
	readonly store: FlowStore;
	readonly decoder: FlowLogDecoder;
}

/** Read a file, stdin or one range of a file into a store of its own: what `--once` reports on. */
export async function readIntoStore(
	path: string,
	format: FlowFormat | undefined,
	store: StoreOptions,
	range?: {readonly start: number; readonly end: number} | undefined,
): Promise<StoreRead> {
	const read = {store: new FlowStore(store), decoder: new FlowLogDecoder(format)};
	await readFlowLog({
		path,
		range,
		decoder: read.decoder,
		into: new FlowColumns(),
		onColumns: batch => read.store.addColumns(batch),
	});
	return read;
}

/** One thread's range, read as `--once` reads a whole file. */
export async function readRange(job: RangeJob): Promise<StoreRead> {
	return readIntoStore(
		job.path,
		job.format,
		{
			windowSeconds: Number.POSITIVE_INFINITY,
			maxFlows: job.maxFlows,
			spill: {directory: () => job.spillDirectory, writer: `range-${job.start}`},
		},
		job,
	);
}

export function rangeResult({store, decoder}: StoreRead): RangeResult {
	const {malformed, headers, byReason, samples} = decoder.stats;
	return {
		part: store.part(),
		stats: {malformed, headers, byReason, samples},
		lines: decoder.lines,
		formatChanges: decoder.formatChanges,
	};
}
