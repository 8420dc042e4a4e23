import {
	FilterLogEventsCommand,
	type FilterLogEventsCommandInput,
	InvalidParameterException,
	ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {beforeEach, describe, expect, it} from 'vitest';
import {T0, useEndpoint} from './harness.js';

const SECOND = 1000;

describe('FilterLogEvents', () => {
	const harness = useEndpoint();
	beforeEach(() => {
		const {store} = harness.endpoint;
		store.deliver(
			'app',
			'web-1',
			[
				{timestamp: T0 - 50 * SECOND, message: 'ERROR timeout talking to db'},
				{timestamp: T0 - 30 * SECOND, message: 'INFO request served'},
				{timestamp: T0 - 10 * SECOND, message: 'WARN slow request'},
			],
			T0,
		);
		store.deliver(
			'app',
			'web-2',
			[
				{timestamp: T0 - 40 * SECOND, message: 'ERROR disk full'},
				{timestamp: T0 - 20 * SECOND, message: 'DEBUG cache miss'},
			],
			T0,
		);
		store.deliver('app', 'worker', [{timestamp: T0 - 45 * SECOND, message: 'INFO job done'}], T0);
	});

	const messages = async (input: Partial<FilterLogEventsCommandInput> = {}) =>
		(await harness.client.send(new FilterLogEventsCommand({logGroupName: 'app', ...input}))).events?.map(
			event => event.message,
		);

	it('interleaves every stream oldest first', async () => {
		expect(await messages()).toEqual([
			'ERROR timeout talking to db',
			'INFO job done',
			'ERROR disk full',
			'INFO request served',
			'DEBUG cache miss',
			'WARN slow request',
		]);
	});

	it('gives each event its stream, timestamps and id', async () => {
		const {events, searchedLogStreams} = await harness.client.send(
			new FilterLogEventsCommand({logGroupName: 'app', logStreamNames: ['worker']}),
		);
		expect(events).toEqual([
			{
				logStreamName: 'worker',
				timestamp: T0 - 45 * SECOND,
				message: 'INFO job done',
				ingestionTime: T0,
				eventId: expect.any(String),
			},
		]);
		expect(searchedLogStreams).toEqual([]);
	});

	it('keeps to the time range, both ends included', async () => {
		expect(await messages({startTime: T0 - 40 * SECOND, endTime: T0 - 20 * SECOND})).toEqual([
			'ERROR disk full',
			'INFO request served',
			'DEBUG cache miss',
		]);
	});

	it('keeps to the streams named, or starting with a prefix', async () => {
		expect(await messages({logStreamNames: ['web-2', 'worker']})).toEqual([
			'INFO job done',
			'ERROR disk full',
			'DEBUG cache miss',
		]);
		expect(await messages({logStreamNamePrefix: 'web-'})).toHaveLength(5);
		await expect(messages({logStreamNames: ['web-1'], logStreamNamePrefix: 'web'})).rejects.toBeInstanceOf(
			InvalidParameterException,
		);
	});

	it('matches term patterns: all terms, a quoted phrase, any of ?terms, none of -terms', async () => {
		expect(await messages({filterPattern: 'ERROR'})).toEqual(['ERROR timeout talking to db', 'ERROR disk full']);
		expect(await messages({filterPattern: 'ERROR db'})).toEqual(['ERROR timeout talking to db']);
		expect(await messages({filterPattern: '"slow request"'})).toEqual(['WARN slow request']);
		expect(await messages({filterPattern: '?WARN ?DEBUG'})).toEqual(['DEBUG cache miss', 'WARN slow request']);
		expect(await messages({filterPattern: 'request -WARN'})).toEqual(['INFO request served']);
		expect(await messages({filterPattern: 'error'})).toEqual([]);
	});

	it('refuses JSON and space-delimited patterns, which it does not evaluate', async () => {
		await expect(messages({filterPattern: '{ $.level = "ERROR" }'})).rejects.toBeInstanceOf(InvalidParameterException);
		await expect(messages({filterPattern: '[level, ...]'})).rejects.toBeInstanceOf(InvalidParameterException);
	});

	it('pages with limit and nextToken, forwards and backwards', async () => {
		for (const startFromHead of [true, false]) {
			const seen: string[] = [];
			let nextToken: string | undefined;
			do {
				const page = await harness.client.send(
					new FilterLogEventsCommand({logGroupName: 'app', limit: 4, startFromHead, nextToken}),
				);
				expect(page.events!.length).toBeLessThanOrEqual(4);
				seen.push(...page.events!.map(event => event.message!));
				nextToken = page.nextToken;
			} while (nextToken);

			const oldestFirst = [
				'ERROR timeout talking to db',
				'INFO job done',
				'ERROR disk full',
				'INFO request served',
				'DEBUG cache miss',
				'WARN slow request',
			];
			expect(seen).toEqual(startFromHead ? oldestFirst : oldestFirst.reverse());
		}
	});

	it('finds a group by ARN, and refuses a group that does not exist', async () => {
		const logGroupIdentifier = 'arn:aws:logs:us-east-1:123456789012:log-group:app';
		expect(
			await harness.client.send(new FilterLogEventsCommand({logGroupIdentifier, logStreamNames: ['worker']})),
		).toMatchObject({events: [{message: 'INFO job done'}]});
		await expect(messages({logGroupName: 'nope'})).rejects.toBeInstanceOf(ResourceNotFoundException);
		await expect(messages({logGroupName: 'app', logGroupIdentifier})).rejects.toBeInstanceOf(InvalidParameterException);
	});
});
