import {execFileSync} from 'node:child_process';
import {createWriteStream} from 'node:fs';
import {appendFile, mkdtemp, rename, rm, writeFile, truncate} from 'node:fs/promises';
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

async function readAll(
	path: string,
	stdin?: AsyncIterable<Uint8Array>,
	options: {maxLineCharacters?: number; follow?: boolean} = {},
): Promise<{records: FlowRecord[]; batches: number; decoder: FlowLogDecoder}> {
	const records: FlowRecord[] = [];
	const decoder = new FlowLogDecoder();
	let batches = 0;
	await readFlowLog({
		path,
		stdin,
		decoder,
		parse: parseRecord,
		...options,
		onBatch(batch) {
			batches++;
			records.push(...batch);
		},
	});
	return {records, batches, decoder};
}

/** Follow a file, collecting the bytes of each record, until stop(). */
function follow(path: string) {
	const controller = new AbortController();
	const decoder = new FlowLogDecoder();
	const seen: number[] = [];
	let caughtUp = 0;
	let notify = () => {};
	const reading = readFlowLog({
		path,
		follow: true,
		signal: controller.signal,
		pollMilliseconds: 10,
		decoder,
		parse: parseRecord,
		onBatch(batch) {
			seen.push(...batch.map(record => record.bytes!));
			notify();
		},
		onCaughtUp() {
			caughtUp++;
			notify();
		},
	});
	const until = async (done: () => boolean) => {
		while (!done()) {
			await new Promise<void>(resolve => {
				notify = resolve;
			});
		}
	};

	return {
		seen,
		decoder,
		/** Until `count` records have been read. */
		records: async (count: number) => until(() => seen.length >= count),
		/** Until the reader has caught up with the file once more after now. */
		caughtUp: async () => {
			const before = caughtUp;
			await until(() => caughtUp > before + 1);
		},
		async stop() {
			controller.abort();
			await reading;
		},
	};
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
		const path = await temporaryFile(
			'joined.gz',
			Buffer.concat([gzipSync(`${lines[0]}\n`), gzipSync(`${lines[1]}\n`)]),
		);
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
		const directory = await mkdtemp(join(tmpdir(), 'flowtop-directory-'));
		await writeFile(join(directory, 'flows.log'), `${lines.join('\n')}\n`);
		await expect(readAll(directory)).rejects.toThrow(
			`cannot read ${directory}: it is a directory with no .parquet file under it, give a file`,
		);
	});

	it('says a broken gzip file is broken', async () => {
		const gz = gzipSync(`${lines.join('\n')}\n`);
		const path = await temporaryFile('broken.gz', gz.subarray(0, gz.length - 12));
		await expect(readAll(path)).rejects.toThrow(/cannot read .*broken\.gz: /);
	});
});

describe('every line is counted or the read fails', () => {
	const longLine = 'x'.repeat(5000);

	it.each([
		['gzip', (text: string) => gzipSync(text)],
		['plain', (text: string) => Buffer.from(text)],
	])('counts an over-long line in %s as malformed, with its reason, and reads on', async (_, encode) => {
		const text = `${lines[0]}\n${longLine}\n${lines[1]}\n${longLine}`;
		for (const source of ['file', 'stdin']) {
			const path = source === 'file' ? await temporaryFile('long.log', encode(text)) : '-';
			const stdin = source === 'stdin' ? Readable.from([encode(text)]) : undefined;
			const {records, decoder} = await readAll(path, stdin, {maxLineCharacters: 1000});
			expect(records.map(record => record.bytes)).toEqual([1, 2]);
			expect(Object.fromEntries(decoder.stats.byReason)).toEqual({'line longer than 1,000 characters': 2});
			expect(decoder.stats.samples[0]).toMatchObject({line: 2, text: `${'x'.repeat(200)}…`});
		}
	});

	it('counts an over-long line that spans many chunks once, without holding it', async () => {
		const stdin = Readable.from([
			Buffer.from(`${lines[0]}\nxx`),
			...Array.from({length: 50}, () => Buffer.from('x'.repeat(100))),
			Buffer.from(`\n${lines[1]}\n`),
		]);
		const {records, decoder} = await readAll('-', stdin, {maxLineCharacters: 1000});
		expect(records.map(record => record.bytes)).toEqual([1, 2]);
		expect(decoder.stats.malformed).toBe(1);
		expect(decoder.lines).toBe(3);
	});

	it('counts a gzip of 20 MiB of zeros as one over-long line, not as nothing', async () => {
		const path = await temporaryFile('zeros.gz', gzipSync(Buffer.alloc(20 << 20)));
		const {records, decoder} = await readAll(path);
		expect(records).toEqual([]);
		expect(Object.fromEntries(decoder.stats.byReason)).toEqual({'line longer than 4,194,304 characters': 1});
	});

	it.each([
		['gzip', gzipSync(`${lines.join('\n')}\n`)],
		['plain', Buffer.from(`${lines.join('\n')}\n`)],
	])('fails, saying why, when the consumer of %s fails: never a silent cancel', async (_, content) => {
		const path = await temporaryFile('flows.log', content);
		const read = readFlowLog({
			path,
			decoder: new FlowLogDecoder(),
			parse: parseRecord,
			onBatch() {
				throw new RangeError('the store is full');
			},
		});
		await expect(read).rejects.toThrow(/reading .*flows\.log stopped: the store is full/);
	});
});

describe('--follow', () => {
	it('follows a rotation like tail -F: the old file read to its end once, the new one from its start', async () => {
		const path = await temporaryFile('g.log', `${v2({bytes: 1})}\n${v2({bytes: 2})}\n${v2({bytes: 3})}\n`);
		const follower = follow(path);
		await follower.records(3);
		await rename(path, `${path}.1`);
		await appendFile(`${path}.1`, `${v2({bytes: 4})}\n`);
		await writeFile(path, `${v2({bytes: 5})}\n`);
		await follower.records(5);
		await appendFile(path, `${v2({bytes: 6})}\n`);
		await follower.records(6);
		await follower.caughtUp();
		await follower.stop();
		expect(follower.seen).toEqual([1, 2, 3, 4, 5, 6]);
	});

	it('keeps following a file deleted and created again', async () => {
		const path = await temporaryFile('g.log', `${v2({bytes: 1})}\n`);
		const follower = follow(path);
		await follower.records(1);
		await rm(path);
		await follower.caughtUp();
		await writeFile(path, `${v2({bytes: 2})}\n`);
		await follower.records(2);
		await follower.caughtUp();
		await follower.stop();
		expect(follower.seen).toEqual([1, 2]);
	});

	it('waits for the newline of a line half-written when the follow starts', async () => {
		const whole = v2({bytes: 2});
		const path = await temporaryFile('g.log', `${v2({bytes: 1})}\n${whole.slice(0, 30)}`);
		const follower = follow(path);
		await follower.records(1);
		await follower.caughtUp();
		await appendFile(path, `${whole.slice(30)}\n`);
		await follower.records(2);
		await follower.stop();
		expect(follower.seen).toEqual([1, 2]);
		expect(follower.decoder.stats.malformed).toBe(0);
	});

	it('reads a named pipe as the stream it is', async () => {
		const directory = await mkdtemp(join(tmpdir(), 'flowtop-'));
		const path = join(directory, 'flows.fifo');
		execFileSync('mkfifo', [path]);
		const writer = createWriteStream(path);
		writer.end(`${lines.join('\n')}\n`);
		const {records} = await readAll(path, undefined, {follow: true});
		expect(records.map(record => record.bytes)).toEqual([1, 2, 3]);
	});

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
