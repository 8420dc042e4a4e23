import {
	CreateLogGroupCommand,
	CreateLogStreamCommand,
	FilterLogEventsCommand,
	InvalidParameterException,
	PutLogEventsCommand,
	ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {beforeEach, describe, expect, it} from 'vitest';
import {flowLine, rows, runQuery, T0, useEndpoint} from './harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('PutLogEvents', () => {
	const harness = useEndpoint();
	beforeEach(async () => {
		await harness.client.send(new CreateLogGroupCommand({logGroupName: 'flows'}));
		await harness.client.send(new CreateLogStreamCommand({logGroupName: 'flows', logStreamName: 'eni-1-all'}));
	});

	const put = async (...logEvents: Array<{timestamp: number; message: string}>) =>
		harness.client.send(new PutLogEventsCommand({logGroupName: 'flows', logStreamName: 'eni-1-all', logEvents}));
	const stored = async () =>
		(await harness.client.send(new FilterLogEventsCommand({logGroupName: 'flows'}))).events?.map(
			({message, ingestionTime}) => ({message, ingestionTime}),
		);

	it('stores events that reads see at once, ingested now', async () => {
		const response = await put({timestamp: T0 - 5 * MINUTE, message: flowLine({bytes: 1234})});
		expect(response.rejectedLogEventsInfo).toBeUndefined();
		expect(await stored()).toEqual([{message: flowLine({bytes: 1234}), ingestionTime: T0}]);
		expect(rows(await runQuery(harness.client, 'stats sum(bytes) as total'))).toEqual([{total: '1234'}]);
	});

	it('refuses events over 14 days old, keeping the rest', async () => {
		const response = await put(
			{timestamp: T0 - 15 * DAY, message: 'ancient'},
			{timestamp: T0 - 14 * DAY - 1, message: 'just too old'},
			{timestamp: T0 - 13 * DAY, message: 'kept'},
		);
		expect(response.rejectedLogEventsInfo).toEqual({tooOldLogEventEndIndex: 2});
		expect((await stored())?.map(event => event.message)).toEqual(['kept']);
	});

	it('refuses events older than the group keeps them as expired', async () => {
		harness.endpoint.store.createGroup('weekly', {retentionInDays: 7});
		harness.endpoint.store.createStream('weekly', 's');
		const response = await harness.client.send(
			new PutLogEventsCommand({
				logGroupName: 'weekly',
				logStreamName: 's',
				logEvents: [
					{timestamp: T0 - 20 * DAY, message: 'too old'},
					{timestamp: T0 - 8 * DAY, message: 'expired'},
					{timestamp: T0 - 6 * DAY, message: 'kept'},
				],
			}),
		);
		expect(response.rejectedLogEventsInfo).toEqual({tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 2});
	});

	it('refuses events more than two hours ahead', async () => {
		const response = await put(
			{timestamp: T0, message: 'now'},
			{timestamp: T0 + 2 * HOUR, message: 'two hours ahead'},
			{timestamp: T0 + 2 * HOUR + 1, message: 'too new'},
		);
		expect(response.rejectedLogEventsInfo).toEqual({tooNewLogEventStartIndex: 2});
		expect((await stored())?.map(event => event.message)).toEqual(['now', 'two hours ahead']);
	});

	it('refuses a batch out of order, spanning over 24 hours, empty, or over 10,000 events', async () => {
		await expect(put({timestamp: T0, message: 'b'}, {timestamp: T0 - 1, message: 'a'})).rejects.toMatchObject({
			name: 'InvalidParameterException',
			message: 'Log events in a single PutLogEvents request must be in chronological order.',
		});
		await expect(put({timestamp: T0 - 25 * HOUR, message: 'a'}, {timestamp: T0, message: 'b'})).rejects.toMatchObject({
			message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
		});
		await expect(put()).rejects.toBeInstanceOf(InvalidParameterException);
		const many = Array.from({length: 10_001}, (_, i) => ({timestamp: T0 - 10_001 + i, message: 'm'}));
		await expect(put(...many)).rejects.toBeInstanceOf(InvalidParameterException);
		await expect(put({timestamp: T0, message: ''})).rejects.toBeInstanceOf(InvalidParameterException);
		expect(await stored()).toEqual([]);
	});

	it('refuses a batch over 1 MB', async () => {
		const big = 'x'.repeat(400_000);
		await expect(
			put({timestamp: T0, message: big}, {timestamp: T0, message: big}, {timestamp: T0, message: big}),
		).rejects.toMatchObject({
			name: 'InvalidParameterException',
			message: expect.stringMatching(/Upload too large/),
		});
	});

	it('needs the group and the stream to exist', async () => {
		const into = (logGroupName: string, logStreamName: string) =>
			harness.client.send(
				new PutLogEventsCommand({logGroupName, logStreamName, logEvents: [{timestamp: T0, message: 'm'}]}),
			);
		await expect(into('missing', 'eni-1-all')).rejects.toMatchObject({
			name: 'ResourceNotFoundException',
			message: 'The specified log group does not exist.',
		});
		await expect(into('flows', 'missing')).rejects.toBeInstanceOf(ResourceNotFoundException);
	});
});
