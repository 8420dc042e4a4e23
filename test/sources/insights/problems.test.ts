import {CloudWatchLogsServiceException} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {type Endpoint, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {REGION} from '../../../source/demo/endpoint/account.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {DEFAULT_FORMAT, formatLine} from '../../../source/flowlog/format.js';
import {createLogsClient, type LogsClientOptions} from '../../../source/sources/insights/client.js';
import {closeNames} from '../../../source/sources/insights/log-groups.js';
import type {ModeSetting} from '../../../source/sources/insights/query-mode.js';
import {InsightsPoller} from '../../../source/sources/insights/poller.js';
import {INITIAL_MARGIN_MS} from '../../../source/sources/insights/searchable-margin.js';
import {type Problem, problemOf, type ProblemContext} from '../../../source/sources/insights/problem.js';
import {VirtualTime} from './virtual-time.js';
import {MINUTE, Recorder, T0} from './world.js';

const GROUP = '/vpc/prod-flow-logs';
const context = (endpoint: string, logGroups = [GROUP]): ProblemContext => ({
	logGroups,
	endpoint,
	region: REGION,
	profile: undefined,
});

let endpoint: Endpoint;
let time: VirtualTime;
const clients: Array<ReturnType<typeof createLogsClient>> = [];
beforeEach(async () => {
	time = new VirtualTime(T0);
	endpoint = await startEndpoint({clock: time.now});
});
afterEach(async () => {
	for (const client of clients.splice(0)) {
		client.destroy();
	}

	await endpoint.close();
	vi.unstubAllEnvs();
});

function poller(
	logGroups = [GROUP],
	client: LogsClientOptions = {endpoint: endpoint.url, region: REGION, credentials: DEMO_CREDENTIALS},
	mode: ModeSetting = 'raw',
): InsightsPoller {
	const sdk = createLogsClient(client);
	clients.push(sdk);
	return new InsightsPoller({
		client: sdk,
		logGroups,
		timing: time,
		intervalMs: 5000,
		windowMs: 15 * MINUTE,
		context: {...context(client.endpoint ?? 'https://logs.us-east-1.amazonaws.com', logGroups), region: client.region},
		random: () => 0.5,
		mode,
	});
}

async function onceProblem(source: InsightsPoller): Promise<Problem> {
	time.runFreely();
	const error = await source.pollOnce(new Recorder()).then(
		() => undefined,
		(error: unknown) => error as Problem,
	);
	expect(error).toBeDefined();
	expect(error!.message).not.toContain('\n');
	await source.stop();
	return error!;
}

function flowEvents(count: number) {
	return Array.from({length: count}, (_, i) => ({
		timestamp: T0 - 5 * MINUTE + i * 1000,
		message: formatLine(
			{
				version: 2,
				'account-id': '123456789012',
				'interface-id': 'eni-0a1',
				srcaddr: '10.0.1.5',
				dstaddr: '10.0.2.9',
				srcport: 40_000 + i,
				dstport: 443,
				protocol: 6,
				packets: 1,
				bytes: 60,
				start: T0 / 1000 - 300 + i,
				end: T0 / 1000 - 240,
				action: 'ACCEPT',
				'log-status': 'OK',
			},
			DEFAULT_FORMAT,
		),
	}));
}

/** No credentials anywhere in the standard chain: no environment keys, no files, no instance metadata. */
function withoutCredentials(): void {
	for (const name of [
		'AWS_ACCESS_KEY_ID',
		'AWS_SECRET_ACCESS_KEY',
		'AWS_SESSION_TOKEN',
		'AWS_PROFILE',
		'AWS_REGION',
		'AWS_DEFAULT_REGION',
		'AWS_WEB_IDENTITY_TOKEN_FILE',
		'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
		'AWS_CONTAINER_CREDENTIALS_FULL_URI',
	]) {
		vi.stubEnv(name, undefined);
	}

	vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/flowtop/credentials');
	vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/flowtop/config');
	vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
}

describe('each problem a person will meet, as one line that says what to do', () => {
	it.each(['SerializationException', 'ValidationException', 'InvalidParameterException', 'MalformedQueryException'])(
		'a request refused as %s: says flowtop built it',
		name => {
			const problem = problemOf(
				{name, message: 'Start time must be a number', $metadata: {httpStatusCode: 400}},
				context('http://127.0.0.1:5000'),
			);
			expect(problem.kind).toBe('query-refused');
			expect(problem.message).toBe(
				`http://127.0.0.1:5000 refused flowtop's own request (${name}: Start time must be a number): a bug in flowtop or the endpoint; please report it, with the query from --debug`,
			);
		},
	);

	it('a server error: keeps what the service said', () => {
		const problem = problemOf(
			{name: 'SyntaxError', message: 'Unexpected token N', $metadata: {httpStatusCode: 500}},
			context('http://127.0.0.1:5000'),
		);
		expect(problem).toMatchObject({
			kind: 'transient',
			message: 'CloudWatch Logs failed (SyntaxError 500: Unexpected token N)',
		});
	});

	it('no credentials: names the variables, --profile and aws sso login', async () => {
		withoutCredentials();
		const problem = await onceProblem(
			poller([GROUP], {endpoint: 'https://logs.eu-west-1.amazonaws.com', region: 'eu-west-1'}),
		);
		expect(problem.kind).toBe('credentials');
		expect(problem.message).toBe(
			'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE / --profile NAME, or run aws sso login',
		);
	});

	it('but a local endpoint works without any: it only checks that requests are signed', async () => {
		withoutCredentials();
		endpoint.store.deliver(GROUP, 'eni-0a1-all', flowEvents(3), T0);
		const source = poller([GROUP], {endpoint: endpoint.url});
		const recorder = new Recorder();
		time.runFreely();
		await source.pollOnce(recorder);
		expect(recorder.received).toHaveLength(3);
	});

	it('no Region: a usage problem', async () => {
		withoutCredentials();
		const problem = problemOf(new Error('Region is missing'), context('https://logs.<region>.amazonaws.com'));
		expect(problem.isUsage).toBe(true);
		expect(problem.message).toBe(
			'no AWS Region set: give --region (us-east-1, eu-west-1, ...), or set AWS_REGION, or a region in the profile',
		);
	});

	it('expired credentials: says to log in again', async () => {
		endpoint.store.createGroup(GROUP);
		endpoint.faults.fail('*', 'ExpiredTokenException');
		const problem = await onceProblem(poller());
		expect(problem.message).toBe(
			'the AWS credentials have expired (ExpiredTokenException): run aws sso login or refresh AWS_SESSION_TOKEN',
		);
	});

	it('credentials AWS does not recognize, or for another account', () => {
		const error = new CloudWatchLogsServiceException({
			name: 'UnrecognizedClientException',
			$fault: 'client',
			$metadata: {httpStatusCode: 400},
			message: 'The security token included in the request is invalid.',
		});
		expect(problemOf(error, {...context('https://logs.us-east-1.amazonaws.com'), profile: 'prod'}).message).toBe(
			'AWS refused the credentials (UnrecognizedClientException: The security token included in the request is invalid.):' +
				' check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or --profile prod, and that they are for the account holding the log group',
		);
	});

	it('access denied: lists the IAM actions flowtop needs', async () => {
		endpoint.store.createGroup(GROUP);
		endpoint.faults.fail('StartQuery', 'AccessDeniedException');
		const problem = await onceProblem(poller());
		expect(problem.kind).toBe('access-denied');
		expect(problem.message).toBe(
			'access denied to logs:StartQuery on "/vpc/prod-flow-logs": the identity needs logs:StartQuery, logs:GetQueryResults, logs:StopQuery, logs:DescribeLogGroups' +
				' on the log group (the README has the policy); check --profile NAME',
		);
	});

	it('a log group that is not there: suggests the names that are', async () => {
		for (const name of ['/aws/lambda/orders', GROUP, '/vpc/staging-flow-logs', 'unrelated']) {
			endpoint.store.createGroup(name);
		}

		const problem = await onceProblem(poller(['/vpc/prod-flowlogs']));
		expect(problem.message).toBe(
			'log group "/vpc/prod-flowlogs" not found in region us-east-1: did you mean "/vpc/prod-flow-logs"?',
		);
		const nothingClose = await onceProblem(poller(['billing']));
		expect(nothingClose.message).toBe(
			'log group "billing" not found in region us-east-1: did you mean "/vpc/prod-flow-logs", "/vpc/staging-flow-logs"?',
		);
		expect(closeNames('billing', ['/aws/lambda/orders'])).toEqual([]);
	});

	it('a log group that vanished between polls: names the account, which may be the wrong one', () => {
		const error = new CloudWatchLogsServiceException({
			name: 'ResourceNotFoundException',
			$fault: 'client',
			$metadata: {httpStatusCode: 400},
			message: "Log group '/vpc/prod-flow-logs' does not exist for account ID '123456789012'",
		});
		expect(problemOf(error, {...context('https://logs.us-east-1.amazonaws.com'), profile: 'prod'}).message).toBe(
			'log group "/vpc/prod-flow-logs" not found in region us-east-1, account 123456789012, profile prod: check the name, --region and --profile prod (the credentials may be for another account)',
		);
	});

	it('a name no log group can have: a usage problem', async () => {
		const problem = await onceProblem(poller(['vpc flows']));
		expect(problem.isUsage).toBe(true);
		expect(problem.message).toBe(
			'"vpc flows" cannot be a log group name: names use letters, digits and . - _ / # (up to 512)',
		);
	});

	it('a log group that does not hold flow logs: says so from the first records, and how to fix it', async () => {
		const lines = Array.from({length: 30}, (_, i) => ({
			timestamp: T0 - MINUTE + i,
			message: `START RequestId: ${i} Version: $LATEST`,
		}));
		endpoint.store.deliver(GROUP, 'lambda', lines, T0);
		const problem = await onceProblem(poller());
		expect(problem.kind).toBe('not-flow-logs');
		expect(problem.message).toBe(
			'"/vpc/prod-flow-logs" does not look like VPC flow logs: 30 of 30 messages are not records in the default flow-log format (wrong field count: expected 14, got 5);' +
				' if it holds flow logs in a custom format give that format with --format, else choose the group the flow log writes to',
		);

		const live = poller();
		const recorder = new Recorder();
		live.start(recorder);
		// Past the margin the live poller leaves for records not yet searchable.
		await time.runUntil(T0 + INITIAL_MARGIN_MS + 10_000);
		await live.stop();
		expect(recorder.messages('error').at(-1)).toBe(problem.message);
	});

	it('flow logs in a custom format read as the default one: says so from Insights sums as from the records', async () => {
		const lines = Array.from({length: 30}, (_, i) => ({
			timestamp: T0 - MINUTE + i,
			message: `5 123456789012 eni-0a1 10.0.1.5 10.0.2.9 443 ${40_000 + i} 6 2 100 ${T0 / 1000 - 60} ${T0 / 1000} ACCEPT OK ingress`,
		}));
		endpoint.store.deliver(GROUP, 'eni-0a1-all', lines, T0);
		const problem = await onceProblem(poller([GROUP], undefined, 'aggregate'));
		expect(problem.kind).toBe('not-flow-logs');
		expect(problem.message).toBe(
			'"/vpc/prod-flow-logs" does not look like VPC flow logs: 30 of 30 messages are not records in the default flow-log format (wrong field count: expected 14, got 15);' +
				' if it holds flow logs in a custom format give that format with --format, else choose the group the flow log writes to',
		);
	});

	it('no records in the window: says so, as news rather than a fault, and keeps polling', async () => {
		endpoint.store.createGroup(GROUP);
		const live = poller();
		const recorder = new Recorder();
		live.start(recorder);
		await time.runUntil(T0 + 10_000);
		endpoint.store.deliver(GROUP, 'eni-0a1-all', flowEvents(2), T0 + 12_000);
		await time.runUntil(T0 + 12_000 + INITIAL_MARGIN_MS + 10_000);
		await live.stop();
		expect(recorder.messages('waiting')).toContain(
			'no flow-log records in /vpc/prod-flow-logs in the last 15m yet (they reach CloudWatch minutes after capture); still polling',
		);
		expect(recorder.messages('error')).toEqual([]);
		expect(recorder.statuses.at(-1)?.kind).toBe('waiting');
		expect(recorder.received).toHaveLength(2);
	});

	it('an endpoint that cannot be reached: names the URL', async () => {
		const closed = await startEndpoint();
		await closed.close();
		const problem = await onceProblem(
			poller([GROUP], {endpoint: closed.url, region: REGION, credentials: DEMO_CREDENTIALS}),
		);
		expect(problem.message).toBe(
			`cannot reach CloudWatch Logs at ${closed.url} (ECONNREFUSED): check --endpoint, --region and the network`,
		);
	});

	it('throttling: backs off with the reason in the status bar', async () => {
		endpoint.store.createGroup(GROUP);
		endpoint.faults.fail('StartQuery', 'LimitExceededException', {times: 10});
		const live = poller();
		const recorder = new Recorder();
		live.start(recorder);
		await time.runUntil(T0 + 10_000);
		await live.stop();
		expect(recorder.messages('backing-off')[0]).toBe(
			'the account has too many Insights queries running (LimitExceededException)',
		);
		expect(endpoint.runningQueries()).toBe(0);
	});
});
