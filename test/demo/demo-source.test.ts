import {
	GetQueryResultsCommand,
	type GetQueryResultsCommandOutput,
	StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, describe, expect, it} from 'vitest';
import {MARGIN_FLOOR_MS} from '../../source/sources/insights/searchable-margin.js';
import {DemoSource, type DemoSourceOptions} from '../../source/demo/demo-source.js';
import {DEMO_LOG_GROUP} from '../../source/demo/feed/feed.js';
import {OUTSIDE} from '../../source/demo/vpc/internet.js';
import {SCENARIOS} from '../../source/demo/vpc/scenarios.js';
import {DEFAULT_FORMAT} from '../../source/flowlog/format.js';
import {createLogsClient} from '../../source/sources/insights/client.js';
import {VirtualTime} from '../sources/insights/virtual-time.js';
import {MINUTE, Recorder, sortedKeys, T0} from '../sources/insights/world.js';

let sources: DemoSource[] = [];
afterEach(async () => {
	await Promise.all(sources.map(async source => source.stop()));
	sources = [];
});

/** The demo on virtual time: its feed and its poller are the two loops that wait on it. */
function demo(options: Partial<DemoSourceOptions> = {}): {source: DemoSource; time: VirtualTime; recorder: Recorder} {
	const time = new VirtualTime(T0, 2);
	const source = new DemoSource({
		windowMs: 10 * MINUTE,
		timing: time,
		intervalMs: 60_000,
		random: () => 0.5,
		...options,
	});
	sources.push(source);
	const recorder = new Recorder();
	source.start(recorder);
	return {source, time, recorder};
}

/** Counts what a poll at `at` could see of the window, through the same URL anything else would use. */
async function countOnEndpoint(source: DemoSource, at: number): Promise<number> {
	const client = createLogsClient({
		endpoint: source.endpointUrl!,
		region: 'us-east-1',
		credentials: {accessKeyId: 'a', secretAccessKey: 'b'},
	});
	try {
		const {queryId} = await client.send(
			new StartQueryCommand({
				logGroupName: DEMO_LOG_GROUP,
				startTime: Math.floor((T0 - 10 * MINUTE) / 1000),
				endTime: Math.floor(at / 1000),
				queryString: `filter @ingestionTime <= ${at} | stats count(*) as records`,
			}),
		);
		let output: GetQueryResultsCommandOutput;
		do {
			output = await client.send(new GetQueryResultsCommand({queryId}));
		} while (output.status !== 'Complete');

		return Number(output.results![0]![0]!.value);
	} finally {
		client.destroy();
	}
}

describe('the demo source', () => {
	it("fills the panes from the first poll: the window's history is delivered already", async () => {
		const {time, recorder, source} = demo();
		await time.runUntil(T0 + 1000);
		expect(recorder.statuses[0]).toEqual({kind: 'starting'});
		expect(recorder.received.length).toBeGreaterThan(1000);
		expect(source.label).toBe(DEMO_LOG_GROUP);
		expect(source.stats.malformed).toBe(0);
	});

	it('polls its endpoint like any log group: every record once, minutes late', async () => {
		const {time, recorder, source} = demo();
		await time.runUntil(T0 + 12 * MINUTE);
		const records = recorder.received;
		expect(new Set(sortedKeys(records)).size).toBe(records.length);
		// Everything that reached CloudWatch up to the margin before the last poll that completed, and
		// nothing else; re-checks have found no lag here, so the margin is down to its floor.
		const waiting = recorder.statuses.filter(status => status.kind === 'waiting').at(-1)!;
		const lastPoll = waiting.nextPollAt - 60_000;
		expect(records.length).toBe(await countOnEndpoint(source, lastPoll - MARGIN_FLOOR_MS));
		expect(records.some(record => record.start! * 1000 > T0 + 5 * MINUTE)).toBe(true);
	}, 20_000);

	it('switches scenario on demand, from now on', async () => {
		const {time, recorder, source} = demo();
		expect(source.scenarios.map(scenario => scenario.name)).toEqual(SCENARIOS.map(scenario => scenario.name));
		expect(source.current()).toBe('healthy');
		await time.runUntil(T0 + 1000);
		const scans = () =>
			recorder.received.filter(record => record.action === 'REJECT' && record.src === OUTSIDE.scanner).length;
		expect(recorder.received.length).toBeGreaterThan(10);
		expect(scans()).toBe(0);
		source.setScenario('port-scan');
		expect(source.current()).toBe('port-scan');
		await time.runUntil(T0 + 10 * MINUTE);
		expect(scans()).toBeGreaterThan(100);
		expect(() => {
			source.setScenario('meteor-strike');
		}).toThrow(RangeError);
	});

	it('writes the default format when asked, and parses it through the same poller', async () => {
		const {time, recorder} = demo({format: DEFAULT_FORMAT});
		await time.runUntil(T0 + 1000);
		expect(recorder.received.length).toBeGreaterThan(10);
		const protocols = new Set(recorder.received.map(record => record.protocol));
		expect(protocols.has(6) && protocols.has(17)).toBe(true);
	});
});
