import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {type Endpoint, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {REGION} from '../../../source/demo/endpoint/account.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {createLogsClient} from '../../../source/sources/insights/client.js';
import {checkLogGroups, closeNames, logGroupsWithPrefix} from '../../../source/sources/insights/log-groups.js';

const GROUPS = ['/aws/vpc/vpc-flows', '/aws/lambda/orders', '/vpc/prod-flow-logs', '/vpc/prod-flow-log', 'billing'];

describe('the names suggested for a log group that does not exist', () => {
	it('are those a typo away, closest first, whatever the case', () => {
		expect(closeNames('/VPC/prod-flow-logz', GROUPS)).toEqual(['/vpc/prod-flow-log', '/vpc/prod-flow-logs']);
		expect(closeNames('/vpc/prod-flow-logsz', GROUPS)).toEqual(['/vpc/prod-flow-logs', '/vpc/prod-flow-log']);
	});

	it('are those holding the name, or held in it', () => {
		expect(closeNames('vpc-flows', GROUPS)).toEqual(['/aws/vpc/vpc-flows']);
		expect(closeNames('/aws/lambda/orders/v2', GROUPS)).toEqual(['/aws/lambda/orders']);
	});

	it('allow a typo of two letters in a short name, and a quarter of a long one', () => {
		expect(closeNames('bixxing', ['billing'])).toEqual(['billing']);
		expect(closeNames('bxxxing', ['billing'])).toEqual([]);
		// Twenty-one letters: five typos are still a typo, six are another name.
		expect(closeNames('pxxxxxtion-audit-logs', ['production-audit-logs'])).toEqual(['production-audit-logs']);
		expect(closeNames('pxxxxxxion-audit-logs', ['production-audit-logs'])).toEqual([]);
	});

	it('are at most three, ties in name order', () => {
		expect(closeNames('a', ['c', 'b', 'd', 'e'])).toEqual(['b', 'c', 'd']);
	});

	it('fall back to the groups that say "flow", when nothing is close', () => {
		expect(closeNames('payments-audit-trail', GROUPS)).toEqual([
			'/aws/vpc/vpc-flows',
			'/vpc/prod-flow-logs',
			'/vpc/prod-flow-log',
		]);
		expect(closeNames('payments-audit-trail', ['billing'])).toEqual([]);
		expect(closeNames('payments-audit-trail', ['a-flows', 'b-flows', 'c-flows', 'd-flows'])).toEqual([
			'a-flows',
			'b-flows',
			'c-flows',
		]);
	});
});

describe('the log groups an account is asked for', () => {
	let endpoint: Endpoint;
	let client: CloudWatchLogsClient;
	beforeEach(async () => {
		endpoint = await startEndpoint();
		client = createLogsClient({endpoint: endpoint.url, region: REGION, credentials: DEMO_CREDENTIALS});
	});
	afterEach(async () => {
		client.destroy();
		await endpoint.close();
	});

	/** `count` groups of an application, named so they sort before /vpc/. */
	function appGroups(count: number): void {
		for (let i = 0; i < count; i++) {
			endpoint.store.createGroup(`/app/service-${String(i).padStart(4, '0')}`);
		}
	}

	async function suggested(name: string): Promise<string> {
		const context = {logGroups: [name], endpoint: endpoint.url, region: REGION, profile: undefined};
		const problem = await checkLogGroups(client, context).then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		return problem!.message;
	}

	it('by prefix: the first 50, as many as one query may name', async () => {
		appGroups(60);
		const names = await logGroupsWithPrefix(client, '/app/');
		expect(names).toHaveLength(50);
		expect(names[0]).toBe('/app/service-0000');
	});

	it('for suggestions: page after page, up to a thousand groups', async () => {
		appGroups(70);
		endpoint.store.createGroup('/vpc/prod-flow-logs');
		expect(await suggested('/vpc/prod-flowlogs')).toMatch(/did you mean "\/vpc\/prod-flow-logs"\?$/);
	});

	it('for suggestions: no further than a thousand groups', async () => {
		appGroups(1000);
		endpoint.store.createGroup('/vpc/prod-flow-logs');
		expect(await suggested('/vpc/prod-flowlogs')).toMatch(/: check the name, --region and /);
	});
});
