import {
	AccessDeniedException,
	CloudWatchLogsServiceException,
	DescribeLogGroupsCommand,
	GetQueryResultsCommand,
	InternalServerException,
	LimitExceededException,
	ResourceNotFoundException,
	ServiceUnavailableException,
	StartQueryCommand,
	ThrottlingException,
} from '@aws-sdk/client-cloudwatch-logs';
import {beforeEach, describe, expect, it} from 'vitest';
import type {FaultError} from '../../../source/demo/endpoint/faults.js';
import {flowEvents, sdkClient, T0, T0_SECONDS, useEndpoint, waitForQuery} from './harness.js';

const startQuery = new StartQueryCommand({
	logGroupName: 'flows',
	startTime: T0_SECONDS - 600,
	endTime: T0_SECONDS,
	queryString: 'stats count(*)',
});
const describeGroups = new DescribeLogGroupsCommand({});

describe('injected request faults', () => {
	const harness = useEndpoint();
	beforeEach(() => {
		harness.endpoint.store.deliver('flows', 'eni-1-all', flowEvents({start: T0_SECONDS - 100}), T0);
	});

	const errors: Array<[FaultError, abstract new (...args: never[]) => Error, number]> = [
		['ThrottlingException', ThrottlingException, 400],
		['LimitExceededException', LimitExceededException, 400],
		['ServiceUnavailableException', ServiceUnavailableException, 503],
		['InternalServerException', InternalServerException, 500],
		['AccessDeniedException', AccessDeniedException, 400],
		['ResourceNotFoundException', ResourceNotFoundException, 400],
	];

	it.each(errors)('makes the SDK throw %s', async (fault, exceptionClass, status) => {
		harness.endpoint.faults.fail('StartQuery', fault);
		const attempt = harness.client.send(startQuery);
		await expect(attempt).rejects.toBeInstanceOf(exceptionClass);
		await expect(attempt).rejects.toMatchObject({name: fault, $metadata: {httpStatusCode: status}});
		expect(harness.endpoint.runningQueries()).toBe(0);
	});

	it('makes the SDK throw ExpiredTokenException, which it knows by name only', async () => {
		harness.endpoint.faults.fail('*', 'ExpiredTokenException');
		const attempt = harness.client.send(describeGroups);
		await expect(attempt).rejects.toBeInstanceOf(CloudWatchLogsServiceException);
		await expect(attempt).rejects.toMatchObject({
			name: 'ExpiredTokenException',
			message: 'The security token included in the request is expired',
		});
	});

	it('names the action an access-denied request was refused', async () => {
		harness.endpoint.faults.fail('DescribeLogGroups', 'AccessDeniedException');
		await expect(harness.client.send(describeGroups)).rejects.toMatchObject({
			message: 'User: arn:aws:iam::123456789012:user/flowtop is not authorized to perform: logs:DescribeLogGroups',
		});
	});

	it('hits only the action named, the number of times asked, and can be cleared', async () => {
		const {faults} = harness.endpoint;
		faults.fail('StartQuery', 'ThrottlingException', {times: 2, message: 'Slow down'});
		await expect(harness.client.send(describeGroups)).resolves.toBeDefined();
		await expect(harness.client.send(startQuery)).rejects.toMatchObject({message: 'Slow down'});
		await expect(harness.client.send(startQuery)).rejects.toBeInstanceOf(ThrottlingException);
		await expect(harness.client.send(startQuery)).resolves.toHaveProperty('queryId');

		faults.fail('*', 'ServiceUnavailableException', {times: Infinity});
		await expect(harness.client.send(describeGroups)).rejects.toBeInstanceOf(ServiceUnavailableException);
		await expect(harness.client.send(startQuery)).rejects.toBeInstanceOf(ServiceUnavailableException);
		faults.clear();
		await expect(harness.client.send(describeGroups)).resolves.toBeDefined();
	});

	it('drops the connection without an answer', async () => {
		harness.endpoint.faults.drop('DescribeLogGroups');
		await expect(harness.client.send(describeGroups)).rejects.toMatchObject({code: 'ECONNRESET'});
		await expect(harness.client.send(describeGroups)).resolves.toBeDefined();
	});

	it('lets the SDK retry its way past a throttle and a dropped connection', async () => {
		const patient = sdkClient(harness.endpoint, 3);
		try {
			harness.endpoint.faults.fail('StartQuery', 'ThrottlingException');
			const started = await patient.send(startQuery);
			expect(started.$metadata.attempts).toBe(2);
			harness.endpoint.faults.drop('GetQueryResults');
			const polled = await patient.send(new GetQueryResultsCommand({queryId: started.queryId}));
			expect(polled.$metadata.attempts).toBe(2);
		} finally {
			patient.destroy();
		}
	});
});

describe('injected query outcomes', () => {
	const harness = useEndpoint({recordsPerPoll: 2});
	beforeEach(() => {
		const records = [100, 90, 80, 70, 60].map(ago => ({start: T0_SECONDS - ago}));
		harness.endpoint.store.deliver('flows', 'eni-1-all', flowEvents(...records), T0);
	});

	it('ends a query Failed, with no results', async () => {
		harness.endpoint.faults.endQueries('Failed');
		const {queryId} = await harness.client.send(startQuery);
		const output = await waitForQuery(harness.client, queryId!);
		expect(output).toMatchObject({status: 'Failed', results: []});
		expect(harness.endpoint.runningQueries()).toBe(0);
	});

	it('ends queries Timeout or Cancelled part-way, with what they had scanned', async () => {
		harness.endpoint.faults.endQueries('Timeout');
		harness.endpoint.faults.endQueries('Cancelled');
		for (const status of ['Timeout', 'Cancelled']) {
			const {queryId} = await harness.client.send(startQuery);
			const output = await waitForQuery(harness.client, queryId!);
			expect(output).toMatchObject({
				status,
				results: [[{field: 'count(*)', value: '2'}]],
				statistics: {recordsScanned: 2},
			});
		}

		const {queryId} = await harness.client.send(startQuery);
		expect(await waitForQuery(harness.client, queryId!)).toMatchObject({status: 'Complete', results: [[{value: '5'}]]});
	});
});

describe('request-rate limits', () => {
	const harness = useEndpoint({requestsPerSecond: {StartQuery: 2}});

	it('throttles an action past its rate until the clock moves on, leaving other actions alone', async () => {
		harness.endpoint.store.createGroup('flows');
		await harness.client.send(startQuery);
		await harness.client.send(startQuery);
		await expect(harness.client.send(startQuery)).rejects.toMatchObject({
			name: ThrottlingException.name,
			message: 'Rate exceeded',
		});
		await expect(harness.client.send(describeGroups)).resolves.toBeDefined();
		harness.clock.advance(500);
		await expect(harness.client.send(startQuery)).resolves.toHaveProperty('queryId');
		await expect(harness.client.send(startQuery)).rejects.toBeInstanceOf(ThrottlingException);
	});
});
