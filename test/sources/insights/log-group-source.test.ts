import {DescribeQueriesCommand} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {parseConfig} from '../../../source/config.js';
import {type Endpoint, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {UserError} from '../../../source/errors.js';
import {createLogsClient} from '../../../source/sources/insights/client.js';
import {
	type LogGroupSourceConfig,
	openLogGroups,
	userError,
} from '../../../source/sources/insights/log-group-source.js';
import type {InsightsPoller} from '../../../source/sources/insights/poller.js';
import {Problem} from '../../../source/sources/insights/problem.js';
import {Recorder} from './world.js';

let endpoint: Endpoint;
const opened: InsightsPoller[] = [];
beforeEach(async () => {
	vi.stubEnv('AWS_ACCESS_KEY_ID', DEMO_CREDENTIALS.accessKeyId);
	vi.stubEnv('AWS_SECRET_ACCESS_KEY', DEMO_CREDENTIALS.secretAccessKey);
	endpoint = await startEndpoint({clock: Date.now});
	for (const name of ['/vpc/prod-flows', '/vpc/stage-flows', '/app/orders']) {
		endpoint.store.createGroup(name);
	}
});
afterEach(async () => {
	await Promise.all(opened.splice(0).map(async poller => poller.stop()));
	await endpoint.close();
	vi.unstubAllEnvs();
});

function configOf(flags: Parameters<typeof parseConfig>[0]) {
	const config = parseConfig({endpoint: endpoint.url, region: 'us-east-1', ...flags});
	return {config, source: config.source as LogGroupSourceConfig};
}

async function open(
	flags: Parameters<typeof parseConfig>[0],
	pick?: (names: readonly string[], prefix: string) => Promise<string>,
): Promise<InsightsPoller> {
	const {config, source} = configOf(flags);
	const poller = await openLogGroups(config, source, pick);
	opened.push(poller);
	return poller;
}

describe('--log-group and --log-group-prefix', () => {
	it('read the groups named, without asking which exist', async () => {
		const poller = await open({logGroup: ['/vpc/prod-flows', '/nowhere']});
		expect(poller.label).toBe('/vpc/prod-flows, /nowhere');
	});

	it('read every group a prefix names when nobody picks', async () => {
		const poller = await open({logGroupPrefix: '/vpc/'});
		expect(poller.label).toBe('/vpc/prod-flows, /vpc/stage-flows');
	});

	it('read the one group picked among those a prefix names', async () => {
		const offered: Array<[readonly string[], string]> = [];
		const poller = await open({logGroupPrefix: '/vpc/'}, async (names, prefix) => {
			offered.push([names, prefix]);
			return names[1]!;
		});
		expect(offered).toEqual([[['/vpc/prod-flows', '/vpc/stage-flows'], '/vpc/']]);
		expect(poller.label).toBe('/vpc/stage-flows');
	});

	it('ask nobody to pick when the prefix names one group', async () => {
		const pick = vi.fn(async () => 'never');
		const poller = await open({logGroupPrefix: '/app/'}, pick);
		expect(pick).not.toHaveBeenCalled();
		expect(poller.label).toBe('/app/orders');
	});

	it('say which prefix and region found nothing, and how to list the groups', async () => {
		await expect(open({logGroupPrefix: '/nothing/'})).rejects.toThrow(
			new UserError(
				'no log group starts with "/nothing/" in region us-east-1: aws logs describe-log-groups lists them',
			),
		);
	});

	it('pass on a picker that gave up, as the reason to stop', async () => {
		const cancelled = new UserError('no log group picked', 1);
		await expect(
			open({logGroupPrefix: '/vpc/'}, async () => {
				throw cancelled;
			}),
		).rejects.toBe(cancelled);
	});

	it('turn a failure to list the groups into a one-line error that says where it failed', async () => {
		const {config, source} = configOf({logGroupPrefix: '/vpc/'});
		await endpoint.close();
		const error = await openLogGroups(config, {...source, endpoint: 'http://127.0.0.1:9'}).then(
			() => undefined,
			(error: unknown) => error,
		);
		endpoint = await startEndpoint({clock: Date.now});
		expect(error).toBeInstanceOf(UserError);
		expect((error as UserError).message).toBe(
			'cannot reach CloudWatch Logs at http://127.0.0.1:9 (ECONNREFUSED): check --endpoint, --region and the network',
		);
		expect((error as UserError).exitCode).toBe(1);
	});
});

describe('the poller a log group source opens', () => {
	it('names where its calls go: the groups, the endpoint, the Region', async () => {
		const poller = await open({logGroup: ['/vpc/prod-flows']});
		expect(poller.context).toEqual({
			logGroups: ['/vpc/prod-flows'],
			endpoint: endpoint.url,
			region: 'us-east-1',
			profile: undefined,
		});
	});

	it('without --region, names the Region the standard chain settled on', async () => {
		vi.stubEnv('AWS_REGION', 'eu-west-2');
		const config = parseConfig({endpoint: endpoint.url, logGroupPrefix: '/nothing/'});
		await expect(openLogGroups(config, config.source as LogGroupSourceConfig)).rejects.toThrow(
			'no log group starts with "/nothing/" in region eu-west-2: aws logs describe-log-groups lists them',
		);
	});

	it('says a failure to list the groups was for the prefix', async () => {
		endpoint.faults.fail('DescribeLogGroups', 'AccessDeniedException');
		await expect(open({logGroupPrefix: '/vpc/'})).rejects.toThrow(
			/^access denied to logs:DescribeLogGroups on "\/vpc\/\*": /,
		);
	});

	it('reads the window --window gives', async () => {
		const now = Date.now();
		endpoint.store.deliver(
			'/vpc/prod-flows',
			'eni-0a1-all',
			[10, 2].map(minutes => ({
				timestamp: now - minutes * 60_000,
				message: `2 123456789012 eni-0a1 10.0.1.5 10.0.2.9 40000 443 6 1 60 ${Math.floor(now / 1000) - minutes * 60} ${Math.floor(now / 1000) - minutes * 60 + 30} ACCEPT OK`,
			})),
			now - 60_000,
		);
		const poller = await open({logGroup: ['/vpc/prod-flows'], once: true, window: '5m'});
		const recorder = new Recorder();
		await poller.pollOnce(recorder);
		expect(recorder.received.map(record => record.start)).toEqual([Math.floor(now / 1000) - 120]);
	}, 30_000);
});

describe('aggregate mode', () => {
	/** The `limit` of every top list the endpoint was asked for. */
	async function topLimits(): Promise<Set<number>> {
		const client = createLogsClient({endpoint: endpoint.url, region: 'us-east-1', credentials: DEMO_CREDENTIALS});
		const {queries = []} = await client.send(new DescribeQueriesCommand({logGroupName: '/vpc/prod-flows'}));
		client.destroy();
		return new Set(
			queries.flatMap(({queryString = ''}) => {
				const limit = / desc \| limit (\d+)$/.exec(queryString)?.[1];
				return limit === undefined ? [] : [Number(limit)];
			}),
		);
	}

	it('with --once ranks as many entries as --top asks, and a few past them for ties', async () => {
		const poller = await open({logGroup: ['/vpc/prod-flows'], once: true, mode: 'aggregate', top: '3'});
		await poller.pollOnce(new Recorder());
		expect(await topLimits()).toEqual(new Set([8]));
	}, 60_000);

	it('live ranks as many as a tall pane shows, and polls again after --interval', async () => {
		const poller = await open({logGroup: ['/vpc/prod-flows'], mode: 'aggregate', interval: '7s'});
		const recorder = new Recorder();
		const started = Date.now();
		poller.start(recorder);
		await vi.waitFor(
			() => {
				expect(recorder.statuses.map(status => status.kind)).toContain('waiting');
			},
			{timeout: 20_000},
		);
		await poller.stop();
		expect(await topLimits()).toEqual(new Set([25]));
		const waiting = recorder.statuses.find(status => status.kind === 'waiting');
		const nextPollAt = waiting?.kind === 'waiting' ? waiting.nextPollAt : Number.NaN;
		expect(nextPollAt - started).toBeGreaterThanOrEqual(7000);
		expect(nextPollAt - Date.now()).toBeLessThanOrEqual(7000);
	}, 60_000);
});

describe('a problem met before the first poll', () => {
	it('is a usage error (exit 2) when the command line asked for the impossible, else a failure (exit 1)', () => {
		const usage = userError(new Problem('bad-log-group-name', '"a b" cannot be a log group name'));
		expect([usage.message, usage.exitCode]).toEqual(['"a b" cannot be a log group name', 2]);
		const failure = userError(new Problem('access-denied', 'not allowed'));
		expect([failure.message, failure.exitCode]).toEqual(['not allowed', 1]);
	});
});
