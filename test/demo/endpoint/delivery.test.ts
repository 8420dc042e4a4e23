import {FilterLogEventsCommand, StartQueryCommand} from '@aws-sdk/client-cloudwatch-logs';
import {describe, expect, it} from 'vitest';
import {flowEvents, rows, runQuery, T0, T0_SECONDS, useEndpoint, waitForQuery} from './harness.js';

const MINUTE = 60_000;

describe('delivery lateness', () => {
	const harness = useEndpoint();

	it('keeps a record out of sight until it is delivered, then shows it ingested at that time', async () => {
		// Captured ten minutes ago, reaching CloudWatch five minutes from now.
		const [event] = flowEvents({start: T0_SECONDS - 600, bytes: 777});
		harness.endpoint.store.deliver('flows', 'eni-1-all', [event!], T0 + 5 * MINUTE);

		expect(rows(await runQuery(harness.client, 'stats count(*) as records'))).toEqual([]);
		expect((await harness.client.send(new FilterLogEventsCommand({logGroupName: 'flows'}))).events).toEqual([]);

		harness.clock.advance(5 * MINUTE);
		const found = await runQuery(harness.client, 'fields @timestamp, @ingestionTime, bytes', {
			endTime: T0_SECONDS + 300,
		});
		expect(rows(found)).toEqual([
			{'@timestamp': '2024-05-01 11:50:00.000', '@ingestionTime': '2024-05-01 12:05:00.000', bytes: '777'},
		]);
		expect((await harness.client.send(new FilterLogEventsCommand({logGroupName: 'flows'}))).events).toMatchObject([
			{timestamp: T0 - 10 * MINUTE, ingestionTime: T0 + 5 * MINUTE},
		]);
	});

	it('lets a late record land in the past: a query re-asking for that window finds it', async () => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', flowEvents({start: T0_SECONDS - 60}), T0);
		const window = {startTime: T0_SECONDS - 900, endTime: T0_SECONDS};
		expect(rows(await runQuery(harness.client, 'stats count(*) as records', window))).toEqual([{records: '1'}]);

		harness.endpoint.store.deliver('flows', 'eni-1-all', flowEvents({start: T0_SECONDS - 600}), T0 + MINUTE);
		harness.clock.advance(MINUTE);
		expect(rows(await runQuery(harness.client, 'stats count(*) as records', window))).toEqual([{records: '2'}]);
	});

	it('answers a query from what was visible when it started', async () => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', flowEvents({start: T0_SECONDS - 120}), T0);
		harness.endpoint.store.deliver('flows', 'eni-1-all', flowEvents({start: T0_SECONDS - 60}), T0 + MINUTE);
		const {queryId} = await harness.client.send(
			new StartQueryCommand({
				logGroupName: 'flows',
				startTime: T0_SECONDS - 600,
				endTime: T0_SECONDS,
				queryString: 'stats count(*) as records',
			}),
		);
		harness.clock.advance(MINUTE);
		expect(rows(await waitForQuery(harness.client, queryId!))).toEqual([{records: '1'}]);
	});
});
