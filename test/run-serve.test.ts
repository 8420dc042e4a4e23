import {type ChildProcess, execFile, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {
	DescribeLogGroupsCommand,
	GetQueryResultsCommand,
	type GetQueryResultsCommandOutput,
	StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createLogsClient} from '../source/sources/insights/client.js';

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const GROUP = '/flowtop/demo/vpc-flow-logs';
/** The AWS CLI, to paste the printed lines into; the test that needs it says it skipped without it. */
const hasAwsCli = spawnSync('aws', ['--version'], {stdio: 'ignore'}).status === 0;
if (!hasAwsCli) {
	console.log('skipped: pasting the AWS CLI lines of --demo --serve needs the aws command on PATH');
}

/**
 * What a person's shell would give the child, minus anything that would make it behave otherwise
 * here: no CI (which changes Ink's output), no AWS settings or files (the chain must find nothing,
 * so the loopback fallback is what signs), no instance metadata to wait for.
 */
function childEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (name !== 'CI' && !name.startsWith('AWS_')) {
			env[name] = value;
		}
	}

	return {...env, HOME: mkdtempSync(join(tmpdir(), 'flowtop-home-')), AWS_EC2_METADATA_DISABLED: 'true', NO_COLOR: '1'};
}

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

async function flowtop(args: string[]): Promise<Run> {
	return new Promise(resolve => {
		execFile('node', [cli, ...args], {env: childEnv()}, (error, stdout, stderr) => {
			resolve({code: error ? (error.code as number) : 0, stdout, stderr});
		});
	});
}

/** Resolves with everything printed so far once `marker` appears on stdout. */
async function printed(child: ChildProcess, marker: string): Promise<string> {
	let text = '';
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (chunk: Buffer) => {
			text += chunk.toString('utf8');
			if (text.includes(marker)) {
				resolve(text);
			}
		});
		child.once('exit', code => {
			reject(new Error(`flowtop exited ${code} before printing "${marker}": ${text}`));
		});
	});
}

beforeAll(() => {
	if (!existsSync(cli)) {
		throw new Error('dist/cli.js is missing: npm test builds it first (npm run build)');
	}
});

describe('flowtop --demo --serve', () => {
	let server: ChildProcess;
	let banner: string;
	let url: string;
	beforeAll(async () => {
		server = spawn('node', [cli, '--demo', '--serve', '--serve-port', '0'], {env: childEnv()});
		banner = await printed(server, 'Ctrl-C stops it.');
		url = /endpoint {3}(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
	});
	afterAll(() => {
		server.kill('SIGKILL');
	});

	it('prints the URL, the log group, the Region and commands to paste', () => {
		expect(banner).toContain(`log group  ${GROUP}`);
		expect(banner).toContain('region     us-east-1');
		expect(banner).toContain(`aws logs start-query --endpoint-url ${url} --region us-east-1 --log-group-name ${GROUP}`);
		expect(banner).toMatch(
			new RegExp(
				`\n  node ${cli} --log-group ${GROUP} --endpoint ${url} --format '\\$\\{version\\} .*\\$\\{traffic-path\\}'\n`,
			),
		);
	});

	it('serves an endpoint the SDK can query', async () => {
		const client = createLogsClient({
			endpoint: url,
			region: 'us-east-1',
			credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'},
		});
		try {
			const groups = await client.send(new DescribeLogGroupsCommand({}));
			expect(groups.logGroups?.map(group => group.logGroupName)).toEqual([GROUP]);
			const now = Math.floor(Date.now() / 1000);
			const {queryId} = await client.send(
				new StartQueryCommand({
					logGroupName: GROUP,
					startTime: now - 900,
					endTime: now,
					queryString: 'stats count(*) as records',
				}),
			);
			let output: GetQueryResultsCommandOutput;
			do {
				output = await client.send(new GetQueryResultsCommand({queryId}));
			} while (output.status !== 'Complete');

			expect(Number(output.results![0]![0]!.value)).toBeGreaterThan(100);
		} finally {
			client.destroy();
		}
	});

	// A whole --once run of the demo: on a loaded machine its 20 queries take longer than a unit test's 5 s.
	it('prints a flowtop command that runs as printed: with --once --json, the contract document', async () => {
		const command = /Watch it with flowtop:\n {2}(.+)\n/.exec(banner)![1]!;
		const {code, stdout, stderr} = await new Promise<Run>(resolve => {
			execFile('bash', ['-c', `${command} --once --json --top 3`], {env: childEnv()}, (error, stdout, stderr) => {
				resolve({code: error ? (error.code as number) : 0, stdout, stderr});
			});
		});
		expect(stderr).toMatch(/^flowtop: aggregate mode: [\d.]+k records in the window/m);
		expect(code).toBe(0);
		const report = JSON.parse(stdout);
		expect(Object.keys(report)).toEqual(['window', 'records', 'topTalkers', 'rejected', 'protocols', 'findings']);
		expect(report.records.ok).toBeGreaterThan(100);
		expect(report.records.malformed).toBe(0);
		expect(report.topTalkers).toHaveLength(3);
		expect(report.topTalkers[0]).toEqual({
			src: expect.any(String),
			dst: expect.any(String),
			bytes: expect.any(Number),
			packets: expect.any(Number),
			flows: expect.any(Number),
		});
		expect(Date.parse(report.window.end)).toBeGreaterThan(Date.now() - 15 * 60_000);
		// The count, 19 stats queries, one of messages that are no record, and three for the NAT gateway the
		// demo's format tells (one finds it, two read it).
		expect(stderr).toMatch(/^flowtop: Logs Insights scanned [\d.]+ [KM]iB in 24 queries/m);
	}, 60_000);

	it.skipIf(!hasAwsCli)(
		'prints AWS CLI lines that give results when pasted, once the query is Complete',
		async () => {
			const lines = /Query it with the AWS CLI \(in bash or zsh\):\n([\s\S]+?)\n\n/
				.exec(banner)![1]!
				.split('\n')
				.map(line => line.trim());
			const results = lines.at(-1)!.replace(/\s+#.*$/, '');
			expect(results).toMatch(/^aws logs get-query-results /);
			// The lines as printed, then the last one again until the query is Complete, as its comment says.
			const script = [
				...lines.slice(0, -1),
				`for attempt in $(seq 40); do out=$(${results}); case "$out" in *'"Complete"'*) break;; esac; sleep 0.25; done`,
				'printf %s "$out"',
			].join('\n');
			const {code, stdout, stderr} = await new Promise<Run>(resolve => {
				execFile('bash', ['-c', script], {env: childEnv()}, (error, stdout, stderr) => {
					resolve({code: error ? (error.code as number) : 0, stdout, stderr});
				});
			});
			expect(stderr).toBe('');
			expect(code).toBe(0);
			const output = JSON.parse(stdout) as {status: string; results: unknown[]};
			expect(output.status).toBe('Complete');
			expect(output.results).toHaveLength(20);
		},
		60_000,
	);

	it('says which group it could not find, with the one that is there', async () => {
		const {code, stderr} = await flowtop([
			'--log-group',
			'/flowtop/demo/vpc-flowlogs',
			'--endpoint',
			url,
			'--once',
			'--json',
		]);
		expect(code).toBe(1);
		expect(stderr).toBe(
			`flowtop: log group "/flowtop/demo/vpc-flowlogs" not found in region us-east-1: did you mean "${GROUP}"?\n`,
		);
	});

	it('closes cleanly on SIGTERM', async () => {
		const exited = new Promise<number | null>(resolve => {
			server.once('exit', code => {
				resolve(code);
			});
		});
		let tail = '';
		server.stdout!.on('data', (chunk: Buffer) => {
			tail += chunk.toString('utf8');
		});
		server.kill('SIGTERM');
		expect(await exited).toBe(0);
		expect(tail).toBe('flowtop: demo endpoint stopped\n');
	});
});

describe('flowtop --demo --once --json', () => {
	it('runs the endpoint, the simulated VPC and the poller for one window', async () => {
		const {code, stdout, stderr} = await flowtop(['--demo', '--once', '--json', '--scenario', 'port-scan']);
		expect(code).toBe(0);
		// The AWS SDK's warning about Node 20 stays off stderr, which carries only flowtop's notes.
		expect(
			stderr
				.trimEnd()
				.split('\n')
				.filter(line => !line.startsWith('flowtop: ')),
		).toEqual([]);
		expect(stderr).not.toMatch(/warning/i);
		const report = JSON.parse(stdout);
		expect(report.records.ok).toBeGreaterThan(1000);
		expect(report.rejected.total).toBeGreaterThan(100);
	}, 60_000);
});
