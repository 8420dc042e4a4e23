import {
	GetQueryResultsCommand,
	InvalidParameterException,
	LimitExceededException,
	ResourceNotFoundException,
	StartQueryCommand,
	type StartQueryCommandInput,
	StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {describe, expect, it, vi} from 'vitest';
import {flowEvents, rows, runQuery, T0, T0_SECONDS, useEndpoint, waitForQuery} from './harness.js';

const lastHour = {startTime: T0_SECONDS - 3600, endTime: T0_SECONDS};

/** `count` default-format records, one a second back from a minute before T0. */
function manyFlows(count: number) {
	return flowEvents(
		...Array.from({length: count}, (_, i) => ({start: T0_SECONDS - 60 - i, srcport: 1024 + (i % 60_000), bytes: i})),
	);
}

describe('a query from start to end', () => {
	const harness = useEndpoint({scheduledPolls: 1, recordsPerPoll: 100});

	const start = async (queryString: string, input: Partial<StartQueryCommandInput> = {}) =>
		(await harness.client.send(new StartQueryCommand({logGroupName: 'flows', ...lastHour, queryString, ...input})))
			.queryId!;
	const poll = async (queryId: string) => harness.client.send(new GetQueryResultsCommand({queryId}));

	it('is Scheduled, then Running with partial results, then Complete', async () => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', manyFlows(250), T0);
		const queryId = await start('stats count(*) as records');
		expect(harness.endpoint.runningQueries()).toBe(1);

		const seen = [];
		for (;;) {
			const {status, results, statistics} = await poll(queryId);
			seen.push({status, records: results![0]?.[0]?.value, scanned: statistics!.recordsScanned});
			if (status === 'Complete') {
				break;
			}
		}

		expect(seen).toEqual([
			{status: 'Scheduled', records: undefined, scanned: 0},
			{status: 'Running', records: '100', scanned: 100},
			{status: 'Running', records: '200', scanned: 200},
			{status: 'Complete', records: '250', scanned: 250},
		]);
		expect(harness.endpoint.runningQueries()).toBe(0);
		expect((await poll(queryId)).status).toBe('Complete');
	});

	it('is Cancelled by StopQuery, keeping what it had found, and frees its slot', async () => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', manyFlows(250), T0);
		const queryId = await start('stats count(*) as records');
		await poll(queryId);
		await poll(queryId);
		expect(await harness.client.send(new StopQueryCommand({queryId}))).toMatchObject({success: true});
		expect(harness.endpoint.runningQueries()).toBe(0);
		const {status, results} = await poll(queryId);
		expect(status).toBe('Cancelled');
		expect(results).toEqual([[{field: 'records', value: '100'}]]);
		await expect(harness.client.send(new StopQueryCommand({queryId}))).rejects.toMatchObject({
			name: 'InvalidParameterException',
			message: expect.stringMatching(/is not running/),
		});
	});

	it('answers ResourceNotFoundException for a query it never started', async () => {
		const queryId = '12ab3456-12ab-123a-789e-1234567890ab';
		await expect(poll(queryId)).rejects.toBeInstanceOf(ResourceNotFoundException);
		await expect(harness.client.send(new StopQueryCommand({queryId}))).rejects.toBeInstanceOf(
			ResourceNotFoundException,
		);
	});
});

describe('a query on an endpoint where queries run on their own', () => {
	const harness = useEndpoint({scheduledPolls: 1, recordsPerPoll: 100, runsUnpolled: true});

	it('runs to its end with nobody asking, a step per turn of the event loop, as the service runs them', async () => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', manyFlows(250), T0);
		const {queryId} = await harness.client.send(
			new StartQueryCommand({logGroupName: 'flows', ...lastHour, queryString: 'stats count(*) as records'}),
		);
		await vi.waitFor(() => {
			expect(harness.endpoint.runningQueries()).toBe(0);
		});
		const {status, results, statistics} = await harness.client.send(new GetQueryResultsCommand({queryId}));
		expect({status, results, scanned: statistics!.recordsScanned}).toEqual({
			status: 'Complete',
			results: [[{field: 'records', value: '250'}]],
			scanned: 250,
		});
	});
});

describe('limits on queries', () => {
	const harness = useEndpoint({maxConcurrentQueries: 2});

	const start = async (input: Partial<StartQueryCommandInput> = {}) =>
		(
			await harness.client.send(
				new StartQueryCommand({logGroupName: 'flows', ...lastHour, queryString: 'fields @message', ...input}),
			)
		).queryId!;

	it('refuses a query past the concurrency limit until one ends', async () => {
		harness.endpoint.store.createGroup('flows');
		const first = await start();
		await start();
		await expect(start()).rejects.toMatchObject({
			name: LimitExceededException.name,
			message: 'Account maximum query concurrency limit of [2] reached.',
		});
		await waitForQuery(harness.client, first);
		await start();
		expect(harness.endpoint.runningQueries()).toBe(2);
	});

	it('returns at most 10,000 rows by default while counting every match', async () => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', manyFlows(12_000), T0);
		const sixHours = {startTime: T0_SECONDS - 6 * 3600};
		const output = await runQuery(harness.client, 'fields @timestamp, bytes', sixHours);
		expect(output.results).toHaveLength(10_000);
		expect(output.statistics).toMatchObject({recordsMatched: 12_000, recordsScanned: 12_000});
		expect(rows(await runQuery(harness.client, 'stats count(*) by srcPort', sixHours))).toHaveLength(10_000);
	});

	it('returns fewer rows when StartQuery or the query asks for fewer', async () => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', manyFlows(100), T0);
		expect((await runQuery(harness.client, 'fields bytes', {limit: 30})).results).toHaveLength(30);
		expect((await runQuery(harness.client, 'fields bytes | limit 20', {limit: 30})).results).toHaveLength(20);
		expect((await runQuery(harness.client, 'fields bytes | limit 20', {limit: 10})).results).toHaveLength(10);
	});
});

describe('query statistics', () => {
	const harness = useEndpoint();

	it('counts the records and bytes of the queried groups in the range, and the matches', async () => {
		const {store} = harness.endpoint;
		const inRange = flowEvents(
			{start: T0_SECONDS - 300, action: 'REJECT'},
			{start: T0_SECONDS - 200},
			{start: T0_SECONDS - 100, action: 'REJECT'},
		);
		store.deliver('flows', 'eni-1-all', inRange, T0);
		store.deliver('flows', 'eni-1-all', flowEvents({start: T0_SECONDS - 7200}), T0);
		store.deliver('flows', 'eni-1-all', flowEvents({start: T0_SECONDS - 50}), T0 + 60_000);
		store.deliver('other', 'eni-2-all', flowEvents({start: T0_SECONDS - 100}), T0);
		const bytes = inRange.reduce((sum, event) => sum + Buffer.byteLength(event.message), 0);

		const output = await runQuery(harness.client, 'filter action = "REJECT" | stats count(*) as rejects');
		expect(output.statistics).toEqual({recordsMatched: 2, recordsScanned: 3, bytesScanned: bytes});
	});

	it('scans every group named, by name list or by identifier', async () => {
		const {store} = harness.endpoint;
		store.deliver('a', 's', flowEvents({start: T0_SECONDS - 100}), T0);
		store.deliver('b', 's', flowEvents({start: T0_SECONDS - 100}, {start: T0_SECONDS - 90}), T0);
		const count = 'stats count(*) as records';
		expect(rows(await runQuery(harness.client, count, {logGroupNames: ['a', 'b']}))).toEqual([{records: '3'}]);
		const identifiers = ['a', 'arn:aws:logs:us-east-1:123456789012:log-group:b'];
		expect(
			rows(
				await runQuery(harness.client, `fields @log | ${count} by @log | sort @log`, {
					logGroupIdentifiers: identifiers,
				}),
			),
		).toEqual([
			{'@log': '123456789012:a', records: '1'},
			{'@log': '123456789012:b', records: '2'},
		]);
	});

	it('takes the time range in whole seconds, both ends included', async () => {
		harness.endpoint.store.deliver(
			'flows',
			's',
			[
				{timestamp: T0 - 60_001, message: 'before'},
				{timestamp: T0 - 60_000, message: 'first'},
				{timestamp: T0 + 999, message: 'last'},
				{timestamp: T0 + 1000, message: 'after'},
			],
			T0,
		);
		const found = rows(
			await runQuery(harness.client, 'fields @message', {startTime: T0_SECONDS - 60, endTime: T0_SECONDS}),
		);
		expect(found.map(row => row['@message'])).toEqual(['first', 'last']);
	});
});

describe('StartQuery input', () => {
	const harness = useEndpoint();

	const start = async (input: Partial<StartQueryCommandInput>) =>
		harness.client.send(new StartQueryCommand({...lastHour, queryString: 'fields @message', ...input}));

	it('needs exactly one way of naming the groups', async () => {
		harness.endpoint.store.createGroup('flows');
		await expect(start({})).rejects.toBeInstanceOf(InvalidParameterException);
		await expect(start({logGroupName: 'flows', logGroupNames: ['flows']})).rejects.toBeInstanceOf(
			InvalidParameterException,
		);
	});

	it('refuses groups that do not exist, a backwards range and other query languages', async () => {
		harness.endpoint.store.createGroup('flows');
		await expect(start({logGroupName: 'nope'})).rejects.toMatchObject({
			name: ResourceNotFoundException.name,
			message: "Log group 'nope' does not exist for account ID '123456789012'",
		});
		await expect(start({logGroupName: 'flows', startTime: T0_SECONDS, endTime: T0_SECONDS - 1})).rejects.toBeInstanceOf(
			InvalidParameterException,
		);
		await expect(start({logGroupName: 'flows', queryLanguage: 'PPL'})).rejects.toBeInstanceOf(
			InvalidParameterException,
		);
		expect(harness.endpoint.runningQueries()).toBe(0);
	});
});
