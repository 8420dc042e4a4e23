import {spawn} from 'node:child_process';
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
import {buildReport} from '../../../source/report.js';
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
	const simulator = new VpcSimulator({scenario: 'port-scan', seed: 3, historyMs: 10 * 60_000, rate: 0.2, clock: Date.now});
	feed = new DemoFeed({store: endpoint.store, simulator, clock: Date.now, format: DEMO_FORMAT});
	feed.pump();
});
afterEach(async () => {
	await endpoint.close();
});

async function once(flags: Flags): Promise<{stdout: string; stderr: string}> {
	const config = parseConfig({endpoint: endpoint.url, format: awsFormatString(DEMO_FORMAT), once: true, ...flags});
	const stdout = new Text();
	const stderr = new Text();
	await runInsightsOnce(config as Parameters<typeof runInsightsOnce>[0] & {source: PolledSource}, {stdout, stderr}, () => []);
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
	return buildReport(store, decoder.stats, computeViews(store, parseConfig({demo: true}).filter, {limit: 10, sections: REPORT_SECTIONS}), []);
}

describe('--log-group --once', () => {
	it('prints the same report as the records themselves give, notes on stderr', async () => {
		const {stdout, stderr} = await once({logGroup: [DEMO_LOG_GROUP], json: true});
		const report = JSON.parse(stdout);
		const expected = truth();
		expect(report.records).toEqual(expected.records);
		expect(report.topTalkers).toEqual(expected.topTalkers);
		expect(report.rejected).toEqual(expected.rejected);
		expect(report.protocols).toEqual(expected.protocols);
		expect(stderr).toMatch(/^flowtop: Logs Insights scanned [\d.]+ KiB in 1 query \(≈ \$0\.0000\)$/m);
	});

	it('pushes the filter flags down and reports only what they match', async () => {
		const {stdout} = await once({logGroup: [DEMO_LOG_GROUP], json: true, action: 'reject'});
		const report = JSON.parse(stdout);
		expect(report.records).toEqual(truth(record => record.action === 'REJECT').records);
		expect(report.rejected.total).toBe(report.records.ok);
	});

	it('reads the groups a prefix names, and prints text with the notes under it', async () => {
		const {stdout} = await once({logGroupPrefix: '/flowtop/demo/'});
		expect(stdout).toMatch(/^Window {3}\S+ \.\. \S+\nRecords {2}\d+ read/);
		expect(stdout).toMatch(/\n\nrecords reached CloudWatch up to .* after capture: the last minutes of the window may still be filling in\nLogs Insights scanned/);
	});

	it('says when the window holds no records', async () => {
		endpoint.store.createGroup('/vpc/quiet');
		const {stdout, stderr} = await once({logGroup: ['/vpc/quiet'], json: true});
		expect(JSON.parse(stdout).records.total).toBe(0);
		expect(stderr).toMatch(/^flowtop: no records in \/vpc\/quiet between \S+ and \S+; flow logs reach CloudWatch minutes after capture$/m);
	});

	it('fails with exit 1 for what is wrong at runtime, 2 for a wrong flag', async () => {
		await expect(once({logGroup: ['/vpc/missing']})).rejects.toMatchObject({exitCode: 1, message: expect.stringMatching(/^log group "\/vpc\/missing" not found in region us-east-1/)});
		await expect(once({logGroup: ['vpc flows']})).rejects.toBeInstanceOf(UserError);
		await expect(once({logGroup: ['vpc flows']})).rejects.toMatchObject({exitCode: 2});
		await expect(once({logGroupPrefix: '/nothing/'})).rejects.toMatchObject({exitCode: 1, message: 'no log group starts with "/nothing/" in region us-east-1: aws logs describe-log-groups lists them'});
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
			const child = spawn('node', [cli, '--log-group', '/vpc/slow', '--endpoint', stuck.url, '--region', 'us-east-1', '--once'], {
				env: {...env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test'},
			});
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
