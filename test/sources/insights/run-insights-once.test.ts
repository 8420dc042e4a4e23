import {spawn} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Writable} from 'node:stream';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {parseConfig, type Flags} from '../../../source/config.js';
import {type Endpoint, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {awsFormatString} from '../../../source/flowlog/format.js';
import {DEMO_FORMAT} from '../../../source/demo/feed/demo-format.js';
import {DEMO_LOG_GROUP, DemoFeed} from '../../../source/demo/feed/feed.js';
import {VpcSimulator} from '../../../source/demo/vpc/simulator.js';
import {FlowStore} from '../../../source/engine/store.js';
import {computeViews, REPORT_SECTIONS} from '../../../source/engine/views.js';
import {UserError} from '../../../source/errors.js';
import {FlowLogDecoder, parseRecord} from '../../../source/flowlog/decoder.js';
import type {FlowRecord} from '../../../source/flowlog/record.js';
import {diagnose} from '../../../source/diagnosis/diagnose.js';
import {buildReport} from '../../../source/report.js';
import {flowEvents} from '../../demo/endpoint/harness.js';
import {runFileOnce} from '../../../source/run-once.js';
import {type PolledSource, runInsightsOnce} from '../../../source/run-insights-once.js';

class Text extends Writable {
	text = '';

	override _write(chunk: Buffer, _encoding: string, done: () => void): void {
		this.text += chunk.toString('utf8');
		done();
	}
}

let endpoint: Endpoint;
let feed: DemoFeed;
beforeEach(async () => {
	// Wall-clock time: --once asks for [now - window, now] as a person running it would. Ten
	// minutes of history sit well inside the 15-minute window, so no record straddles its start.
	endpoint = await startEndpoint();
	const simulator = new VpcSimulator({
		scenario: 'port-scan',
		seed: 3,
		historyMs: 10 * 60_000,
		rate: 0.2,
		clock: Date.now,
	});
	feed = new DemoFeed({store: endpoint.store, simulator, clock: Date.now, format: DEMO_FORMAT});
	feed.pump();
});
afterEach(async () => {
	await endpoint.close();
});

async function once(flags: Flags, diagnosing = false): Promise<{stdout: string; stderr: string}> {
	const config = parseConfig({endpoint: endpoint.url, format: awsFormatString(DEMO_FORMAT), once: true, ...flags});
	const stdout = new Text();
	const stderr = new Text();
	await runInsightsOnce(
		config as Parameters<typeof runInsightsOnce>[0] & {source: PolledSource},
		{stdout, stderr},
		store => (diagnosing ? diagnose(store, {filter: config.filter}) : []),
	);
	return {stdout: stdout.text, stderr: stderr.text};
}

function truth(filter: (record: FlowRecord) => boolean = () => true) {
	const decoder = new FlowLogDecoder(DEMO_FORMAT);
	const records: FlowRecord[] = [];
	for (const event of endpoint.store.visibleEvents([DEMO_LOG_GROUP], 0, Number.POSITIVE_INFINITY)) {
		decoder.decode(event.message, 0, event.message.length, parseRecord, records);
	}

	const store = new FlowStore({windowSeconds: 15 * 60});
	store.add(records.filter(record => filter(record)));
	return buildReport(
		store,
		decoder.stats,
		computeViews(store, parseConfig({demo: true}).filter, {limit: 10, sections: REPORT_SECTIONS}),
		[],
	);
}

describe('--log-group --once', () => {
	// Twenty queries outlast 5 s on a loaded machine.
	it('prints the same report as the records themselves give, from Insights sums, notes on stderr', async () => {
		const {stdout, stderr} = await once({logGroup: [DEMO_LOG_GROUP], json: true, mode: 'aggregate'});
		const report = JSON.parse(stdout);
		const expected = truth();
		expect(report.records).toEqual(expected.records);
		expect(report.topTalkers).toEqual(expected.topTalkers);
		expect(report.rejected).toEqual(expected.rejected);
		expect(report.protocols).toEqual(expected.protocols);
		expect(stderr).not.toMatch(/mode/);
		// 19, one that counts messages that are no record, and the demo's format tells its NAT gateway: one
		// query finds it, two read its records.
		expect(stderr).toMatch(/^flowtop: Logs Insights scanned [\d.]+ [KM]iB in 23 queries \(≈ \$0\.000\d\)$/m);
	}, 60_000);

	it('reads raw records in one query when asked to, and says how late they came', async () => {
		const {stdout, stderr} = await once({logGroup: [DEMO_LOG_GROUP], json: true, mode: 'raw'});
		expect(JSON.parse(stdout).topTalkers).toEqual(truth().topTalkers);
		expect(stderr).not.toMatch(/mode/);
		expect(stderr).toMatch(/^flowtop: records reached CloudWatch up to \d+m\d*s? after capture/m);
		expect(stderr).toMatch(/^flowtop: Logs Insights scanned [\d.]+ KiB in 1 query \(≈ \$0\.0000\)$/m);
	});

	it('fetches every record whatever the filter: the filter narrows the lists, never the counts', async () => {
		const report = JSON.parse((await once({logGroup: [DEMO_LOG_GROUP], json: true, action: 'reject'})).stdout);
		expect(report.records).toEqual(truth().records);
		expect(report.rejected.total).toBeLessThan(report.records.ok);
		expect(report.topTalkers.length).toBeGreaterThan(0);
	});

	it.each([
		['an action', {action: 'reject'}, 0],
		['a port', {port: ['22']}, 1],
		['a text filter', {filter: 'tcp reject'}, 0],
	] as Array<[string, Flags, number]>)(
		'gives the report file mode gives for the same records, under %s',
		async (_, filter, findings) => {
			const file = join(mkdtempSync(join(tmpdir(), 'flowtop-')), 'same.log');
			writeFileSync(
				file,
				endpoint.store
					.visibleEvents([DEMO_LOG_GROUP], 0, Number.POSITIVE_INFINITY)
					.map(event => `${event.message}\n`)
					.join(''),
			);
			const fromGroup = JSON.parse((await once({logGroup: [DEMO_LOG_GROUP], json: true, ...filter}, true)).stdout);
			const fileConfig = parseConfig({file, format: awsFormatString(DEMO_FORMAT), once: true, json: true, ...filter});
			const stdout = new Text();
			await runFileOnce(fileConfig, file, {stdout, stderr: new Text()}, store =>
				diagnose(store, {filter: fileConfig.filter}),
			);
			const fromFile = JSON.parse(stdout.text);
			expect(fromGroup.findings.length).toBeGreaterThanOrEqual(findings);
			expect(fromGroup).toEqual(fromFile);
		},
	);

	it('reads the groups a prefix names, and prints text with the notes under it', async () => {
		const {stdout} = await once({logGroupPrefix: '/flowtop/demo/'});
		expect(stdout).toMatch(/^Window {3}\S+ \.\. \S+\nRecords {2}\d+ read/);
		expect(stdout).toMatch(
			/\n\nrecords reached CloudWatch up to .* after capture: the last minutes of the window may still be filling in\nLogs Insights scanned/,
		);
	});

	it('says when the window holds no records', async () => {
		endpoint.store.createGroup('/vpc/quiet');
		const {stdout, stderr} = await once({logGroup: ['/vpc/quiet'], json: true});
		expect(JSON.parse(stdout).records.total).toBe(0);
		expect(stderr).toMatch(
			/^flowtop: no records in \/vpc\/quiet between \S+ and \S+; flow logs reach CloudWatch minutes after capture$/m,
		);
	});

	it('fails with exit 1 for what is wrong at runtime, 2 for a wrong flag', async () => {
		await expect(once({logGroup: ['/vpc/missing']})).rejects.toMatchObject({
			exitCode: 1,
			message: expect.stringMatching(/^log group "\/vpc\/missing" not found in region us-east-1/),
		});
		await expect(once({logGroup: ['vpc flows']})).rejects.toBeInstanceOf(UserError);
		await expect(once({logGroup: ['vpc flows']})).rejects.toMatchObject({exitCode: 2});
		await expect(once({logGroupPrefix: '/nothing/'})).rejects.toMatchObject({
			exitCode: 1,
			message: 'no log group starts with "/nothing/" in region us-east-1: aws logs describe-log-groups lists them',
		});
	});
});

describe('--log-group --once, interrupted', () => {
	it('stops its query on Ctrl-C before it exits', async () => {
		// A query that never ends, so the poll is certainly in flight when the signal comes.
		const stuck = await startEndpoint({limits: {scheduledPolls: Number.POSITIVE_INFINITY}});
		stuck.store.createGroup('/vpc/slow');
		try {
			const cli = new URL('../../../dist/cli.js', import.meta.url).pathname;
			const {CI: _, ...env} = process.env;
			const child = spawn(
				'node',
				[cli, '--log-group', '/vpc/slow', '--endpoint', stuck.url, '--region', 'us-east-1', '--once'],
				{
					env: {...env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'},
				},
			);
			let stderr = '';
			child.stderr.on('data', (chunk: Buffer) => {
				stderr += chunk.toString('utf8');
			});
			let ended = false;
			const exited = new Promise<NodeJS.Signals | null>(resolve => {
				child.once('exit', (_, signal) => {
					ended = true;
					resolve(signal);
				});
			});
			// The child takes a moment to start: wait for its query to be there (or for it to end).
			while (stuck.runningQueries() === 0 && !ended) {
				await new Promise(resolve => {
					setImmediate(resolve);
				});
			}

			expect(stderr).toBe('');

			expect(stuck.runningQueries()).toBe(1);
			child.kill('SIGINT');
			expect(await exited).toBe('SIGINT');
			expect(stuck.runningQueries()).toBe(0);
		} finally {
			await stuck.close();
		}
	});
});

describe('--log-group --once --since', () => {
	// One record every five minutes over the last hour, on one ENI.
	function hourOfRecords(): void {
		const now = Math.floor(Date.now() / 1000);
		const records = Array.from({length: 12}, (_, i) => ({
			start: now - 3540 + i * 300,
			end: now - 3500 + i * 300,
			srcaddr: `10.0.1.${i + 1}`,
		}));
		endpoint.store.deliver('/vpc/hour', 'eni-0a1b2c3d4e5f60718', flowEvents(...records), 0);
	}

	it('reports over the last hour: window, records and lists cover the same records', async () => {
		hourOfRecords();
		const report = JSON.parse(
			(await once({logGroup: ['/vpc/hour'], json: true, format: undefined, since: '1h'})).stdout,
		);
		expect(report.records.total).toBe(12);
		expect(report.topTalkers).toHaveLength(10);
		expect(report.protocols[0].flows).toBe(12);
		expect(Date.parse(report.window.end) - Date.parse(report.window.start)).toBeGreaterThan(55 * 60_000);
	});

	it('without it, reports the default 15 minutes, counts and lists alike', async () => {
		hourOfRecords();
		const report = JSON.parse((await once({logGroup: ['/vpc/hour'], json: true, format: undefined})).stdout);
		expect(report.records.total).toBe(report.protocols[0].flows);
		expect(report.records.total).toBeGreaterThanOrEqual(2);
		expect(report.records.total).toBeLessThanOrEqual(4);
		expect(Date.parse(report.window.end) - Date.parse(report.window.start)).toBeLessThan(16 * 60_000);
	});
});

describe('--since in the live view', () => {
	it('widens the window back to it, and never narrows it', () => {
		const now = Date.parse('2026-11-28T20:00:00Z');
		expect(parseConfig({logGroup: ['g'], since: '2h'}, now).windowSeconds).toBe(7200);
		expect(parseConfig({logGroup: ['g'], since: '2026-11-28T19:30:00Z'}, now).windowSeconds).toBe(1800);
		expect(parseConfig({logGroup: ['g'], since: '5m'}, now).windowSeconds).toBe(900);
		expect(parseConfig({logGroup: ['g'], since: '1h', window: '3h'}, now).windowSeconds).toBe(3 * 3600);
	});
});
