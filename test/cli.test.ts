import {execFile} from 'node:child_process';
import {existsSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {gzipSync} from 'node:zlib';
import {describe, expect, it, beforeAll} from 'vitest';

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
		expect(stderr).toBe('flowtop: 1 malformed line skipped (1× wrong field count: expected 14, got 7); first at line 7\n');
	});

	it('applies --top and the filter flags', async () => {
		const {stdout} = await flowtop(['--file', small, '--once', '--json', '--top', '1', '--cidr', '10.0.1.0/24', '--action', 'accept']);
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
		const lines = stdout.trim().split('\n').map(line => JSON.parse(line));
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
		expect(lines[5]).toEqual({version: 2, 'account-id': '123456789010', 'interface-id': 'eni-0e5f6a7b', start: 1_700_000_120, end: 1_700_000_180, 'log-status': 'NODATA'});
		expect(stderr).toBe('line 7: wrong field count: expected 14, got 7\n');
	});

	it('stops quietly when the reader closes the pipe early (| head)', async () => {
		const {spawn} = await import('node:child_process');
		const lines = Array.from({length: 200_000}, () => '2 123456789010 eni-0a1b2c3d 10.0.1.10 10.0.2.20 49152 443 6 20 4000 1700000000 1700000060 ACCEPT OK').join('\n');
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
		const {stdout} = await flowtop(['--file', '-', '--ndjson', '--format', '${srcaddr} ${dstaddr} ${action}'], Buffer.from('10.0.0.1 10.0.0.2 REJECT\n'));
		expect(JSON.parse(stdout)).toEqual({srcaddr: '10.0.0.1', dstaddr: '10.0.0.2', action: 'REJECT'});
	});
});

describe('exit codes and messages', () => {
	it.each([
		[['--file', small, '--once', '--cidr', '10.0.0.0/33'], '--cidr: "10.0.0.0/33" is not an address or CIDR'],
		[['--file', small, '--once', '--top', '0'], '--top 0: give a whole number from 1 to 10000'],
		[['--file', small, '--once', '--threads', '0'], '--threads 0: give a whole number from 1 to 64'],
		[['--file', small, '--once', '--format', '${srcadr}'], 'unknown flow-log field "srcadr" in the format (did you mean srcaddr?)'],
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

	it('exits 2 for an unknown flag', async () => {
		const {code, stderr} = await flowtop(['--bogus']);
		expect(code).toBe(2);
		expect(stderr).toContain('--bogus');
	});

	it('exits 1 naming a file it cannot read', async () => {
		const {code, stderr} = await flowtop(['--file', '/nonexistent/flows.log', '--once']);
		expect(code).toBe(1);
		expect(stderr).toBe('flowtop: cannot read /nonexistent/flows.log: no such file\n');
	});

	it('documents every flag in --help', async () => {
		const {stdout} = await flowtop(['--help']);
		for (const flag of ['--log-group', '--log-group-prefix', '--profile', '--region', '--endpoint', '--interval', '--since', '--price-per-gb', '--file', '--follow', '--format', '--demo', '--scenario', '--speed', '--seed', '--serve', '--window', '--filter', '--eni', '--cidr', '--port', '--protocol', '--action', '--once', '--json', '--ndjson', '--top', '--debug']) {
			expect(stdout).toContain(flag);
		}
	});

	it('prints its version', async () => {
		const {stdout} = await flowtop(['--version']);
		expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
	});
});
