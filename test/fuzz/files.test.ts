import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {gzipSync} from 'node:zlib';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FlowStore} from '../../source/engine/store.js';
import {computeViews, REPORT_SECTIONS} from '../../source/engine/views.js';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {FlowLogDecoder, parseRecord} from '../../source/flowlog/decoder.js';
import {readFlowLog} from '../../source/sources/file-source.js';
import {fileLines, LINE_LIMIT, type Line} from './lines.js';
import {fuzz} from './settings.js';

let directory = '';
beforeAll(async () => {
	directory = await mkdtemp(join(tmpdir(), 'flowtop-fuzz-'));
});
afterAll(async () => {
	await rm(directory, {recursive: true, force: true});
});

type Delivery = 'plain file' | 'gzip file' | 'stdin in pieces';

/** Read lines delivered one way into a store, as `--once` does. */
async function read(
	lines: readonly Line[],
	delivery: Delivery,
	cuts: readonly number[],
): Promise<{store: FlowStore; decoder: FlowLogDecoder}> {
	const bytes = Buffer.from(lines.map(line => line.text).join('\n'));
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	const decoder = new FlowLogDecoder();
	let path = '-';
	let stdin: Readable | undefined;
	if (delivery === 'stdin in pieces') {
		const at = [...new Set(cuts.map(cut => cut % (bytes.length + 1)))].sort((a, b) => a - b);
		stdin = Readable.from(
			[0, ...at].map((start, k) => bytes.subarray(start, at[k] ?? bytes.length)).filter(piece => piece.length > 0),
		);
	} else {
		path = join(directory, delivery === 'gzip file' ? 'flows.gz' : 'flows.log');
		await writeFile(path, delivery === 'gzip file' ? gzipSync(bytes) : bytes);
	}

	await readFlowLog({
		path,
		stdin,
		decoder,
		parse: parseRecord,
		maxLineCharacters: LINE_LIMIT,
		onBatch: records => store.add(records),
	});
	return {store, decoder};
}

describe('fuzz: whole files of good lines among hostile ones', () => {
	it('count every good line once, every hostile one as malformed, and sum the bytes exactly, however delivered', async () => {
		await fc.assert(
			fc.asyncProperty(
				fileLines,
				fc.constantFrom<Delivery>('plain file', 'gzip file', 'stdin in pieces'),
				fc.array(fc.nat(), {maxLength: 8}),
				async (lines, delivery, cuts) => {
					const {store, decoder} = await read(lines, delivery, cuts);
					const good = lines.filter(line => line.kind === 'record');
					expect({
						ok: store.totals.ok,
						malformed: decoder.stats.malformed,
						headers: decoder.stats.headers,
					}).toEqual({
						ok: good.length,
						malformed: lines.filter(line => line.kind === 'malformed').length,
						headers: lines.filter(line => line.kind === 'header').length,
					});
					const views = computeViews(store, EMPTY_FILTER, {sections: REPORT_SECTIONS, limit: 1000});
					expect(views.totals.bytes).toBe(good.reduce((sum, line) => sum + line.bytes, 0));
					const sources = new Set(views.talkers.pair.map(row => row.src));
					expect(sources).toEqual(new Set(good.map(line => line.src)));
				},
			),
			fuzz(150),
		);
	});
});
