import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {FlowStore} from '../../source/engine/store.js';
import {computeViews, REPORT_SECTIONS} from '../../source/engine/views.js';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {FlowLogDecoder, parseRecord} from '../../source/flowlog/decoder.js';
import {FlowColumns} from '../../source/flowlog/flow-columns.js';
import {DEFAULT_FORMAT} from '../../source/flowlog/format.js';
import {LineParser} from '../../source/flowlog/parser.js';
import {readFlowLog} from '../../source/sources/file-source.js';
import {anyText, fileLines, LINE_LIMIT} from './lines.js';
import {fuzz} from './settings.js';

let directory = '';
beforeAll(async () => {
	directory = await mkdtemp(join(tmpdir(), 'flowtop-fuzz-columns-'));
});
afterAll(async () => {
	await rm(directory, {recursive: true, force: true});
});

describe('fuzz: lines straight into columns', () => {
	it('give the record parse() gives, or the same reason and an untouched batch', () => {
		const parser = new LineParser(DEFAULT_FORMAT);
		fc.assert(
			fc.property(fc.array(anyText, {maxLength: 20}), texts => {
				const batch = new FlowColumns(1);
				const kept: unknown[] = [];
				for (const text of texts) {
					const record = parser.parse(text);
					const problem = parser.parseInto(batch, text, 0, text.length);
					if (typeof record === 'string') {
						expect(problem).toBe(record);
					} else {
						expect(problem).toBeUndefined();
						kept.push(record);
					}

					expect(Array.from({length: batch.size}, (_, row) => batch.record(row))).toEqual(kept);
				}
			}),
			fuzz(500),
		);
	});

	it('sum to the same report as records do, whatever the file holds', async () => {
		await fc.assert(
			fc.asyncProperty(fileLines, async lines => {
				const path = join(directory, 'flows.log');
				await writeFile(path, lines.map(line => line.text).join('\n'));
				const read = async (into: boolean) => {
					const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
					const decoder = new FlowLogDecoder();
					const common = {path, decoder, maxLineCharacters: LINE_LIMIT};
					await (into
						? readFlowLog({...common, into: new FlowColumns(), onColumns: batch => store.addColumns(batch)})
						: readFlowLog({...common, parse: parseRecord, onBatch: records => store.add(records)}));
					return {
						views: computeViews(store, EMPTY_FILTER, {sections: REPORT_SECTIONS, limit: 1000}),
						rejects: store.recentRejects(),
						profiles: [...store.profiles.all()],
						stats: decoder.stats,
					};
				};

				expect(await read(true)).toEqual(await read(false));
			}),
			fuzz(100),
		);
	});
});
