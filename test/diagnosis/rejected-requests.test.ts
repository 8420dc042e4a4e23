import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import type {Finding} from '../../source/diagnosis/finding.js';
import {rejectedRequests} from '../../source/diagnosis/rejected-requests.js';
import {accept, formatStore, later, range, reject, T, V8_FORMAT, v2Store, v5Store, without} from './flows.js';

const db = 'eni-0db';
const app = 'eni-0app';
const web = 'eni-0web';

/** What the on-call engineer reads of a finding; its evidence rows are pinned in evidence.test.ts. */
function read({evidence, ...finding}: Finding) {
	return finding;
}

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
		expect(finding).toMatchObject({
			kind: 'inbound-rejected',
			eni,
			port: 8080,
			confidence: 'low',
			why: '3 refusals over 3 minutes from your own hosts; the direction is inferred',
		});
		expect(finding!.advice).toMatch(
			/ The records do not say which end is eni-0odd: inbound is the likelier reading\.$/,
		);
	});
});

describe('what an inbound-rejected finding says', () => {
	it('says how many refusals over how many minutes, from whom, and when', () => {
		const [finding] = rejectedRequests(v2Store(appRefusedAtDatabase));
		expect(read(finding!)).toEqual({
			id: 'inbound-rejected|eni-0db|6|5432',
			kind: 'inbound-rejected',
			severity: 'warning',
			eni: db,
			port: 5432,
			direction: 'inbound',
			count: 8,
			confidence: 'high',
			why: '8 refusals over 4 minutes from your own hosts',
			summary: 'eni-0db refuses TCP 5432 from 2 hosts (8 tries)',
			advice: expect.stringMatching(/^Check the security group of eni-0db first/),
			firstSeen: T,
			lastSeen: T + 3 * 60 + 5,
			filter: 'eni-0db port:5432 tcp reject',
		});
	});

	it('calls refusals within one minute possibly a blip, and two minutes a path that fails', () => {
		const retries = (minutes: number[]) =>
			minutes.map((minute, index) =>
				later(reject(db, `10.0.20.21:${42_000 + index}`, '10.0.30.40:5432', {minute}), index * 15),
			);
		const [blip] = rejectedRequests(v2Store(retries([0, 0, 0])));
		expect(blip).toMatchObject({
			confidence: 'medium',
			why: '3 refusals over 1 minute from your own hosts, so possibly a blip',
		});
		const [failing] = rejectedRequests(v2Store(retries([0, 0, 1])));
		expect(failing).toMatchObject({confidence: 'high', why: '3 refusals over 2 minutes from your own hosts'});
	});

	it('is only a note when an internet host keeps trying a port nobody is let in on', () => {
		const alb = 'eni-0alb';
		const flows = range(10).map(minute => reject(alb, `3.91.170.28:${33_000 + minute}`, '10.0.0.45:8443', {minute}));
		const [finding] = rejectedRequests(v2Store(flows));
		expect(read(finding!)).toEqual({
			id: 'inbound-rejected|eni-0alb|6|8443',
			kind: 'inbound-rejected',
			severity: 'info',
			eni: alb,
			src: '3.91.170.28',
			port: 8443,
			direction: 'inbound',
			count: 10,
			confidence: 'high',
			why: '10 refusals over 10 minutes from the internet',
			summary: 'eni-0alb refuses TCP 8443 from 3.91.170.28 (10 tries)',
			advice:
				'Check the security group of eni-0alb first: it needs an inbound rule for TCP 8443 (HTTPS-alt) from 3.91.170.28/32. ' +
				'If it has one, the network ACL of the subnet of eni-0alb is refusing: it needs inbound TCP 8443 (HTTPS-alt) from 3.91.170.28/32 ' +
				'and outbound TCP 1024-65535 back to them. Flow logs cannot tell which of the two refused.',
			firstSeen: T,
			lastSeen: T + 9 * 60 + 5,
			filter: 'eni-0alb port:8443 tcp reject',
		});
	});

	it('reports a host that keeps trying among others knocking once', () => {
		const alb = 'eni-0alb';
		const flows = [
			reject(alb, '45.33.1.9:50000', '10.0.0.45:8443'),
			...range(10).map(minute => reject(alb, `3.91.170.28:${33_000 + minute}`, '10.0.0.45:8443', {minute})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.summary).toBe('eni-0alb refuses TCP 8443 from 2 hosts (11 tries)');
	});

	it('warns when the interface lets other hosts in on that port, naming three of them', () => {
		const alb = 'eni-0alb';
		const flows = [
			...range(5).map(host => accept(alb, `198.51.100.${host + 1}:50000`, '10.0.0.45:8443', {minute: host})),
			...range(10).map(minute => reject(alb, `3.91.170.28:${33_000 + minute}`, '10.0.0.45:8443', {minute})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.severity).toBe('warning');
		expect(finding!.advice).toContain(
			'from 3.91.170.28/32 (it lets 198.51.100.1, 198.51.100.2 and 198.51.100.3 through on this port, so a rule exists but does not cover these sources).',
		);
	});

	it('names who gets in for each interface and port on its own', () => {
		const flows = [
			...appRefusedAtDatabase,
			accept(web, '10.0.20.50:41000', '10.0.10.5:8080'),
			accept(web, '10.0.20.50:41001', '10.0.10.5:5432'),
			...range(3).map(minute => reject(web, `10.0.20.61:${44_000 + minute}`, '10.0.10.5:8080', {minute})),
		];
		const advice = new Map(diagnose(v2Store(flows)).map(finding => [`${finding.eni} ${finding.port}`, finding.advice]));
		expect(advice.get('eni-0db 5432')).toContain('(it lets 10.0.20.30 through on this port');
		expect(advice.get('eni-0web 8080')).toContain('(it lets 10.0.20.50 through on this port');
	});

	it('does not name a host as let in that is also refused', () => {
		const flows = [
			accept(db, '10.0.20.21:41000', '10.0.30.40:5432'),
			accept(db, '10.0.30.40:5432', '10.0.20.21:41000'),
			...range(3).map(minute => reject(db, `10.0.20.21:${42_000 + minute}`, '10.0.30.40:5432', {minute: minute + 1})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.advice).not.toContain('it lets');
	});

	it('names each host or range it was refused from', () => {
		const flows = [
			accept(db, '10.0.20.30:41000', '10.0.30.40:5432'),
			...range(3).flatMap(minute => [
				reject(db, `10.0.20.21:${42_000 + minute}`, '10.0.30.40:5432', {minute}),
				reject(db, `81.2.69.142:${42_000 + minute}`, '10.0.30.40:5432', {minute}),
			]),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.advice).toContain(
			'an inbound rule for TCP 5432 (PostgreSQL) from 10.0.20.21/32 and 81.2.69.142/32 (it lets',
		);
	});

	it('names who gets in on a port with no well-known service', () => {
		const flows = [
			accept(app, '10.0.20.30:41000', '10.0.20.21:5701'),
			...range(3).map(minute => reject(app, `10.0.20.22:${44_000 + minute}`, '10.0.20.21:5701', {minute})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.advice).toContain('(it lets 10.0.20.30 through on this port');
	});

	it('names who gets in by ping', () => {
		const flows = [
			accept(db, '10.0.20.30:41000', '10.0.30.40:5432'),
			accept(db, '10.0.20.30:0', '10.0.30.40:0', {protocol: 1}),
			...range(3).map(minute => reject(db, '10.0.20.5:0', '10.0.30.40:0', {minute, protocol: 1})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.advice).toContain('an inbound rule for ICMP from 10.0.20.0/24 (it lets 10.0.20.30 through');
	});

	it('does not name a scanner it refused on that port as let in', () => {
		const scanner = '92.118.39.73';
		const flows = [
			...appRefusedAtDatabase,
			...range(30, 5420).map(port => reject(db, `${scanner}:40000`, `10.0.30.40:${port}`)),
		];
		const [finding, ...others] = rejectedRequests(v2Store(flows));
		expect(others).toEqual([]);
		expect(finding!.advice).toContain('(it lets 10.0.20.30 through on this port');
		expect(finding!.advice).not.toContain(scanner);
	});

	it('names a host let in from a privileged client port', () => {
		const flows = [
			accept(db, '10.0.20.30:900', '10.0.30.40:5432'),
			...range(3).map(minute => reject(db, `10.0.20.21:${42_000 + minute}`, '10.0.30.40:5432', {minute})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.advice).toContain('(it lets 10.0.20.30 through on this port');
	});

	it("does not take an answer to the interface's own call, arriving on the refused port, for a host let in", () => {
		// The app's client port for its call out to 443 happens to be the port it refuses others on.
		const flows = [
			accept(app, '10.0.20.21:8080', '52.94.0.10:443'),
			accept(app, '52.94.0.10:443', '10.0.20.21:8080'),
			...range(3).map(minute => reject(app, `10.0.20.22:${44_000 + minute}`, '10.0.20.21:8080', {minute})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding).toMatchObject({kind: 'inbound-rejected', port: 8080});
		expect(finding!.advice).not.toContain('it lets');
	});

	it("keeps an interface's refusals in and out on one port apart", () => {
		const flows = [
			...range(3).flatMap(minute => [
				reject(app, `10.0.10.11:${40_000 + minute}`, '10.0.20.21:443', {minute}),
				reject(app, `10.0.20.21:${41_000 + minute}`, '54.187.216.72:443', {minute}),
			]),
		];
		expect(rejectedRequests(v2Store(flows)).map(finding => [finding.kind, finding.count])).toEqual([
			['inbound-rejected', 3],
			['outbound-rejected', 3],
		]);
	});

	it('does not call a host that once tried another port retrying: ten refusals on one port make it', () => {
		const alb = 'eni-0alb';
		const flows = range(10).map(minute =>
			reject(alb, `3.91.170.28:${33_000 + minute}`, `10.0.0.45:${minute % 2 === 0 ? 8443 : 8080}`, {minute}),
		);
		expect(rejectedRequests(v2Store(flows))).toEqual([]);
	});

	it('reports a ping refused from inside, with no port to name', () => {
		const flows = [
			accept(db, '10.0.20.30:41000', '10.0.30.40:5432'),
			...range(3).map(minute => reject(db, '10.0.20.5:0', '10.0.30.40:0', {minute, protocol: 1})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding).toMatchObject({
			id: 'inbound-rejected|eni-0db|1|',
			summary: 'eni-0db refuses ICMP from 10.0.20.5 (3 tries)',
			filter: 'eni-0db icmp reject',
			advice:
				'Check the security group of eni-0db first: it needs an inbound rule for ICMP from 10.0.20.0/24. ' +
				'If it has one, the network ACL of the subnet of eni-0db is refusing: it needs inbound ICMP from 10.0.20.0/24 ' +
				'and outbound ICMP back to them. Flow logs cannot tell which of the two refused.',
		});
		expect(finding!.port).toBeUndefined();
	});
});

describe('what an outbound-rejected finding says', () => {
	const outToApi = range(3).map(minute => reject(app, `10.0.20.21:${41_000 + minute}`, '54.187.216.72:443', {minute}));
	const appServes = [
		accept(app, '10.0.10.11:40000', '10.0.20.21:8080'),
		accept(app, '10.0.20.21:8080', '10.0.10.11:40000'),
	];

	it('opens the whole internet to a public service, and says the way back is inbound', () => {
		const [finding] = rejectedRequests(v2Store([...appServes, ...outToApi]));
		expect(read(finding!)).toEqual({
			id: 'outbound-rejected|eni-0app|6|443',
			kind: 'outbound-rejected',
			severity: 'warning',
			eni: app,
			dst: '54.187.216.72',
			port: 443,
			direction: 'outbound',
			count: 3,
			confidence: 'high',
			why: '3 refusals over 3 minutes from your own hosts',
			summary: 'eni-0app is refused TCP 443 out to 54.187.216.72 (3 tries)',
			advice:
				'Check the security group of eni-0app first: it needs an outbound rule for TCP 443 (HTTPS) to 0.0.0.0/0. ' +
				'If it has one, the network ACL of the subnet of eni-0app is refusing: it needs outbound TCP 443 (HTTPS) to 0.0.0.0/0 ' +
				'and inbound TCP 1024-65535 back from them. Flow logs cannot tell which of the two refused.',
			firstSeen: T,
			lastSeen: T + 2 * 60 + 5,
			filter: 'eni-0app port:443 tcp reject',
		});
	});

	it('opens a login port only to the hosts refused', () => {
		const flows = [
			...appServes,
			...range(3).map(minute => reject(app, `10.0.20.21:${41_000 + minute}`, '54.187.216.72:22', {minute})),
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.advice).toContain('it needs an outbound rule for TCP 22 (SSH) to 54.187.216.72/32.');
	});

	it('names the destinations it does reach on that port', () => {
		const flows = [
			...appServes,
			...range(2).map(host => accept(app, `10.0.20.21:${45_000 + host}`, `52.94.${host}.10:443`, {minute: host})),
			...outToApi,
		];
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding!.advice).toContain(
			'to 0.0.0.0/0 (it lets 52.94.0.10 and 52.94.1.10 through on this port, so a rule exists but does not cover these destinations).',
		);
	});

	it('reads refusals out to the internet as outbound when the records do not say', () => {
		const eni = 'eni-0odd';
		const flows = range(3).map(minute =>
			reject(eni, `10.0.20.${21 + minute}:${40_000 + minute}`, `54.187.216.${72 + minute}:443`, {minute}),
		);
		const [finding] = rejectedRequests(v2Store(flows));
		expect(finding).toMatchObject({
			kind: 'outbound-rejected',
			confidence: 'low',
			why: '3 refusals over 3 minutes from your own hosts; the direction is inferred',
		});
		expect(finding!.advice).toMatch(
			/ The records do not say which end is eni-0odd: outbound is the likelier reading\.$/,
		);
	});

	it('blames the security group alone for a refusal out to a host of its own subnet', () => {
		const subnet = 'subnet-0app';
		const flows = range(3).flatMap(minute => [
			reject('eni-0app2', `10.0.20.22:${44_000 + minute}`, '10.0.20.21:5701', {minute, direction: 'egress', subnet}),
			accept('eni-0app2', `10.0.20.22:${45_000 + minute}`, `10.0.30.${40 + minute}:5432`, {
				minute,
				direction: 'egress',
				subnet,
			}),
			// The destination's own interface, whose records place it in the same subnet.
			accept(app, `10.0.10.${11 + minute}:40000`, '10.0.20.21:8080', {minute, direction: 'ingress', subnet}),
		]);
		const [finding] = rejectedRequests(v5Store(flows));
		expect(finding!.advice).toBe(
			'Both ends are in subnet-0app, where no network ACL applies: the security group of eni-0app2 refuses it. ' +
				'Add an outbound rule for TCP 5701 to 10.0.20.0/24.',
		);
	});

	it('has nothing to advise on link-local services: no rule applies to them', () => {
		const flows = [
			...appServes,
			...range(10).map(minute => reject(app, `10.0.20.21:${41_000 + minute}`, '169.254.169.254:80', {minute})),
		];
		expect(rejectedRequests(v2Store(flows))).toEqual([]);
	});
});

describe('refusals another rule or nothing explains', () => {
	it('leaves what Block Public Access refused to its own finding', () => {
		const flows = range(3).map(minute =>
			reject(app, `10.0.20.21:${41_000 + minute}`, '54.187.216.72:443', {
				minute,
				direction: 'egress',
				rejectReason: 'BPA',
			}),
		);
		expect(rejectedRequests(formatStore(flows, V8_FORMAT))).toEqual([]);
	});

	it('leaves records without an interface or an address out', () => {
		const refused = range(3).map(minute => reject(db, `10.0.20.21:${42_000 + minute}`, '10.0.30.40:5432', {minute}));
		for (const field of ['interface-id', 'srcaddr', 'dstaddr']) {
			expect(rejectedRequests(v2Store(refused.map(flow => without(flow, field))))).toEqual([]);
		}
	});

	it('leaves a refused brute force to brute-force, whichever interface it hits', () => {
		const bastion = 'eni-0bastion';
		const flows = [
			accept(web, '203.0.113.7:50000', '10.0.1.10:443'),
			...range(60).map(index => reject(bastion, `185.220.101.7:${33_000 + index}`, '10.0.0.10:22', {minute: 1})),
		];
		expect(rejectedRequests(v2Store(flows))).toEqual([]);
	});

	it('still reports a bastion refused on its way out to SSH while it is brute-forced on SSH', () => {
		const bastion = 'eni-0bastion';
		const flows = [
			...range(3).map(minute => accept(bastion, `81.2.69.${142 + minute}:50000`, '10.0.0.10:22', {minute})),
			...range(60).map(index => reject(bastion, `185.220.101.7:${33_000 + index}`, '10.0.0.10:22', {minute: 1})),
			...range(3).map(minute => reject(bastion, `10.0.0.10:${45_000 + minute}`, '54.187.216.72:22', {minute})),
		];
		expect(rejectedRequests(v2Store(flows)).map(finding => finding.summary)).toEqual([
			'eni-0bastion is refused TCP 22 out to 54.187.216.72 (3 tries)',
		]);
	});

	it('leaves a client refused everywhere it goes to repeated-rejects', () => {
		const checker = '3.91.170.28';
		const flows = range(10).flatMap(minute => [
			reject('eni-0alba', `${checker}:${33_000 + minute}`, '10.0.0.45:8443', {minute}),
			reject('eni-0albb', `${checker}:${34_000 + minute}`, '10.0.1.77:8443', {minute}),
		]);
		expect(rejectedRequests(v2Store(flows))).toEqual([]);
	});

	it('still reports a host refused beside a client that is refused everywhere', () => {
		const checker = '3.91.170.28';
		const flows = [
			...range(6).flatMap(minute => [
				reject('eni-0alba', `${checker}:${33_000 + minute}`, '10.0.0.45:8443', {minute}),
				reject('eni-0albb', `${checker}:${34_000 + minute}`, '10.0.1.77:8443', {minute}),
			]),
			...range(3).map(minute => reject('eni-0alba', `10.0.0.99:${35_000 + minute}`, '10.0.0.45:8443', {minute})),
		];
		const findings = rejectedRequests(v2Store(flows));
		expect(findings.map(finding => [finding.eni, finding.count])).toEqual([['eni-0alba', 9]]);
	});
});
