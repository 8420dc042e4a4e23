import {
	CloudWatchLogsClient,
	GetQueryResultsCommand,
	type GetQueryResultsCommandOutput,
	StartQueryCommand,
	type StartQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, beforeEach} from 'vitest';
import {ScaledClock} from '../../../source/clock.js';
import {type Endpoint, type EndpointLimits, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import type {LogEventInput} from '../../../source/demo/endpoint/log-store.js';
import {DEFAULT_FORMAT, type FieldValues, formatLine} from '../../../source/flowlog/format.js';

/** 2024-05-01 12:00:00 UTC: "now" in every test, until a test moves the clock. */
export const T0 = Date.parse('2024-05-01T12:00:00Z');
export const T0_SECONDS = T0 / 1000;

export interface Harness {
	endpoint: Endpoint;
	client: CloudWatchLogsClient;
	/** Stands still unless a test advances it. */
	clock: ScaledClock;
}

/** The real SDK, pointed at the endpoint, with fake keys; one attempt, so faults surface as they happen. */
export function sdkClient(endpoint: Endpoint, maxAttempts = 1): CloudWatchLogsClient {
	// As flowtop's own client does: the SDK's Node-version warning would bury the test report.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	return new CloudWatchLogsClient({
		endpoint: endpoint.url,
		region: 'us-east-1',
		credentials: {accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'},
		maxAttempts,
	});
}

/** A fresh endpoint and client for each test of the file, closed after each whatever happens. */
export function useEndpoint(limits: Partial<EndpointLimits> = {}): Harness {
	const harness = {} as Harness;
	beforeEach(async () => {
		harness.clock = new ScaledClock(0, T0);
		harness.endpoint = await startEndpoint({clock: harness.clock.now, limits});
		harness.client = sdkClient(harness.endpoint);
	});
	afterEach(async () => {
		harness.client.destroy();
		await harness.endpoint.close();
	});
	return harness;
}

/** Polls GetQueryResults until the query has ended (no sleeping: the endpoint moves one step per call). */
export async function waitForQuery(
	client: CloudWatchLogsClient,
	queryId: string,
): Promise<GetQueryResultsCommandOutput> {
	for (let poll = 0; poll < 1000; poll++) {
		const output = await client.send(new GetQueryResultsCommand({queryId}));
		if (output.status !== 'Scheduled' && output.status !== 'Running') {
			return output;
		}
	}

	throw new Error(`query ${queryId} never ended`);
}

/** Starts a query over the last hour of `logGroupName` (unless told otherwise) and waits for its end. */
export async function runQuery(
	client: CloudWatchLogsClient,
	queryString: string,
	input: Partial<StartQueryCommandInput> = {},
): Promise<GetQueryResultsCommandOutput> {
	const {queryId} = await client.send(
		new StartQueryCommand({
			logGroupName: input.logGroupNames || input.logGroupIdentifiers ? undefined : 'flows',
			startTime: T0_SECONDS - 3600,
			endTime: T0_SECONDS,
			queryString,
			...input,
		}),
	);
	return waitForQuery(client, queryId!);
}

/** Result rows as plain objects, for assertions that read like the console's table. */
export function rows(output: GetQueryResultsCommandOutput, {withPtr = false} = {}): Array<Record<string, string>> {
	return (output.results ?? []).map(fields =>
		Object.fromEntries(
			fields.filter(field => withPtr || field.field !== '@ptr').map(field => [field.field!, field.value!]),
		),
	);
}

const defaults: FieldValues = {
	version: 2,
	'account-id': '123456789010',
	'interface-id': 'eni-0a1b2c3d4e5f60001',
	srcaddr: '10.0.1.5',
	dstaddr: '10.0.2.9',
	srcport: 49_152,
	dstport: 443,
	protocol: 6,
	packets: 10,
	bytes: 840,
	start: T0_SECONDS - 120,
	end: T0_SECONDS - 60,
	action: 'ACCEPT',
	'log-status': 'OK',
};

/** A default-format flow-log line: the defaults above with these fields changed. */
export function flowLine(fields: FieldValues = {}): string {
	return formatLine({...defaults, ...fields}, DEFAULT_FORMAT);
}

/** Log events for these records, stamped with their capture-window start as AWS stamps them. */
export function flowEvents(...records: FieldValues[]): LogEventInput[] {
	return records.map(fields => {
		const start = Number(fields.start ?? defaults.start);
		return {timestamp: start * 1000, message: flowLine(fields)};
	});
}
