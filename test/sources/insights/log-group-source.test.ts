import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {parseConfig} from '../../../source/config.js';
import {type Endpoint, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {UserError} from '../../../source/errors.js';
import {
	type LogGroupSourceConfig,
	openLogGroups,
	userError,
} from '../../../source/sources/insights/log-group-source.js';
import type {InsightsPoller} from '../../../source/sources/insights/poller.js';
import {Problem} from '../../../source/sources/insights/problem.js';

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

describe('a problem met before the first poll', () => {
	it('is a usage error (exit 2) when the command line asked for the impossible, else a failure (exit 1)', () => {
		const usage = userError(new Problem('bad-log-group-name', '"a b" cannot be a log group name'));
		expect([usage.message, usage.exitCode]).toEqual(['"a b" cannot be a log group name', 2]);
		const failure = userError(new Problem('access-denied', 'not allowed'));
		expect([failure.message, failure.exitCode]).toEqual(['not allowed', 1]);
	});
});
