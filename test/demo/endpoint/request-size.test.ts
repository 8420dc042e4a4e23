import {request} from 'node:http';
import {CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {describe, expect, it} from 'vitest';
import {T0, useEndpoint} from './harness.js';

interface Answer {
	readonly status: number;
	readonly body: string;
	/** Request bytes written before the answer came. */
	readonly sent: number;
}

/** POST a body of `size` bytes in 64 KiB chunks, declared in Content-Length or chunked, and stop writing once answered. */
async function post(url: string, size: number, declared: boolean): Promise<Answer> {
	return new Promise((resolve, reject) => {
		let sent = 0;
		let answered = false;
		const chunk = Buffer.alloc(65_536, 0x20);
		const call = request(
			url,
			{
				method: 'POST',
				headers: {
					'x-amz-target': 'Logs_20140328.PutLogEvents',
					'content-type': 'application/x-amz-json-1.1',
					authorization: 'AWS4-HMAC-SHA256 Credential=test',
					...(declared ? {'content-length': String(size)} : {}),
				},
			},
			response => {
				answered = true;
				let body = '';
				response.on('data', (data: Buffer) => {
					body += data.toString('utf8');
				});
				response.on('end', () => {
					resolve({status: response.statusCode!, body, sent});
				});
			},
		);
		call.on('error', error => {
			if (!answered) {
				reject(error);
			}
		});
		const write = () => {
			while (!answered && sent < size) {
				sent += chunk.length;
				if (!call.write(chunk)) {
					call.once('drain', write);
					return;
				}
			}

			if (!answered) {
				call.end();
			}
		};

		write();
	});
}

describe('a request body larger than the service takes', () => {
	const harness = useEndpoint();

	it('is refused from its Content-Length, before it is read', async () => {
		const answer = await post(harness.endpoint.url, 600 * 1024 * 1024, true);
		expect(answer.status).toBe(413);
		expect(JSON.parse(answer.body)).toMatchObject({__type: 'SerializationException'});
		expect(answer.sent).toBeLessThan(64 * 1024 * 1024);
	});

	it('is refused once that many bytes arrived, when it came without a length', async () => {
		const answer = await post(harness.endpoint.url, 600 * 1024 * 1024, false);
		expect(answer.status).toBe(413);
		expect(answer.sent).toBeLessThan(64 * 1024 * 1024);
	});

	it('leaves the endpoint answering, and a batch within the limit is taken', async () => {
		await post(harness.endpoint.url, 20 * 1024 * 1024, false);
		const {client} = harness;
		await client.send(new CreateLogGroupCommand({logGroupName: 'g'}));
		await client.send(new CreateLogStreamCommand({logGroupName: 'g', logStreamName: 's'}));
		const message = 'x'.repeat(1000);
		const events = Array.from({length: 1000}, () => ({timestamp: T0, message}));
		await expect(
			client.send(new PutLogEventsCommand({logGroupName: 'g', logStreamName: 's', logEvents: events})),
		).resolves.toBeDefined();
	});
});
