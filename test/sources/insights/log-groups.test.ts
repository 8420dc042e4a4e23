import {describe, expect, it} from 'vitest';
import {closeNames} from '../../../source/sources/insights/log-groups.js';

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
	});
});
