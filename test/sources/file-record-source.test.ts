import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import {parseFormatString} from '../../source/flowlog/format.js';
import {FileRecordSource} from '../../source/sources/file-record-source.js';
import type {SourceStatus} from '../../source/sources/source.js';
import {v2} from '../helpers/lines.js';

const DEFAULT_HEADER =
	'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';

async function statusesOf(content: string, format?: string): Promise<SourceStatus[]> {
	const directory = await mkdtemp(join(tmpdir(), 'flowtop-source-'));
	const path = join(directory, 'flows.log');
	await writeFile(path, content);
	const source = new FileRecordSource(path, format === undefined ? {} : {format: parseFormatString(format)});
	const statuses: SourceStatus[] = [];
	await new Promise<void>(resolve => {
		source.start({
			records() {},
			columns() {},
			status(status) {
				statuses.push(status);
				if (status.kind === 'done' || status.kind === 'error') {
					resolve();
				}
			},
		});
	});
	await source.stop();
	return statuses;
}

describe('a file in the live view', () => {
	it('says, when it ends, that its header line took over from --format', async () => {
		const statuses = await statusesOf(`${DEFAULT_HEADER}\n${v2({})}\n`, '${version} ${srcaddr} ${dstaddr}');
		expect(statuses.at(-1)).toEqual({
			kind: 'done',
			note: "the file's header names its format: --format was used only before it",
		});
	});

	it('says nothing of --format when none was given, or the file has no header', async () => {
		expect((await statusesOf(`${DEFAULT_HEADER}\n${v2({})}\n`)).at(-1)).toEqual({kind: 'done', note: undefined});
		expect(
			(
				await statusesOf(
					`${v2({})}\n`,
					DEFAULT_HEADER.split(' ')
						.map(field => `\${${field}}`)
						.join(' '),
				)
			).at(-1),
		).toEqual({kind: 'done', note: undefined});
	});
});

describe('standard input in the live view', () => {
	it('stops when asked while the writer keeps the pipe open without writing, as `tail -f x |` does', async () => {
		const pipe = new PassThrough();
		const source = new FileRecordSource('-', {follow: true, stdin: pipe});
		const received: number[] = [];
		const statuses: SourceStatus[] = [];
		source.start({
			records() {},
			columns(batch) {
				received.push(batch.size);
			},
			status(status) {
				statuses.push(status);
			},
		});
		pipe.write(`${v2({})}\n`);
		await vi.waitFor(() => {
			expect(received).toEqual([1]);
		});
		await source.stop();
		expect(pipe.destroyed).toBe(true);
		expect(statuses.map(status => status.kind)).toEqual(['reading']);
	});
});
