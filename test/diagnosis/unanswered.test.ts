import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {unanswered} from '../../source/diagnosis/unanswered.js';
import {accept, type Options, range, reject, v2Store, v5Store} from './flows.js';

const app = 'eni-0app';

/** The app's everyday traffic, answered: what tells its own address. */
const everyday = range(15).flatMap(minute => [
	accept(app, `10.0.20.21:${45_000 + minute}`, '10.0.30.40:443', {minute, bytes: 4000, packets: 12}),
	accept(app, '10.0.30.40:443', `10.0.20.21:${45_000 + minute}`, {minute, bytes: 90_000, packets: 70}),
]);

/** SYN-sized requests to 10.8.0.10:5432 every minute for 15 minutes, retried twice each. */
function synsTo(extras: Options = {}) {
	return range(15).map(minute =>
		accept(app, `10.0.20.21:${50_000 + minute}`, '10.8.0.10:5432', {minute, packets: 3, bytes: 180, ...extras}),
	);
}

describe('unanswered', () => {
	it('reports requests let out for 15 minutes with never a packet back, and says where to look', () => {
		const findings = diagnose(v2Store([...everyday, ...synsTo()]));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'unanswered',
			severity: 'warning',
			confidence: 'high',
			eni: app,
			dst: '10.8.0.10',
			port: 5432,
			direction: 'outbound',
			count: 15,
			summary: 'eni-0app: no answer from 10.8.0.10:5432 (15 tries)',
			filter: 'eni-0app dst:10.8.0.10 port:5432 tcp',
		});
		expect(findings[0]!.advice).toContain('the far end never answered');
		expect(findings[0]!.advice).toContain('route table');
	});

	it('reads SYN-only from tcp-flags when the format has them', () => {
		const flows = [...everyday.map(flow => flow), ...synsTo({direction: 'egress', tcpFlags: 2, bytes: 400})];
		expect(unanswered(v5Store(flows))).toMatchObject([{dst: '10.8.0.10', port: 5432}]);
	});

	it('is not a destination that answered, even once', () => {
		const flows = [...everyday, ...synsTo(), accept(app, '10.8.0.10:5432', '10.0.20.21:50003', {minute: 3})];
		expect(unanswered(v2Store(flows))).toEqual([]);
	});

	it('is not a destination whose answers a NACL refused: that is a blocked reply, not silence', () => {
		const flows = [...everyday, ...synsTo(), reject(app, '10.8.0.10:5432', '10.0.20.21:50003', {minute: 3})];
		expect(unanswered(v2Store(flows))).toEqual([]);
	});

	it('is not requests that carried data: something answered them', () => {
		const flows = [...everyday, ...synsTo({bytes: 9000, packets: 20})];
		expect(unanswered(v2Store(flows))).toEqual([]);
	});

	it('is not a single lost SYN', () => {
		expect(unanswered(v2Store([...everyday, ...synsTo().slice(0, 1)]))).toEqual([]);
	});

	it("leaves it to the far end's interface when that one logged the requests arriving", () => {
		const far = range(15).flatMap(minute => [
			reject('eni-0far', `10.0.20.21:${50_000 + minute}`, '10.8.0.10:5432', {minute}),
			accept('eni-0far', `10.0.40.${minute + 1}:${51_000 + minute}`, '10.8.0.10:5432', {minute}),
		]);
		const findings = diagnose(v2Store([...everyday, ...synsTo(), ...far]));
		expect(findings.map(finding => finding.kind)).toEqual(['inbound-rejected']);
	});
});
