import {GetQueryResultsCommand, StartQueryCommand} from '@aws-sdk/client-cloudwatch-logs';
import {describe, expect, it} from 'vitest';
import {flowEvents, rows, T0, T0_SECONDS, useEndpoint} from './harness.js';

const MINUTE = 60_000;

/** `count` records captured a second apart from ten minutes back, each of `bytes` bytes. */
function delivery(count: number, bytes: number) {
	return flowEvents(...Array.from({length: count}, (_, i) => ({start: T0_SECONDS - 600 + i, bytes})));
}

describe('a query that asks for what reached CloudWatch in an @ingestionTime window', () => {
	// 100 records a step: a scan that read every record in range would need many steps.
	const harness = useEndpoint({scheduledPolls: 0, recordsPerPoll: 100});

	async function steps(queryString: string): Promise<{steps: number; output: Awaited<ReturnType<typeof poll>>}> {
		const {queryId} = await harness.client.send(
			new StartQueryCommand({logGroupName: 'flows', startTime: T0_SECONDS - 900, endTime: T0_SECONDS, queryString}),
		);
		for (let step = 1; ; step++) {
			const output = await poll(queryId!);
			if (output.status === 'Complete') {
				return {steps: step, output};
			}
		}
	}

	const poll = async (queryId: string) => harness.client.send(new GetQueryResultsCommand({queryId}));

	it('reads only the deliveries in the window, and bills the whole time range all the same', async () => {
		const {store} = harness.endpoint;
		store.deliver('flows', 'eni-1-all', delivery(500, 1), T0 - 3 * MINUTE);
		store.deliver('flows', 'eni-1-all', delivery(3, 2), T0 - 2 * MINUTE);
		store.deliver('flows', 'eni-2-all', delivery(500, 3), T0 - MINUTE);
		const window = `toMillis(@ingestionTime) > ${T0 - 3 * MINUTE} and toMillis(@ingestionTime) <= ${T0 - 2 * MINUTE}`;

		const narrow = await steps(`fields bytes | filter ${window} | stats count(*) as records, sum(bytes) as bytes`);
		expect(rows(narrow.output)).toEqual([{records: '3', bytes: '6'}]);
		expect(narrow.steps).toBe(1);
		const everything = await steps('stats count(*) as records');
		expect(narrow.output.statistics).toEqual({
			recordsScanned: 1003,
			recordsMatched: 3,
			bytesScanned: everything.output.statistics!.bytesScanned,
		});
		expect(everything.steps).toBeGreaterThan(10);
	});

	it('reads the same way round or reversed, and passes over nothing a condition it cannot read might keep', async () => {
		const {store} = harness.endpoint;
		store.deliver('flows', 'eni-1-all', delivery(500, 1), T0 - 3 * MINUTE);
		store.deliver('flows', 'eni-1-all', delivery(3, 2), T0 - MINUTE);
		const reversed = await steps(`filter ${T0 - 2 * MINUTE} < toMillis(@ingestionTime) | stats sum(bytes) as bytes`);
		expect(rows(reversed.output)).toEqual([{bytes: '6'}]);
		expect(reversed.steps).toBe(1);
		const either = await steps(
			`filter toMillis(@ingestionTime) > ${T0 - 2 * MINUTE} or bytes = 1 | stats count(*) as records`,
		);
		expect(rows(either.output)).toEqual([{records: '503'}]);
		const redefined = await steps(
			`fields 0 as @ingestionTime | filter toMillis(@ingestionTime) > ${T0} | stats count(*) as records`,
		);
		expect(redefined.steps).toBeGreaterThan(1);
	});
});
