import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {rejectedRequests} from '../../source/diagnosis/rejected-requests.js';
import {accept, range, reject, v2Store, v5Store} from './flows.js';

const db = 'eni-0db';
const app = 'eni-0app';

/** The backup job still gets in on 5432; the app servers are refused, again and again. */
const appRefusedAtDatabase = [
	accept(db, '10.0.20.30:41000', '10.0.30.40:5432'),
	accept(db, '10.0.30.40:5432', '10.0.20.30:41000'),
	...range(4).flatMap(minute => [
		reject(db, `10.0.20.21:${42_000 + minute}`, '10.0.30.40:5432', {minute}),
		reject(db, `10.0.20.22:${43_000 + minute}`, '10.0.30.40:5432', {minute}),
	]),
];

describe('inbound-rejected', () => {
	it('reports inside clients refused on a port, security group first, and who does get in', () => {
		const findings = diagnose(v2Store(appRefusedAtDatabase));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'inbound-rejected',
			severity: 'warning',
			eni: db,
			port: 5432,
			direction: 'inbound',
			count: 8,
			summary: 'eni-0db refuses TCP 5432 from 2 hosts (8 tries)',
			filter: 'eni-0db port:5432 tcp reject',
		});
		expect(findings[0]!.advice).toBe(
			'Check the security group of eni-0db first: it needs an inbound rule for TCP 5432 (PostgreSQL) from 10.0.20.0/24 ' +
				'(it lets 10.0.20.30 through on this port, so a rule exists but does not cover these sources). ' +
				'If it has one, the network ACL of the subnet of eni-0db is refusing: it needs inbound TCP 5432 (PostgreSQL) from 10.0.20.0/24 ' +
				'and outbound TCP 1024-65535 back to them. Flow logs cannot tell which of the two refused.',
		);
	});

	it('leaves internet hosts knocking once in passing to the Rejected pane', () => {
		const bastion = 'eni-0bastion';
		const flows = [
			...range(3).map(minute => accept(bastion, `81.2.69.142:${50_000 + minute}`, '10.0.0.10:22', {minute})),
			...range(6).map(host => reject(bastion, `45.33.${host}.9:${50_000 + host}`, '10.0.0.10:3389', {minute: host})),
		];
		expect(diagnose(v2Store(flows))).toEqual([]);
	});

	it('reports one internet host that keeps trying, naming it', () => {
		const alb = 'eni-0alb';
		const flows = [
			...range(3).map(minute => accept(alb, `198.51.100.${minute + 1}:50000`, '10.0.0.45:443', {minute})),
			...range(10).map(minute => reject(alb, `3.91.170.28:${33_000 + minute}`, '10.0.0.45:8443', {minute})),
		];
		const [finding, ...others] = diagnose(v2Store(flows));
		expect(others).toEqual([]);
		expect(finding).toMatchObject({kind: 'inbound-rejected', eni: alb, src: '3.91.170.28', port: 8443, count: 10});
		expect(finding!.advice).toContain('from 3.91.170.28/32');
	});

	it('blames the security group alone between interfaces of one subnet', () => {
		const subnet = 'subnet-0app';
		const flows = range(3).flatMap(minute => [
			reject(app, `10.0.20.22:${44_000 + minute}`, '10.0.20.21:5701', {minute, direction: 'ingress', subnet}),
			accept(app, `10.0.10.${11 + minute}:40000`, '10.0.20.21:8080', {minute, direction: 'ingress', subnet}),
			// The client's own interface, whose records place it in the same subnet.
			accept('eni-0app2', `10.0.20.22:${44_000 + minute}`, '10.0.20.21:5701', {minute, direction: 'egress', subnet}),
			accept('eni-0app2', `10.0.20.22:${45_000 + minute}`, `10.0.30.${40 + minute}:5432`, {
				minute,
				direction: 'egress',
				subnet,
			}),
		]);
		const [finding] = rejectedRequests(v5Store(flows));
		expect(finding!.advice).toBe(
			'Both ends are in subnet-0app, where no network ACL applies: the security group of eni-0app refuses it. ' +
				'Add an inbound rule for TCP 5701 from 10.0.20.0/24.',
		);
	});
});

describe('outbound-rejected', () => {
	it('reports an interface refused on its way out, with where it was going', () => {
		const flows = [
			accept(app, '10.0.10.11:40000', '10.0.20.21:8080'),
			accept(app, '10.0.20.21:8080', '10.0.10.11:40000'),
			...range(3).map(minute => reject(app, `10.0.20.21:${41_000 + minute}`, '54.187.216.72:443', {minute})),
		];
		const [finding, ...others] = diagnose(v2Store(flows));
		expect(others).toEqual([]);
		expect(finding).toMatchObject({
			kind: 'outbound-rejected',
			eni: app,
			dst: '54.187.216.72',
			port: 443,
			direction: 'outbound',
			summary: 'eni-0app is refused TCP 443 out to 54.187.216.72 (3 tries)',
		});
		expect(finding!.advice).toContain('it needs an outbound rule for TCP 443 (HTTPS) to 0.0.0.0/0');
		expect(finding!.advice).toContain('and inbound TCP 1024-65535 back from them');
	});

	it('does not count a single refusal: three make a path that is meant to work', () => {
		const flows = [
			accept(app, '10.0.10.11:40000', '10.0.20.21:8080'),
			accept(app, '10.0.20.21:8080', '10.0.10.11:40000'),
			reject(app, '10.0.20.21:41000', '54.187.216.72:443'),
		];
		expect(rejectedRequests(v2Store(flows))).toEqual([]);
	});
});

describe('refused requests, advised no wider than the evidence', () => {
	it("names the refused IPv6 peer's /64 for PostgreSQL, never ::/0", () => {
		const db = 'eni-0db6';
		const flows = [
			...range(3).map(minute =>
				accept(db, `[2001:db8:77:1::5]:${40_000 + minute}`, '[2600:1f18:6a3:c200::40]:5432', {minute}),
			),
			...range(12).map(minute =>
				reject(db, `[2001:db8:77:1::9]:${41_000 + minute}`, '[2600:1f18:6a3:c200::40]:5432', {minute}),
			),
		];
		const [finding] = diagnose(v2Store(flows));
		expect(finding).toMatchObject({kind: 'inbound-rejected', port: 5432, src: '2001:db8:77:1::9'});
		expect(finding!.advice).toContain('from 2001:db8:77:1::/64');
		expect(finding!.advice).not.toContain('::/0');
	});

	it('reports refusals whose direction cannot be told, saying it inferred it', () => {
		const eni = 'eni-0odd';
		// No address is in most of its records: secondary addresses, say, so neither end is known to be its own.
		const flows = range(3).map(minute =>
			reject(eni, `10.0.20.${21 + minute}:${40_000 + minute}`, `10.0.30.${77 + minute}:8080`, {minute}),
		);
		const [finding] = diagnose(v2Store(flows));
		expect(finding).toMatchObject({kind: 'inbound-rejected', eni, port: 8080, confidence: 'low'});
		expect(finding!.advice).toContain('The records do not say which end is eni-0odd');
	});
});
