import {parentPort, workerData} from 'node:worker_threads';
import {partBuffers} from '../engine/store.js';
import {rangeResult, readRange, type RangeJob} from './file-range.js';

// A worker thread of parallel-read.ts: reads its range and sends the store back, columns transferred.
const result = rangeResult(await readRange(workerData as RangeJob));
parentPort!.postMessage(result, partBuffers(result.part));
