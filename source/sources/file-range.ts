import {FlowLogDecoder, parseRecord, type ParseStats} from '../flowlog/decoder.js';
import type {FlowFormat} from '../flowlog/format.js';
import {FlowStore, type StorePart} from '../engine/store.js';
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
}

/** What a worker sends back: its store as plain data, columns transferred. */
export interface RangeResult {
	readonly part: StorePart;
	readonly stats: Pick<ParseStats, 'malformed' | 'headers' | 'byReason' | 'samples'>;
	readonly lines: number;
	/** Header lines that switched the format: the ranges after this one were read in the wrong one. */
	readonly formatChanges: number;
}

/** Read a range into a store of its own, as `--once` reads a whole file. */
export async function readRange(job: RangeJob): Promise<{store: FlowStore; decoder: FlowLogDecoder}> {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: job.maxFlows});
	const decoder = new FlowLogDecoder(job.format);
	await readFlowLog({path: job.path, range: job, decoder, parse: parseRecord, onBatch: records => store.add(records)});
	return {store, decoder};
}

export function rangeResult({store, decoder}: {store: FlowStore; decoder: FlowLogDecoder}): RangeResult {
	const {malformed, headers, byReason, samples} = decoder.stats;
	return {part: store.part(), stats: {malformed, headers, byReason, samples}, lines: decoder.lines, formatChanges: decoder.formatChanges};
}
