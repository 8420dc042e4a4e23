import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {afterAll, describe, expect, it} from 'vitest';
import {DEFAULT_FIELDS} from '../source/flowlog/fields.js';
import {v2} from './helpers/lines.js';

/**
 * `--once` reads a large plain file on several threads (dist/range-worker.js) and merges what
 * each read. Whatever the threads, the report must be the one a single pass gives, down to the
 * line numbers of malformed lines; the debug log says which way the file was read.
 */

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'flowtop-parallel-'));
afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

interface Run {
	stdout: string;
	stderr: string;
	debug: string;
}

async function once(file: string, threads: number): Promise<Run> {
	const debug = join(directory, `debug-${threads}-${Math.random().toString(36).slice(2)}.log`);
	return new Promise((resolve, reject) => {
		execFile(
			'node',
			[cli, '--file', file, '--once', '--json', '--threads', String(threads), '--debug', debug],
			{maxBuffer: 64 << 20},
			(error, stdout, stderr) => {
				if (error) {
					reject(error);
					return;
				}

				let log = '';
				try {
					log = readFileSync(debug, 'utf8');
				} catch {}

				resolve({stdout, stderr, debug: log});
			},
		);
	});
}

/** About 20 MiB: above the size at which a file is cut into ranges. */
function bigFile(name: string, lineAt: (i: number) => string, count = 190_000): string {
	const lines: string[] = [];
	for (let i = 0; i < count; i++) {
		lines.push(lineAt(i));
	}

	const path = join(directory, name);
	writeFileSync(path, `${lines.join('\n')}\n`);
	return path;
}

// Hosts, ports and minutes cycle at different rates, so conversations repeat across the cuts.
// Each record is logged on its server's interface, as flow logs are, so every interface has an
// address of its own and the diagnosis has requests to judge.
function record(i: number): string {
	if (i % 50_000 === 7) {
		return 'this line is not a flow-log record';
	}

	if (i % 9_001 === 0) {
		return v2({
			'log-status': 'NODATA',
			srcaddr: '-',
			dstaddr: '-',
			srcport: '-',
			dstport: '-',
			protocol: '-',
			packets: '-',
			bytes: '-',
			action: '-',
		});
	}

	const minute = Math.floor(i / 1_000);
	const v6 = i % 13 === 0;
	const server = i % 15;
	return v2({
		'interface-id': v6 ? 'eni-0ffffffff' : `eni-0${server.toString(16).padStart(8, '0')}`,
		srcaddr: v6 ? `2001:db8::${(i % 11).toString(16)}` : `10.0.${i % 7}.${i % 251}`,
		dstaddr: v6 ? '2001:db8::ff' : `10.1.${server % 5}.${server + 10}`,
		srcport: 32_768 + (i % 20_000),
		dstport: [443, 22, 5432, 8080][i % 4],
		protocol: i % 17 === 0 ? 17 : 6,
		packets: 1 + (i % 40),
		bytes: 40 * (1 + (i % 40)) + (i % 1_000),
		start: 1_700_000_000 + minute * 60,
		end: 1_700_000_000 + minute * 60 + 59,
		action: i % 23 === 0 ? 'REJECT' : 'ACCEPT',
	});
}

describe('--once over a large file on several threads', () => {
	it('prints the very report one thread prints, malformed line numbers and all', async () => {
		const file = bigFile('flows.log', i => (i === 0 ? DEFAULT_FIELDS.join(' ') : record(i)));
		const [one, two, three] = await Promise.all([once(file, 1), once(file, 2), once(file, 3)]);
		expect(two.debug).toContain('on 2 threads');
		expect(three.debug).toContain('on 3 threads');
		expect(one.debug).not.toContain(' read ');
		expect(JSON.parse(one.stdout).records).toMatchObject({malformed: 4, nodata: 21});
		expect(one.stderr).toContain('first at line 8');
		expect(two.stdout).toBe(one.stdout);
		expect(two.stderr).toBe(one.stderr);
		expect(three.stdout).toBe(one.stdout);
		expect(three.stderr).toBe(one.stderr);
	}, 60_000);

	it('reads gzip in one pass: a compressed stream cannot be entered in the middle', async () => {
		const plain = bigFile('flows-for-gzip.log', record);
		const file = `${plain}.gz`;
		writeFileSync(file, gzipSync(readFileSync(plain), {level: 1}));
		// Compressed, the file is smaller than the cut-off: a second, stored (uncompressed) member of
		// blank lines makes it big enough that its size alone does not decide.
		writeFileSync(file, Buffer.concat([readFileSync(file), gzipSync(Buffer.alloc(24 << 20, '\n'), {level: 0})]));
		const [one, two] = await Promise.all([once(plain, 1), once(file, 2)]);
		expect(two.debug).toContain('on one thread: gzip is one stream');
		expect(two.stdout).toBe(one.stdout);
	}, 60_000);

	it('reads in one pass when a header line changes the format mid-file, and says so', async () => {
		const custom = ['version', 'srcaddr', 'dstaddr', 'bytes', 'action', 'log-status'];
		const file = bigFile('two-formats.log', i => {
			if (i === 150_000) {
				return custom.join(' ');
			}

			if (i > 150_000) {
				return `2 10.9.0.${i % 200} 10.8.0.1 ${i} ACCEPT OK`;
			}

			return record(i);
		});
		const [one, two] = await Promise.all([once(file, 1), once(file, 2)]);
		expect(two.debug).toContain('on one thread: a header line changes the format mid-file');
		expect(two.stdout).toBe(one.stdout);
		expect(JSON.parse(two.stdout).records.malformed).toBe(3);
	}, 60_000);
});
