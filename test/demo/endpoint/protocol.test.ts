import {describe, expect, it} from 'vitest';
import {useEndpoint} from './harness.js';

// What the SDK relies on without showing it: the wire format, checked with plain HTTP.
describe('the JSON 1.1 wire protocol', () => {
	const harness = useEndpoint();

	const call = async (
		target: string,
		body: string,
		headers: Record<string, string> = {authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/...'},
	) =>
		fetch(harness.endpoint.url, {
			method: 'POST',
			headers: {'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...headers},
			body,
		});

	it('answers a call with JSON 1.1 and a request id', async () => {
		const response = await call('Logs_20140328.DescribeLogGroups', '{}');
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
		expect(response.headers.get('x-amzn-requestid')).toMatch(/^[\da-f-]{36}$/);
		expect(await response.json()).toEqual({logGroups: []});
	});

	it('names the exception in the body and in x-amzn-errortype', async () => {
		const response = await call(
			'Logs_20140328.CreateLogStream',
			JSON.stringify({logGroupName: 'missing', logStreamName: 's'}),
		);
		expect(response.status).toBe(400);
		expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
		expect(await response.json()).toEqual({
			__type: 'ResourceNotFoundException',
			message: 'The specified log group does not exist.',
		});
	});

	it('refuses an unsigned request', async () => {
		const response = await call('Logs_20140328.DescribeLogGroups', '{}', {});
		expect(response.status).toBe(400);
		expect(await response.json()).toMatchObject({__type: 'MissingAuthenticationTokenException'});
	});

	it('refuses an unknown operation, and a body that is not a JSON object', async () => {
		expect(await (await call('Logs_20140328.DeleteLogGroup', '{}')).json()).toMatchObject({
			__type: 'UnknownOperationException',
		});
		expect(await (await call('DynamoDB_20120810.ListTables', '{}')).json()).toMatchObject({
			__type: 'UnknownOperationException',
		});
		expect(await (await call('Logs_20140328.DescribeLogGroups', '{not json')).json()).toMatchObject({
			__type: 'SerializationException',
		});
		expect(await (await call('Logs_20140328.DescribeLogGroups', '[]')).json()).toMatchObject({
			__type: 'SerializationException',
		});
		expect(await (await call('Logs_20140328.DescribeLogGroups', '{"limit": "ten"}')).json()).toMatchObject({
			__type: 'SerializationException',
		});
	});
});
