import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {v2} from '../helpers/lines.js';
import {hasMoto, MOTO_CREDENTIALS, Moto} from './moto.js';
import {hasTmux, TmuxTerminal} from './tmux.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const GROUP = '/vpc/moto-flows';
const STREAM = 'eni-0web-all';
const credentials = `AWS_ACCESS_KEY_ID=${MOTO_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${MOTO_CREDENTIALS.secretAccessKey} AWS_REGION=us-east-1`;

/** A web server's ENI (10.0.2.30) over the last few minutes: HTTPS served, SSH from a peer in the VPC refused. */
function webServerLines(now: number): string[] {
	const at = (minutesAgo: number) => ({start: now - minutesAgo * 60, end: now - minutesAgo * 60 + 50});
	return [
		...[5, 4, 3, 2].flatMap(minutes => [
			v2({
				'interface-id': 'eni-0web',
				srcaddr: '10.0.1.5',
				dstaddr: '10.0.2.30',
				srcport: 40_000 + minutes,
				dstport: 443,
				bytes: 4000,
				...at(minutes),
			}),
			v2({
				'interface-id': 'eni-0web',
				srcaddr: '10.0.2.30',
				dstaddr: '10.0.1.5',
				srcport: 443,
				dstport: 40_000 + minutes,
				bytes: 90_000,
				...at(minutes),
			}),
		]),
		...[5, 4, 3, 2, 1].flatMap(minutes =>
			[0, 1, 2].map(attempt =>
				v2({
					'interface-id': 'eni-0web',
					srcaddr: '10.0.3.40',
					dstaddr: '10.0.2.30',
					srcport: 50_000 + minutes * 10 + attempt,
					dstport: 22,
					packets: 1,
					bytes: 60,
					action: 'REJECT',
					...at(minutes),
				}),
			),
		),
	];
}

function flowtop(...args: string[]): {status: number | null; stdout: string; stderr: string} {
	const result = spawnSync('node', [cli, ...args], {
		encoding: 'utf8',
		env: {
			...process.env,
			...{
				AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
				AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
				AWS_REGION: 'us-east-1',
			},
		},
	});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

let moto: Moto | undefined;
let terminal: TmuxTerminal | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
	moto?.close();
	moto = undefined;
});

if (!hasMoto) {
	console.log("skipped: the tests against moto need moto_server on PATH (pip install 'moto[server]')");
}

describe.skipIf(!hasMoto)('flowtop against moto, a third-party CloudWatch Logs emulator', () => {
	it('--once --json over a log group equals the file mode report of the same records, filtered or not', async () => {
		moto = await Moto.start();
		await moto.createGroup(GROUP, STREAM);
		const lines = webServerLines(Math.floor(Date.now() / 1000));
		await moto.put(GROUP, STREAM, lines);
		const file = join(mkdtempSync(join(tmpdir(), 'flowtop-moto-')), 'same.log');
		writeFileSync(file, `${lines.join('\n')}\n`);

		for (const filter of [[], ['--port', '22'], ['--filter', '10.0.3.0/24']]) {
			const fromGroup = flowtop('--log-group', GROUP, '--endpoint', moto.url, '--once', '--json', ...filter);
			expect(fromGroup.stderr).not.toMatch(/failed|refused|error/i);
			// moto answers fields, sort and limit only: the default mode falls back to raw records, and says so.
			expect(fromGroup.stderr).toMatch(/raw mode: .+ answered a Logs Insights stats query without aggregating/);
			expect(fromGroup.status).toBe(0);
			const fromFile = flowtop('--file', file, '--once', '--json', ...filter);
			expect(JSON.parse(fromGroup.stdout)).toEqual(JSON.parse(fromFile.stdout));
			expect(JSON.parse(fromGroup.stdout).records.total).toBe(lines.length);
		}

		const findings = JSON.parse(
			flowtop('--log-group', GROUP, '--endpoint', moto.url, '--once', '--json', '--port', '22').stdout,
		).findings as Array<{kind: string}>;
		expect(findings.map(finding => finding.kind)).toContain('inbound-rejected');
		expect(findings.map(finding => finding.kind)).not.toContain('outbound-rejected');
	}, 60_000);

	it.skipIf(!hasTmux && !process.env.CI)(
		'live: records put after the first poll reach the screen, and the status bar shows no failure',
		async () => {
			moto = await Moto.start();
			await moto.createGroup(GROUP, STREAM);
			const now = Math.floor(Date.now() / 1000);
			await moto.put(GROUP, STREAM, webServerLines(now));
			const debugLog = join(mkdtempSync(join(tmpdir(), 'flowtop-moto-')), 'debug.log');
			terminal = new TmuxTerminal(
				`${credentials} node ${cli} --log-group ${GROUP} --endpoint ${moto.url} --interval 1s --debug ${debugLog}`,
				{columns: 120, rows: 30},
			);
			await terminal.waitFor(text => /10\.0\.2\.30\s+→ 10\.0\.1\.5/.test(text) && /next poll/.test(text), 20_000);

			// Captured minutes ago, as flow-log records reach CloudWatch: it sorts among the records already shown.
			await moto.put(GROUP, STREAM, [
				v2({
					'interface-id': 'eni-0web',
					srcaddr: '10.0.7.7',
					dstaddr: '10.0.2.30',
					bytes: 9_000_000,
					start: now - 150,
					end: now - 100,
				}),
			]);
			await terminal.waitFor(text => /10\.0\.7\.7\s+→ 10\.0\.2\.30/.test(text), 20_000);
			// Several polls later, none has failed.
			await new Promise(resolve => setTimeout(resolve, 3000));
			const screen = terminal.screen();
			const statusBar = screen.split('\n').find(line => line.includes('in window'));
			expect(statusBar).toMatch(/next poll in|polling/);
			expect(statusBar).not.toMatch(/failed|refused|error|retry/i);
			expect(screen).toMatch(/10\.0\.7\.7\s+→ 10\.0\.2\.30/);
			expect(statusBar).toMatch(/ 24 in window/);
			terminal.type('q');
			await terminal.waitFor(text => text.includes('[exited 0]'));
			// moto gives no @ingestionTime: polls fall back to re-fetching the horizon, and --debug says so.
			const debug = readFileSync(debugLog, 'utf8');
			expect(debug).toContain(
				`${moto.url} gives no @ingestionTime: each poll re-fetches the lateness horizon and drops by @ptr what it took before`,
			);
			expect(debug).toMatch(
				/poll: horizon re-fetch \(the endpoint gives no @ingestionTime.*\d+ queries, \d+ new records, \d+ bytes scanned, [\d.]+ s/,
			);
		},
		60_000,
	);
});
