import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {gzipSync} from 'node:zlib';
import {describe, expect, it, beforeAll} from 'vitest';
import {helpText} from '../source/help.js';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const small = new URL('fixtures/small.log', import.meta.url).pathname;

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

async function flowtop(args: string[], stdin?: Uint8Array): Promise<Run> {
	return new Promise(resolve => {
		const child = execFile('node', [cli, ...args], {env: {...process.env, NO_COLOR: '1'}}, (error, stdout, stderr) => {
			resolve({code: error ? (error.code as number) : 0, stdout, stderr});
		});
		child.stdin!.end(stdin);
	});
}

beforeAll(() => {
	if (!existsSync(cli)) {
		throw new Error('dist/cli.js is missing: npm test builds it first (npm run build)');
	}
});

describe('flowtop --file --once --json', () => {
	it('prints the contract document', async () => {
		const {code, stdout, stderr} = await flowtop(['--file', small, '--once', '--json']);
		expect(code).toBe(0);
		expect(JSON.parse(stdout)).toEqual({
			window: {start: '2023-11-14T22:13:20.000Z', end: '2023-11-14T22:16:20.000Z'},
			records: {total: 7, ok: 5, nodata: 1, skipdata: 0, malformed: 1},
			topTalkers: [
				{src: '10.0.2.20', dst: '10.0.1.10', bytes: 9000, packets: 18, flows: 1},
				{src: '10.0.1.10', dst: '10.0.2.20', bytes: 4000, packets: 20, flows: 1},
				{src: '203.0.113.9', dst: '10.0.1.10', bytes: 300, packets: 5, flows: 2},
				{src: '2001:db8::10', dst: '2001:db8::20', bytes: 80, packets: 1, flows: 1},
			],
			rejected: {total: 2, bySource: [{src: '203.0.113.9', flows: 2, packets: 5, bytes: 300, ports: 2}]},
			protocols: [
				{protocol: 6, name: 'TCP', bytes: 13_300, packets: 43, flows: 4},
				{protocol: 17, name: 'UDP', bytes: 80, packets: 1, flows: 1},
			],
			findings: [],
		});
		expect(stderr).toBe(
			'flowtop: 1 malformed line skipped (1× wrong field count: expected 14, got 7); first at line 7\n',
		);
	});

	it('applies --top and the filter flags', async () => {
		const {stdout} = await flowtop([
			'--file',
			small,
			'--once',
			'--json',
			'--top',
			'1',
			'--cidr',
			'10.0.1.0/24',
			'--action',
			'accept',
		]);
		const report = JSON.parse(stdout);
		expect(report.topTalkers).toEqual([{src: '10.0.2.20', dst: '10.0.1.10', bytes: 9000, packets: 18, flows: 1}]);
		expect(report.rejected.total).toBe(0);
		expect(report.records.total).toBe(7);
	});

	it('reads gzip from standard input', async () => {
		const {code, stdout} = await flowtop(['--file', '-', '--once', '--json'], gzipSync(await readFile(small)));
		expect(code).toBe(0);
		expect(JSON.parse(stdout).records.ok).toBe(5);
	});

	it('reports no window for an empty file rather than a made-up now..now', async () => {
		const {code, stdout} = await flowtop(['--file', '-', '--once', '--json'], Buffer.alloc(0));
		expect(code).toBe(0);
		const report = JSON.parse(stdout);
		expect(report.window).toEqual({start: null, end: null});
		expect(report.records.total).toBe(0);
		const text = await flowtop(['--file', '-', '--once'], Buffer.alloc(0));
		expect(text.stdout).toContain('Window   none: no record had a time');
	});

	it('escapes C1 controls from the input in its JSON', async () => {
		const {stdout} = await flowtop(
			['--file', '-', '--ndjson', '--format', '${interface-id} ${action}'],
			Buffer.from('eni-\u009B2J ACCEPT\n'),
		);
		expect(stdout).toBe('{"interface-id":"eni-\\u009b2J","action":"ACCEPT"}\n');
	});

	it('says when a header line named the format over --format', async () => {
		const file = Buffer.from(
			'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n' +
				'2 123456789010 eni-0a1b2c3d 10.0.1.10 10.0.2.20 49152 443 6 20 4000 1700000000 1700000060 ACCEPT OK\n',
		);
		const note = "flowtop: the file's header names its format: --format was used only before it\n";
		const once = await flowtop(
			['--file', '-', '--once', '--json', '--format', '${srcaddr} ${dstaddr} ${action}'],
			file,
		);
		expect(JSON.parse(once.stdout).records.ok).toBe(1);
		expect(once.stderr).toBe(note);
		const ndjson = await flowtop(['--file', '-', '--ndjson', '--format', '${srcaddr} ${dstaddr} ${action}'], file);
		expect(ndjson.stderr).toBe(note);
		expect((await flowtop(['--file', '-', '--once', '--json'], file)).stderr).toBe('');
	});

	it('creates the --debug file and says in it how the file was read', async () => {
		const {mkdtempSync} = await import('node:fs');
		const {tmpdir} = await import('node:os');
		const log = `${mkdtempSync(`${tmpdir()}/flowtop-debug-`)}/debug.log`;
		const {code} = await flowtop(['--file', small, '--once', '--debug', log]);
		expect(code).toBe(0);
		expect(await readFile(log, 'utf8')).toMatch(/flowtop once over .*small\.log\n.*read .*small\.log on one thread/);
	});

	it('prints readable tables without --json', async () => {
		const {stdout} = await flowtop(['--file', small, '--once']);
		expect(stdout).toContain('TOP TALKERS (by bytes)');
		expect(stdout).toMatch(/10\.0\.2\.20\s+10\.0\.1\.10\s+8\.8 KiB\s+18\s+1/);
		expect(stdout).toContain('1 malformed line skipped');
	});
});

describe('flowtop --ndjson', () => {
	it('prints each record by AWS field name and each malformed line on stderr', async () => {
		const {code, stdout, stderr} = await flowtop(['--file', small, '--ndjson']);
		expect(code).toBe(0);
		const lines = stdout
			.trim()
			.split('\n')
			.map(line => JSON.parse(line));
		expect(lines).toHaveLength(6);
		expect(lines[2]).toEqual({
			version: 2,
			'account-id': '123456789010',
			'interface-id': 'eni-0a1b2c3d',
			srcaddr: '203.0.113.9',
			dstaddr: '10.0.1.10',
			srcport: 51_515,
			dstport: 22,
			protocol: 6,
			packets: 3,
			bytes: 180,
			start: 1_700_000_060,
			end: 1_700_000_120,
			action: 'REJECT',
			'log-status': 'OK',
		});
		expect(lines[5]).toEqual({
			version: 2,
			'account-id': '123456789010',
			'interface-id': 'eni-0e5f6a7b',
			start: 1_700_000_120,
			end: 1_700_000_180,
			'log-status': 'NODATA',
		});
		expect(stderr).toBe('line 7: wrong field count: expected 14, got 7\n');
	});

	it('stops quietly when the reader closes the pipe early (| head)', async () => {
		const {spawn} = await import('node:child_process');
		const lines = Array.from(
			{length: 200_000},
			() => '2 123456789010 eni-0a1b2c3d 10.0.1.10 10.0.2.20 49152 443 6 20 4000 1700000000 1700000060 ACCEPT OK',
		).join('\n');
		const child = spawn('node', [cli, '--file', '-', '--ndjson'], {stdio: ['pipe', 'pipe', 'pipe']});
		let stderr = '';
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		child.stdin.on('error', () => {});
		child.stdin.end(lines);
		child.stdout.once('data', () => {
			child.stdout.destroy();
		});
		const code = await new Promise(resolve => child.on('close', resolve));
		expect(code).toBe(0);
		expect(stderr).toBe('');
	});

	it('reads a custom --format', async () => {
		const {stdout} = await flowtop(
			['--file', '-', '--ndjson', '--format', '${srcaddr} ${dstaddr} ${action}'],
			Buffer.from('10.0.0.1 10.0.0.2 REJECT\n'),
		);
		expect(JSON.parse(stdout)).toEqual({srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'REJECT'});
	});
});

describe('exit codes and messages', () => {
	it.each([
		[['--file', small, '--once', '--cidr', '10.0.0.0/33'], '--cidr: "10.0.0.0/33" is not an address or CIDR'],
		[['--file', small, '--once', '--top', '0'], '--top 0: give a whole number from 1 to 10000'],
		[['--file', small, '--once', '--threads', '0'], '--threads 0: give a whole number from 1 to 64'],
		[
			['--file', small, '--once', '--format', '${srcadr}'],
			'unknown flow-log field "srcadr" in the format (did you mean srcaddr?)',
		],
		[['--file', small, '--once', '--window', '15 minutes'], '--window 15 minutes: not a duration'],
		[['--once'], 'say what to watch'],
		[['--file', small, 'extra'], 'unexpected argument "extra"'],
	])('exits 2 for a usage error: %j', async (args, message) => {
		const {code, stderr, stdout} = await flowtop(args);
		expect(code).toBe(2);
		expect(stderr).toContain(message);
		expect(stderr.trim().split('\n')).toHaveLength(1);
		expect(stdout).toBe('');
	});

	it("exits 2 for an unknown flag, in flowtop's own words", async () => {
		const {code, stderr} = await flowtop(['--bogus']);
		expect(code).toBe(2);
		expect(stderr).toBe('flowtop: unknown flag --bogus (see --help)\n');
	});

	it.each([
		[
			['--demo', '--once', '--scenario', 'bogus'],
			/^flowtop: --scenario bogus: no such scenario; choose one of healthy, .*port-scan/,
		],
		[['--demo', '--once', '--seed', 'abc'], /^flowtop: --seed abc: give a whole number/],
		[['--demo', '--interval', 'banana'], /^flowtop: --interval does not apply to --demo/],
		[['--file', small, '--once', '--follow'], /^flowtop: --follow does not apply to --once/],
		[['--file', small, '--once', '--region', 'mars'], /^flowtop: --region does not apply to --file/],
	])('exits 2 for a flag it would otherwise ignore or misread: %j', async (args, message) => {
		const {code, stderr} = await flowtop(args);
		expect(code).toBe(2);
		expect(stderr).toMatch(message);
		expect(stderr.trim().split('\n')).toHaveLength(1);
	});

	it('echoes a bad value without its control characters', async () => {
		const {code, stderr} = await flowtop(['--file', small, '--once', '--filter', 'port:\u001B]0;pwned\u0007\u009B2J']);
		expect(code).toBe(2);
		expect(stderr).toContain('"?]0;pwned??2J"');
		expect(stderr).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
	});

	it('exits 1 in one line when the output cannot be written', async () => {
		const {spawn} = await import('node:child_process');
		const {openSync} = await import('node:fs');
		const child = spawn('node', [cli, '--file', small, '--once', '--json'], {
			stdio: ['ignore', openSync('/dev/full', 'w'), 'pipe'],
		});
		let stderr = '';
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		const code = await new Promise(resolve => child.on('close', resolve));
		expect(code).toBe(1);
		expect(stderr).toMatch(/\nflowtop: cannot write the output: ENOSPC\n$/);
		expect(stderr).not.toContain('    at ');
	});

	it('exits 1 before the live view opens on a file it cannot read', async () => {
		const {code, stderr, stdout} = await flowtop(['--file', '/nonexistent/flows.log']);
		expect(code).toBe(1);
		expect(stderr).toBe('flowtop: cannot read /nonexistent/flows.log: no such file\n');
		expect(stdout).toBe('');
	});

	it('exits 1 before the live view opens when --snapshot-dir is not a directory', async () => {
		const {code, stderr} = await flowtop(['--file', small, '--snapshot-dir', '/nonexistent/snapshots']);
		expect(code).toBe(1);
		expect(stderr).toBe(
			'flowtop: --snapshot-dir /nonexistent/snapshots: no such directory; create it or choose another\n',
		);
	});

	it('exits 1 naming a file it cannot read', async () => {
		const {code, stderr} = await flowtop(['--file', '/nonexistent/flows.log', '--once']);
		expect(code).toBe(1);
		expect(stderr).toBe('flowtop: cannot read /nonexistent/flows.log: no such file\n');
	});

	// Two runs through npx and tsx, which take seconds to start on a loaded machine.
	it('fails clearly when asked to check a conformance corpus that is not there', async () => {
		const run = async (args: string[]) =>
			new Promise<Run>(resolve => {
				execFile(
					'npx',
					['tsx', new URL('conformance/run.ts', import.meta.url).pathname, ...args],
					{env: {...process.env, FLOWTOP_PEER_DATA: '/nonexistent/peer-data'}},
					(error, stdout, stderr) => {
						resolve({code: error ? (error.code as number) : 0, stdout, stderr});
					},
				);
			});
		const missing = await run([]);
		expect(missing.code).toBe(2);
		expect(missing.stderr).toBe(
			'conformance: no corpus at /nonexistent/peer-data: set FLOWTOP_PEER_DATA to its directory, or pass --allow-missing to skip\n',
		);
		expect((await run(['--allow-missing'])).code).toBe(0);
	}, 30_000);

	it.each([['--help'], ['-h'], ['--file', small, '-h']])('prints the help for %j', async (...args) => {
		const {code, stdout} = await flowtop(args);
		expect(code).toBe(0);
		expect(stdout).toContain(helpText());
	});

	it.each(['--version', '-v'])('prints its version for %s', async flag => {
		const {code, stdout} = await flowtop([flag]);
		expect(code).toBe(0);
		expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
	});
});
