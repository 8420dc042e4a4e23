import {appendFile, mkdtemp, writeFile, truncate} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {gzipSync} from 'node:zlib';
import {describe, expect, it} from 'vitest';
import {FlowLogDecoder, parseRecord} from '../../source/flowlog/decoder.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {readFlowLog} from '../../source/sources/file-source.js';
import {v2} from '../helpers/lines.js';

async function temporaryFile(name: string, content: string | Uint8Array): Promise<string> {
	const directory = await mkdtemp(join(tmpdir(), 'flowtop-'));
	const path = join(directory, name);
	await writeFile(path, content);
	return path;
}

async function readAll(path: string, stdin?: AsyncIterable<Uint8Array>): Promise<{records: FlowRecord[]; batches: number}> {
	const records: FlowRecord[] = [];
	let batches = 0;
	await readFlowLog({
		path,
		stdin,
		decoder: new FlowLogDecoder(),
		parse: parseRecord,
		onBatch(batch) {
			batches++;
			records.push(...batch);
		},
	});
	return {records, batches};
}

const lines = [v2({bytes: 1}), v2({bytes: 2}), v2({bytes: 3})];

describe('reading a flow-log file', () => {
	it('reads every line of a plain file, including a last line without a newline', async () => {
		const path = await temporaryFile('plain.log', lines.join('\n'));
		const {records} = await readAll(path);
		expect(records.map(record => record.bytes)).toEqual([1, 2, 3]);
	});

	it('recognises gzip by its first bytes, whatever the name', async () => {
		const path = await temporaryFile('looks-plain.txt', gzipSync(`${lines.join('\n')}\n`));
		const {records} = await readAll(path);
		expect(records.map(record => record.bytes)).toEqual([1, 2, 3]);
	});

	it('reads concatenated gzip members, as S3 objects joined together are', async () => {
		const path = await temporaryFile('joined.gz', Buffer.concat([gzipSync(`${lines[0]}\n`), gzipSync(`${lines[1]}\n`)]));
		const {records} = await readAll(path);
		expect(records.map(record => record.bytes)).toEqual([1, 2]);
	});

	it('reads standard input for -', async () => {
		const stdin = Readable.from([Buffer.from(`${lines[0]}\n${lines[1]}`), Buffer.from(`\n${lines[2]}\n`)]);
		const {records} = await readAll('-', stdin);
		expect(records.map(record => record.bytes)).toEqual([1, 2, 3]);
	});

	it('keeps a line split across chunks, and a character split across chunks', async () => {
		const text = Buffer.from(`${v2({'account-id': 'ünïcødé'})}\n`);
		const stdin = Readable.from([text.subarray(0, 17), text.subarray(17, 18), text.subarray(18)]);
		const {records} = await readAll('-', stdin);
		expect(records[0]!.account).toBe('ünïcødé');
	});

	it('hands records over once per chunk, not once per record', async () => {
		const many = Array.from({length: 20_000}, (_, i) => v2({bytes: i})).join('\n');
		const path = await temporaryFile('many.log', many);
		const {records, batches} = await readAll(path);
		expect(records).toHaveLength(20_000);
		expect(batches).toBeLessThan(5);
	});

	it('names the file it cannot read', async () => {
		await expect(readAll('/nonexistent/flows.log')).rejects.toThrow('cannot read /nonexistent/flows.log: no such file');
		await expect(readAll(tmpdir())).rejects.toThrow(`cannot read ${tmpdir()}: it is a directory, give a file`);
	});

	it('says a broken gzip file is broken', async () => {
		const gz = gzipSync(`${lines.join('\n')}\n`);
		const path = await temporaryFile('broken.gz', gz.subarray(0, gz.length - 12));
		await expect(readAll(path)).rejects.toThrow(/cannot read .*broken\.gz: /);
	});
});

describe('--follow', () => {
	it('reads what is appended, and starts over when the file is truncated', async () => {
		const path = await temporaryFile('growing.log', `${lines[0]}\n`);
		const controller = new AbortController();
		const seen: number[] = [];
		let notify = () => {};
		const reading = readFlowLog({
			path,
			follow: true,
			signal: controller.signal,
			pollMilliseconds: 10,
			decoder: new FlowLogDecoder(),
			parse: parseRecord,
			onBatch(batch) {
				seen.push(...batch.map(record => record.bytes!));
				notify();
			},
		});
		const until = async (count: number) => {
			while (seen.length < count) {
				await new Promise<void>(resolve => {
					notify = resolve;
				});
			}
		};

		await until(1);
		await appendFile(path, `${lines[1]}\n${v2({bytes: 99}).slice(0, 20)}`);
		await until(2);
		await appendFile(path, `${v2({bytes: 99}).slice(20)}\n`);
		await until(3);
		await truncate(path, 0);
		await appendFile(path, `${lines[2]}\n`);
		await until(4);
		controller.abort();
		await reading;
		expect(seen).toEqual([1, 2, 99, 3]);
	});
});
