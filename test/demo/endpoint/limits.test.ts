import {
	DescribeLogStreamsCommand,
	DescribeQueriesCommand,
	GetLogEventsCommand,
	GetLogRecordCommand,
	GetQueryResultsCommand,
	StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {beforeEach, describe, expect, it} from 'vitest';
import {flowEvents, rows, runQuery, T0, T0_SECONDS, useEndpoint, waitForQuery} from './harness.js';

const STREAM = 'eni-0a1b2c3d4e5f60001-all';

describe('StartQuery refuses what the service refuses', () => {
	const harness = useEndpoint();
	beforeEach(() => {
		harness.endpoint.store.createGroup('flows');
	});

	const start = async (input: Record<string, unknown>) =>
		harness.client.send(
			new StartQueryCommand({
				logGroupName: 'flows',
				startTime: T0_SECONDS - 60,
				endTime: T0_SECONDS,
				queryString: 'fields @message',
				...input,
			}),
		);

	it.each([
		[
			'a query string over 10,000 characters',
			{queryString: `fields @message | filter @message like "${'x'.repeat(10_000)}"`},
			/queryString.*10000/,
		],
		['a log group name outside [.-_/#A-Za-z0-9]', {logGroupName: 'vpc flows'}, /regular expression pattern/],
		['a log group name over 512 characters', {logGroupName: 'g'.repeat(513)}, /regular expression pattern/],
		['a start before the epoch', {startTime: -1}, /startTime.*greater than or equal to 0/],
		['an end before the start', {startTime: T0_SECONDS, endTime: T0_SECONDS - 1}, /endTime/],
		['a limit of 0', {limit: 0}, /limit/],
		['a limit over 100,000', {limit: 100_001}, /limit.*100000/],
	])('%s', async (_, input, message) => {
		await expect(start(input)).rejects.toMatchObject({
			name: 'InvalidParameterException',
			message: expect.stringMatching(message),
		});
	});

	it('takes a limit of 100,000', async () => {
		await expect(start({limit: 100_000})).resolves.toMatchObject({queryId: expect.any(String)});
	});
});

describe('results', () => {
	const harness = useEndpoint({recordsPerPoll: 1_000_000});

	it("come 10,000 a page, up to the query's limit, the rest behind nextToken", async () => {
		const events = Array.from({length: 25_000}, (_, i) => ({timestamp: T0 - 600_000 + i, message: `event ${i}`}));
		harness.endpoint.store.deliver('flows', STREAM, events, T0 - 1000);
		const {queryId} = await harness.client.send(
			new StartQueryCommand({
				logGroupName: 'flows',
				startTime: T0_SECONDS - 3600,
				endTime: T0_SECONDS,
				queryString: 'fields @message',
				limit: 100_000,
			}),
		);
		const first = await waitForQuery(harness.client, queryId!);
		expect(first.results).toHaveLength(10_000);
		const messages = rows(first).map(row => row['@message']);
		let {nextToken} = first;
		while (nextToken) {
			const page = await harness.client.send(new GetQueryResultsCommand({queryId, nextToken}));
			messages.push(...rows(page).map(row => row['@message']));
			nextToken = page.nextToken;
		}

		expect(new Set(messages).size).toBe(25_000);
		const capped = await runQuery(harness.client, 'fields @message');
		expect(capped.results).toHaveLength(10_000);
		expect(capped.nextToken).toBeUndefined();
	});

	it('of a stats over fields the group lacks are no rows, not one empty row', async () => {
		harness.endpoint.store.deliver('flows', STREAM, [{timestamp: T0 - 60_000, message: 'not a flow log'}], T0 - 1000);
		expect(rows(await runQuery(harness.client, 'stats sum(bytes) by srcAddr'))).toEqual([]);
		expect(rows(await runQuery(harness.client, 'stats count(*)'))).toEqual([{'count(*)': '1'}]);
	});
});

describe('what a query found', () => {
	const harness = useEndpoint();

	it('is listed by DescribeQueries, and its @ptr read back with GetLogRecord', async () => {
		harness.endpoint.store.deliver('flows', STREAM, flowEvents({srcaddr: '10.0.9.9'}), T0 - 1000);
		const output = await runQuery(harness.client, 'fields @message, @ptr');
		const [row] = rows(output, {withPtr: true});
		const {logRecord} = await harness.client.send(new GetLogRecordCommand({logRecordPointer: row!['@ptr']}));
		expect(logRecord).toMatchObject({'@message': row!['@message'], '@logStream': STREAM});
		await expect(harness.client.send(new GetLogRecordCommand({logRecordPointer: 'nothing'}))).rejects.toMatchObject({
			name: 'InvalidParameterException',
		});

		const {queries} = await harness.client.send(new DescribeQueriesCommand({logGroupName: 'flows'}));
		expect(queries).toEqual([
			expect.objectContaining({
				queryString: 'fields @message, @ptr',
				status: 'Complete',
				logGroupName: 'flows',
				createTime: T0,
			}),
		]);
		expect((await harness.client.send(new DescribeQueriesCommand({status: 'Running'}))).queries).toEqual([]);
	});
});

describe('streams and their events', () => {
	const harness = useEndpoint();

	it('are listed by DescribeLogStreams and read with GetLogEvents, newest first by default, paged by token', async () => {
		const events = Array.from({length: 5}, (_, i) => ({timestamp: T0 - 60_000 + i * 1000, message: `event ${i}`}));
		harness.endpoint.store.deliver('flows', STREAM, events, T0 - 1000);
		harness.endpoint.store.createStream('flows', 'eni-0quiet-all');
		const {logStreams} = await harness.client.send(new DescribeLogStreamsCommand({logGroupName: 'flows'}));
		expect(logStreams).toEqual([
			expect.objectContaining({
				logStreamName: STREAM,
				firstEventTimestamp: T0 - 60_000,
				lastEventTimestamp: T0 - 56_000,
				lastIngestionTime: T0 - 1000,
			}),
			expect.objectContaining({logStreamName: 'eni-0quiet-all'}),
		]);

		const newest = await harness.client.send(
			new GetLogEventsCommand({logGroupName: 'flows', logStreamName: STREAM, limit: 2}),
		);
		expect(newest.events!.map(event => event.message)).toEqual(['event 3', 'event 4']);
		const earlier = await harness.client.send(
			new GetLogEventsCommand({
				logGroupName: 'flows',
				logStreamName: STREAM,
				limit: 2,
				nextToken: newest.nextBackwardToken,
			}),
		);
		expect(earlier.events!.map(event => event.message)).toEqual(['event 1', 'event 2']);
		const fromHead = await harness.client.send(
			new GetLogEventsCommand({logGroupName: 'flows', logStreamName: STREAM, startFromHead: true, limit: 3}),
		);
		expect(fromHead.events!.map(event => event.message)).toEqual(['event 0', 'event 1', 'event 2']);
		const rest = await harness.client.send(
			new GetLogEventsCommand({logGroupName: 'flows', logStreamName: STREAM, nextToken: fromHead.nextForwardToken}),
		);
		expect(rest.events!.map(event => event.message)).toEqual(['event 3', 'event 4']);
	});
});

describe("a query on the endpoint's own clock", () => {
	const harness = useEndpoint({scheduledPolls: 1_000_000});
	const start = async () =>
		(
			await harness.client.send(
				new StartQueryCommand({
					logGroupName: 'flows',
					startTime: T0_SECONDS - 3600,
					endTime: T0_SECONDS,
					queryString: 'fields @message',
				}),
			)
		).queryId!;

	it('completes when nobody polls it', async () => {
		harness.endpoint.store.deliver('flows', STREAM, flowEvents({srcaddr: '10.0.9.9'}), T0 - 1000);
		const queryId = await start();
		expect(harness.endpoint.runningQueries()).toBe(1);
		harness.clock.advance(10_000);
		expect(harness.endpoint.runningQueries()).toBe(0);
		const output = await harness.client.send(new GetQueryResultsCommand({queryId}));
		expect(output.status).toBe('Complete');
		expect(output.results).toHaveLength(1);
	});
});

describe('a query that runs longer than an hour', () => {
	const harness = useEndpoint({scheduledPolls: 1_000_000, runMs: Number.POSITIVE_INFINITY});

	it("times out, as the service's do", async () => {
		harness.endpoint.store.createGroup('flows');
		const {queryId} = await harness.client.send(
			new StartQueryCommand({
				logGroupName: 'flows',
				startTime: T0_SECONDS - 3600,
				endTime: T0_SECONDS,
				queryString: 'fields @message',
			}),
		);
		harness.clock.advance(59 * 60_000);
		expect((await harness.client.send(new GetQueryResultsCommand({queryId}))).status).toBe('Scheduled');
		harness.clock.advance(60_000);
		expect((await harness.client.send(new GetQueryResultsCommand({queryId}))).status).toBe('Timeout');
	});
});
