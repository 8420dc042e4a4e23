import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {naclReturnBlocked} from '../../source/diagnosis/nacl-return-blocked.js';
import {FlowStore} from '../../source/engine/store.js';
import {formatOf} from '../../source/flowlog/format.js';
import {
	accept,
	type Extras,
	type Flow,
	formatStore,
	type Options,
	range,
	reject,
	T,
	V5_FORMAT,
	v2Store,
	v5Store,
} from './flows.js';

const db = 'eni-0db';
const web = 'eni-0web';

/** App servers reach the database on 5432; its answers are refused on the way out. */
function databaseAnswersBlocked(extras: {request?: Options; response?: Options} = {}): Flow[] {
	return range(3).flatMap(minute => {
		const client = `10.0.20.${21 + (minute % 2)}:${40_001 + minute}`;
		return [
			accept(db, client, '10.0.30.40:5432', {minute, ...extras.request}),
			reject(db, '10.0.30.40:5432', client, {minute, ...extras.response}),
		];
	});
}

/** A web server calls the app tier on 8080; the answers are refused on their way in. */
function appAnswersBlocked(): Flow[] {
	return range(3).flatMap(minute => [
		accept(web, `10.0.10.11:${50_001 + minute}`, '10.0.20.21:8080', {minute}),
		reject(web, '10.0.20.21:8080', `10.0.10.11:${50_001 + minute}`, {minute}),
	]);
}

describe('nacl-return-blocked', () => {
	it('blames the NACL when a request is accepted and its response refused leaving the same interface', () => {
		const findings = diagnose(v2Store(databaseAnswersBlocked()));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			id: 'nacl-return-blocked|eni-0db|6|5432|outbound',
			kind: 'nacl-return-blocked',
			severity: 'critical',
			confidence: 'high',
			eni: db,
			port: 5432,
			direction: 'outbound',
			count: 3,
			firstSeen: T,
			lastSeen: T + 120 + 5,
			why: '100% of TCP 5432 replies refused (3 of 3), 3 client ports, 3 minutes',
			summary: 'eni-0db: NACL drops TCP 5432 replies; open 1024-65535 outbound',
			advice:
				'Add an outbound rule to the network ACL of the subnet of eni-0db: allow TCP 1024-65535 to 10.0.20.0/24. ' +
				'TCP 5432 (PostgreSQL) requests reach eni-0db and are accepted, but the responses are rejected as they leave it. ' +
				'Security groups are stateful and let responses through; network ACLs are stateless, so the return path needs its own rule.',
			filter: 'eni-0db port:5432 tcp',
		});
	});

	it("matches on the service port, the accepted request's client port having been folded away", () => {
		const [finding] = naclReturnBlocked(v2Store(databaseAnswersBlocked()));
		const request = finding!.evidence.find(evidence => evidence.action === 'ACCEPT')!;
		expect(request).toMatchObject({dstPort: 5432, srcPort: undefined});
		expect(
			finding!.evidence.filter(evidence => evidence.action === 'REJECT').map(evidence => evidence.srcPort),
		).toEqual([5432, 5432, 5432]);
	});

	it('says inbound when the interface is the client and the answers are refused arriving', () => {
		const [finding, ...others] = diagnose(v2Store(appAnswersBlocked()));
		expect(others).toEqual([]);
		expect(finding).toMatchObject({
			kind: 'nacl-return-blocked',
			eni: web,
			port: 8080,
			direction: 'inbound',
			summary: 'eni-0web: NACL drops TCP 8080 replies; open 1024-65535 inbound',
			advice:
				'Add an inbound rule to the network ACL of the subnet of eni-0web: allow TCP 1024-65535 from 10.0.20.0/24. ' +
				"eni-0web's requests to TCP 8080 (HTTP-alt) leave and are answered, but the responses are rejected as they arrive. " +
				'Security groups are stateful and let responses through; network ACLs are stateless, so the return path needs its own rule.',
		});
	});

	it('reads the direction from flow-direction and names the subnet when the records carry them', () => {
		const flows = databaseAnswersBlocked({
			request: {direction: 'ingress', subnet: 'subnet-0data'},
			response: {direction: 'egress', subnet: 'subnet-0data'},
		});
		const [finding] = naclReturnBlocked(v5Store(flows));
		expect(finding).toMatchObject({direction: 'outbound', count: 3});
		expect(finding!.advice).toContain('network ACL of subnet-0data: allow TCP 1024-65535 to 10.0.20.0/24');
	});

	it('names only the clients seen on a login port, never the whole internet', () => {
		const bastion = 'eni-0bastion';
		const flows = range(3).flatMap(minute => [
			accept(bastion, `198.51.100.${minute + 1}:50000`, '10.0.0.10:22', {minute}),
			reject(bastion, '10.0.0.10:22', `198.51.100.${minute + 1}:50000`, {minute}),
		]);
		expect(naclReturnBlocked(v2Store(flows))[0]!.advice).toContain('allow TCP 1024-65535 to 198.51.100.0/30.');
	});

	it("handles IPv6, naming the clients' /64", () => {
		const flows = range(3).flatMap(minute => [
			accept(db, `[2001:db8:1::${minute + 1}]:41000`, '[2600:1f18:6a3:c200::40]:22', {minute}),
			reject(db, '[2600:1f18:6a3:c200::40]:22', `[2001:db8:1::${minute + 1}]:41000`, {minute}),
		]);
		const [finding] = naclReturnBlocked(v2Store(flows));
		expect(finding).toMatchObject({port: 22, direction: 'outbound'});
		expect(finding!.advice).toContain('allow TCP 1024-65535 to 2001:db8:1::/64.');
	});

	it("recognises AWS's own example: a ping let in, its reply refused going out", () => {
		const eni = 'eni-1235b8ca123456789';
		const flows = range(3).flatMap(minute => [
			accept(eni, `203.0.113.${12 + minute}:0`, '172.31.16.139:0', {minute, protocol: 1}),
			reject(eni, '172.31.16.139:0', `203.0.113.${12 + minute}:0`, {minute, protocol: 1}),
		]);
		const [finding] = diagnose(v2Store(flows));
		expect(finding).toMatchObject({
			id: `nacl-return-blocked|${eni}|1||outbound`,
			kind: 'nacl-return-blocked',
			eni,
			direction: 'outbound',
			filter: `${eni} icmp`,
		});
		expect(finding!.port).toBeUndefined();
		expect(finding!.summary).toBe(`${eni}: NACL drops ICMP replies; allow ICMP outbound`);
		expect(finding!.advice).toContain('allow ICMP to 0.0.0.0/0');
	});

	it('is not a REJECT whose reverse was never seen', () => {
		const flows = range(3).map(minute => reject(db, '10.0.30.40:5432', `10.0.20.21:${40_001 + minute}`, {minute}));
		expect(naclReturnBlocked(v2Store(flows))).toEqual([]);
	});

	it("is not a refused request, even when that client's earlier answers were let out", () => {
		// The security group lost its rule mid-window: first answers went out, now requests are refused.
		const flows = [
			accept(db, '10.0.20.21:40000', '10.0.30.40:5432'),
			accept(db, '10.0.30.40:5432', '10.0.20.21:40000'),
			accept(db, '10.0.20.30:40000', '10.0.30.40:5432'),
			accept(db, '10.0.30.40:5432', '10.0.20.30:40000'),
			...range(3, 1).map(minute => reject(db, `10.0.20.21:${40_000 + minute}`, '10.0.30.40:5432', {minute})),
		];
		expect(diagnose(v2Store(flows)).map(finding => finding.kind)).toEqual(['inbound-rejected']);
	});

	it('is not the NACL between two interfaces of one subnet, where no NACL applies, nor a refused request', () => {
		const subnet = 'subnet-0app';
		const flows = [
			...range(3).map(minute =>
				accept('eni-0app2', '10.0.20.22:5701', '10.0.20.21:45000', {minute, direction: 'egress', subnet}),
			),
			...range(3).flatMap(minute => [
				accept('eni-0app1', '10.0.20.21:45000', '10.0.20.22:5701', {minute, direction: 'egress', subnet}),
				reject('eni-0app1', '10.0.20.22:5701', '10.0.20.21:45000', {minute, direction: 'ingress', subnet}),
			]),
		];
		expect(diagnose(v5Store(flows))).toEqual([]);
	});

	it("opens exactly the clients' port when they answer from a fixed low one (NTP 123 to 123)", () => {
		const ntp = 'eni-0ntp';
		const flows = range(3).flatMap(minute => [
			accept(ntp, '10.0.20.21:123', `162.159.200.${minute + 1}:123`, {minute, protocol: 17}),
			reject(ntp, `162.159.200.${minute + 1}:123`, '10.0.20.21:123', {minute, protocol: 17}),
		]);
		const [finding] = naclReturnBlocked(v2Store(flows));
		expect(finding).toMatchObject({port: 123, direction: 'inbound'});
		expect(finding!.advice).toContain('allow UDP 123 from 0.0.0.0/0');
	});
});

describe('nacl-return-blocked, weighed against the replies that pass', () => {
	const api = 'eni-0api';
	const remote = '52.94.236.248';

	/** A busy client of a remote HTTPS API over 10 minutes: 100 exchanges a minute, each answered. */
	function busyClient(extras: {request?: Extras; reply?: Extras} = {}): Flow[] {
		return range(10).flatMap(minute =>
			range(100).flatMap(index => {
				const client = `10.0.20.21:${33_000 + (minute * 100) + index}`;
				return [
					accept(api, client, `${remote}:443`, {minute, ...extras.request}),
					accept(api, `${remote}:443`, client, {minute, ...extras.reply}),
				];
			}),
		);
	}

	/** About 1% of them end with a late 1-packet FIN/RST from the server, refused as no longer tracked. */
	function lateTeardowns(extras: Options = {}): Flow[] {
		return range(10).map(minute =>
			reject(api, `${remote}:443`, `10.0.20.21:${33_000 + (minute * 100) + 7}`, {
				minute,
				packets: 1,
				bytes: 40,
				...extras,
			}),
		);
	}

	it('calls 1% late FIN/RST on a busy client benign: an info note, no rule to add', () => {
		const findings = diagnose(v2Store([...busyClient(), ...lateTeardowns()]));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'nacl-return-blocked',
			severity: 'info',
			confidence: 'high',
			count: 10,
			summary: 'eni-0api: 10 late replies refused (TCP 443 replies), benign',
			why: '<1% of TCP 443 replies refused (10 of 1010), 10 client ports, 10 minutes: each a single late packet or a FIN/RST after the connection closed',
			advice:
				'Nothing to change: most TCP 443 replies pass. A reply that arrives after the connection closed or timed out (a late FIN or RST, ' +
				'a retransmission) is no longer tracked and is refused; a network ACL would refuse every reply in its port range, not a few.',
		});
	});

	it('reads the teardown from tcp-flags when the format has them', () => {
		const flows = [
			...busyClient({
				request: {direction: 'egress', tcpFlags: 2 | 16 | 1},
				reply: {direction: 'ingress', tcpFlags: 18 | 1},
			}),
			...lateTeardowns({direction: 'ingress', tcpFlags: 1 | 4}),
		];
		const findings = diagnose(v5Store(flows));
		expect(findings.map(finding => [finding.kind, finding.severity])).toEqual([['nacl-return-blocked', 'info']]);
	});

	it.each([
		{flags: 'FIN', tcpFlags: 1, confidence: 'high'},
		{flags: 'RST', tcpFlags: 4, confidence: 'high'},
		{flags: 'ACK: data, not teardown', tcpFlags: 16, confidence: 'low'},
		{flags: 'SYN-ACK and FIN: an opening', tcpFlags: 19, confidence: 'low'},
	])('reads a refused reply of several packets as teardown by its tcp-flags: $flags', ({tcpFlags, confidence}) => {
		const flows = [
			...busyClient({
				request: {direction: 'egress', tcpFlags: 2 | 16 | 1},
				reply: {direction: 'ingress', tcpFlags: 18 | 1},
			}),
			...lateTeardowns({direction: 'ingress', packets: 2, tcpFlags}),
		];
		expect(naclReturnBlocked(v5Store(flows))).toMatchObject([{severity: 'info', confidence}]);
	});

	it('is too few to blame a rule, but no teardown either, when 1% of replies are refused whole', () => {
		const [finding] = naclReturnBlocked(v2Store([...busyClient(), ...lateTeardowns({packets: 3, bytes: 1500})]));
		expect(finding).toMatchObject({
			severity: 'info',
			confidence: 'low',
			why: '<1% of TCP 443 replies refused (10 of 1010), 10 client ports, 10 minutes: too few to blame a rule',
		});
	});

	it('is a NACL when half the replies are refused', () => {
		const flows = [
			...databaseAnswersBlocked(),
			...range(3).map(minute => accept(db, '10.0.30.40:5432', `10.0.20.23:${41_001 + minute}`, {minute})),
		];
		expect(naclReturnBlocked(v2Store(flows))).toMatchObject([
			{severity: 'critical', why: '50% of TCP 5432 replies refused (3 of 6), 3 client ports, 3 minutes'},
		]);
	});

	it('is a NACL when every refused reply is a single packet: all refused is no late teardown', () => {
		const [finding] = naclReturnBlocked(v2Store(databaseAnswersBlocked({response: {packets: 1, bytes: 60}})));
		expect(finding).toMatchObject({severity: 'critical', confidence: 'high'});
	});

	it("is a warning when a fifth of one-packet replies are refused: more than teardown, part of the clients' range", () => {
		const flows = [
			...databaseAnswersBlocked({response: {packets: 1, bytes: 60}}),
			...range(12).map(index => accept(db, '10.0.30.40:5432', `10.0.20.23:${41_001 + index}`, {minute: index % 3})),
		];
		expect(naclReturnBlocked(v2Store(flows))).toMatchObject([
			{
				severity: 'warning',
				confidence: 'medium',
				summary: 'eni-0db: NACL drops TCP 5432 replies; open 1024-65535 outbound',
				why: "20% of TCP 5432 replies refused (3 of 15), 3 client ports, 3 minutes: some clients' replies pass, others not",
			},
		]);
	});

	it('is critical when a NACL refuses the SYN-ACKs, however small: tcp-flags say they open connections', () => {
		const flows = range(3).flatMap(minute =>
			range(3).flatMap(index => {
				const client = `10.0.20.21:${40_000 + (minute * 3) + index}`;
				return [
					accept(api, client, `${remote}:443`, {minute, direction: 'egress', packets: 1, bytes: 60, tcpFlags: 2}),
					reject(api, `${remote}:443`, client, {minute, direction: 'ingress', packets: 1, bytes: 60, tcpFlags: 18}),
				];
			}),
		);
		expect(diagnose(v5Store(flows))).toMatchObject([
			{kind: 'nacl-return-blocked', severity: 'critical', confidence: 'high', direction: 'inbound'},
		]);
	});

	it("is a warning when only some clients' replies are refused: part of the ephemeral range", () => {
		const flows = [
			...busyClient().slice(0, 200),
			...range(3).flatMap(minute =>
				range(20).flatMap(index => {
					const client = `10.0.20.21:${1100 + (minute * 20) + index}`;
					return [accept(api, client, `${remote}:443`, {minute}), reject(api, `${remote}:443`, client, {minute})];
				}),
			),
		];
		const [finding] = naclReturnBlocked(v2Store(flows));
		expect(finding).toMatchObject({severity: 'warning', confidence: 'medium', count: 60});
		expect(finding!.why).toContain('some clients');
	});

	it('calls a single late DNS reply benign, and names no rule for the VPC resolver', () => {
		const dns = 'eni-0dns';
		const busy = range(3).flatMap(minute =>
			range(5).flatMap(index => [
				accept(dns, `10.0.5.5:${50_000 + (minute * 5) + index}`, '10.0.0.2:53', {minute, protocol: 17}),
				accept(dns, '10.0.0.2:53', `10.0.5.5:${50_000 + (minute * 5) + index}`, {minute, protocol: 17}),
			]),
		);
		const late = reject(dns, '10.0.0.2:53', '10.0.5.5:50007', {minute: 1, protocol: 17, packets: 1, bytes: 120});
		expect(diagnose(v2Store([...busy, late]))).toMatchObject([
			{
				kind: 'nacl-return-blocked',
				severity: 'info',
				count: 1,
				summary: 'eni-0dns: 1 late reply refused (UDP 53 replies), benign',
			},
		]);

		const resolver = [
			accept(dns, '10.0.5.5:50001', '169.254.169.253:53', {protocol: 17}),
			reject(dns, '169.254.169.253:53', '10.0.5.5:50001', {protocol: 17, packets: 1, bytes: 120}),
			accept(dns, '10.0.5.5:50002', '10.0.9.9:443'),
			accept(dns, '10.0.9.9:443', '10.0.5.5:50002'),
		];
		const findings = diagnose(v2Store(resolver));
		expect(findings).toMatchObject([{kind: 'nacl-return-blocked', severity: 'info'}]);
		expect(findings[0]!.advice).toContain('link-local');
		expect(findings[0]!.advice).not.toMatch(/169\.254\.\d+\.\d+\/\d+/);
	});

	it('is not a refused request from a low client port, even one whose earlier answers went out', () => {
		// An NFS client mounts from a privileged port; the security group lost its rule mid-window.
		const nfs = 'eni-0nfs';
		const flows = [
			accept(nfs, '10.0.20.21:700', '10.0.30.50:2049'),
			accept(nfs, '10.0.30.50:2049', '10.0.20.21:700'),
			accept(nfs, '10.0.20.22:701', '10.0.30.50:2049'),
			accept(nfs, '10.0.30.50:2049', '10.0.20.22:701'),
			...range(3, 1).map(minute => reject(nfs, '10.0.20.21:700', '10.0.30.50:2049', {minute})),
		];
		expect(diagnose(v2Store(flows)).map(finding => finding.kind)).toEqual(['inbound-rejected']);
	});

	it('looks for the request within a capture window of the reply, not across hours', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		v2Store(
			[
				accept(db, '10.0.20.21:40001', '10.0.30.40:5432', {minute: 0}),
				...range(3, 180).map(minute => reject(db, '10.0.30.40:5432', '10.0.20.21:40001', {minute})),
			],
			store,
		);
		expect(naclReturnBlocked(store)).toEqual([]);
	});
});

describe('nacl-return-blocked, telling a rule from a few stray replies', () => {
	const host = 'eni-0host';

	/** Pings to the host, each answered: `refused` replies refused on their way out at `minutes`, one more let out. */
	function pings(refused: readonly number[], answered: readonly number[] = []): Flow[] {
		return [
			...refused.flatMap((minute, index) => [
				accept(host, `203.0.113.${index + 1}:0`, '10.0.30.40:0', {minute, protocol: 1}),
				reject(host, '10.0.30.40:0', `203.0.113.${index + 1}:0`, {minute, protocol: 1}),
			]),
			...answered.flatMap((minute, index) => [
				accept(host, `198.51.100.${index + 1}:0`, '10.0.30.40:0', {minute, protocol: 1}),
				accept(host, '10.0.30.40:0', `198.51.100.${index + 1}:0`, {minute, protocol: 1}),
			]),
		];
	}

	it.each([
		{
			refused: [0, 0],
			verdict: ['info', 'low'],
			why: '100% of ICMP replies refused (2 of 2), 2 peers, 1 minute: too few to blame a rule',
		},
		{refused: [0, 1], verdict: ['critical', 'high'], why: '100% of ICMP replies refused (2 of 2), 2 peers, 2 minutes'},
		{
			refused: [0, 0, 0],
			verdict: ['critical', 'medium'],
			why: '100% of ICMP replies refused (3 of 3), 3 peers, 1 minute',
		},
	])('blames a rule for ICMP replies refused over two minutes or three times: $refused', ({refused, verdict, why}) => {
		const [finding] = naclReturnBlocked(v2Store(pings(refused)));
		expect([finding!.severity, finding!.confidence]).toEqual(verdict);
		expect(finding!.why).toBe(why);
	});

	it('weighs the ICMP replies refused against those let out: half refused is still a NACL', () => {
		const [finding] = naclReturnBlocked(v2Store(pings([0, 1], [0, 1])));
		expect(finding).toMatchObject({
			severity: 'critical',
			why: '50% of ICMP replies refused (2 of 4), 2 peers, 2 minutes',
		});
	});

	it('says the direction is unknown for an appliance forwarding between two other hosts', () => {
		// A firewall with source/destination check off: its own address is in most of its records, but not in these.
		const firewall = 'eni-0fw';
		const flows = [
			...range(8).map(index => accept(firewall, `10.0.1.5:${40_000 + index}`, '10.0.9.9:443')),
			...range(3).flatMap(minute => [
				accept(firewall, `10.0.8.8:${40_001 + minute}`, '10.0.7.7:5432', {minute}),
				reject(firewall, '10.0.7.7:5432', `10.0.8.8:${40_001 + minute}`, {minute}),
			]),
		];
		const [finding, ...others] = naclReturnBlocked(v2Store(flows));
		expect(others).toEqual([]);
		expect(finding).toMatchObject({
			id: 'nacl-return-blocked|eni-0fw|6|5432|',
			severity: 'critical',
			summary: 'eni-0fw: NACL drops TCP 5432 replies; open 1024-65535 for them',
			advice:
				'The network ACL of the subnet of eni-0fw must let the responses of TCP 5432 (PostgreSQL) pass: ' +
				'allow TCP 1024-65535 between eni-0fw and 10.0.8.0/24, outbound if eni-0fw is the server, inbound if it is the client. ' +
				'Security groups are stateful and let responses through; network ACLs are stateless, so the return path needs its own rule.',
		});
		expect(finding!.direction).toBeUndefined();
	});

	it('counts a connection seen twice in one minute once among the minutes', () => {
		const flows = [0, 0.5, 1].flatMap((minute, index) => {
			const client = `10.0.20.21:${40_001 + index}`;
			return [accept(db, client, '10.0.30.40:5432', {minute}), reject(db, '10.0.30.40:5432', client, {minute})];
		});
		expect(naclReturnBlocked(v2Store(flows))[0]!.why).toBe(
			'100% of TCP 5432 replies refused (3 of 3), 3 client ports, 2 minutes',
		);
	});

	it('is too few to blame a rule when one connection is retried, however long', () => {
		const flows = range(3).flatMap(minute => [
			accept(db, '10.0.20.21:40001', '10.0.30.40:5432', {minute}),
			reject(db, '10.0.30.40:5432', '10.0.20.21:40001', {minute}),
		]);
		expect(naclReturnBlocked(v2Store(flows))).toMatchObject([
			{
				severity: 'info',
				confidence: 'low',
				why: '100% of TCP 5432 replies refused (3 of 3), 1 client port, 3 minutes: too few to blame a rule',
				summary: 'eni-0db: 3 late replies refused (TCP 5432 replies), benign',
			},
		]);
	});

	it('opens the range from the lowest fixed client port when clients use several', () => {
		const flows = range(3).flatMap(minute => [
			accept(db, `10.0.20.${21 + minute}:${700 + minute}`, '10.0.30.50:2049', {minute}),
			reject(db, '10.0.30.50:2049', `10.0.20.${21 + minute}:${700 + minute}`, {minute}),
		]);
		expect(naclReturnBlocked(v2Store(flows))[0]!.summary).toBe(
			'eni-0db: NACL drops TCP 2049 replies; open 700-65535 outbound',
		);
	});

	it('opens the whole ephemeral range for a client at its first port', () => {
		const flows = range(3).flatMap(minute => [
			accept(db, `10.0.20.${21 + minute}:1024`, '10.0.30.40:5432', {minute}),
			reject(db, '10.0.30.40:5432', `10.0.20.${21 + minute}:1024`, {minute}),
		]);
		expect(naclReturnBlocked(v2Store(flows))[0]!.summary).toBe(
			'eni-0db: NACL drops TCP 5432 replies; open 1024-65535 outbound',
		);
	});

	it('names every peer block, and the whole internet for a public service', () => {
		const flows = range(3).flatMap(minute => [
			accept(db, `10.0.20.${21 + minute}:41000`, '10.0.30.40:443', {minute}),
			reject(db, '10.0.30.40:443', `10.0.20.${21 + minute}:41000`, {minute}),
			accept(db, `[2001:db8:1::${minute + 1}]:41000`, '[2600:1f18:6a3:c200::40]:443', {minute}),
			reject(db, '[2600:1f18:6a3:c200::40]:443', `[2001:db8:1::${minute + 1}]:41000`, {minute}),
		]);
		expect(naclReturnBlocked(v2Store(flows))[0]!.advice).toContain('allow TCP 1024-65535 to 10.0.20.0/24 and ::/0.');
	});

	it('gives one finding per service and direction of an interface', () => {
		const flows = range(3).flatMap(minute => {
			const client = `10.0.20.21:${40_001 + minute}`;
			return [
				accept(db, client, '10.0.30.40:5432', {minute}),
				reject(db, '10.0.30.40:5432', client, {minute}),
				accept(db, client, '10.0.30.40:6432', {minute}),
				reject(db, '10.0.30.40:6432', client, {minute}),
				accept(db, `10.0.30.40:${50_001 + minute}`, '10.0.40.50:5432', {minute}),
				reject(db, '10.0.40.50:5432', `10.0.30.40:${50_001 + minute}`, {minute}),
			];
		});
		expect(naclReturnBlocked(v2Store(flows)).map(finding => finding.summary)).toEqual([
			'eni-0db: NACL drops TCP 5432 replies; open 1024-65535 outbound',
			'eni-0db: NACL drops TCP 6432 replies; open 1024-65535 outbound',
			'eni-0db: NACL drops TCP 5432 replies; open 1024-65535 inbound',
		]);
	});

	it('never blames a rule for the VPC resolver, however many of its replies are refused', () => {
		const dns = 'eni-0dns';
		const flows = range(3).flatMap(minute => [
			accept(dns, `10.0.5.5:${50_001 + minute}`, '169.254.169.253:53', {minute, protocol: 17}),
			reject(dns, '169.254.169.253:53', `10.0.5.5:${50_001 + minute}`, {minute, protocol: 17}),
		]);
		expect(naclReturnBlocked(v2Store(flows))).toMatchObject([
			{
				severity: 'info',
				confidence: 'low',
				summary: 'eni-0dns: 3 late replies refused (UDP 53 replies), benign',
				advice:
					'Nothing to change: the peer is link-local (the Amazon DNS resolver or an instance service), where no security group or network ACL rule applies. ' +
					'A reply that arrives after its request timed out is refused as untracked.',
			},
		]);
	});

	it('blames a rule for DNS replies refused from a server of its own, though the VPC resolver is among the peers', () => {
		const dns = 'eni-0dns';
		const flows = range(3).flatMap(minute => [
			accept(dns, `10.0.5.5:${50_001 + minute}`, '169.254.169.253:53', {minute, protocol: 17}),
			reject(dns, '169.254.169.253:53', `10.0.5.5:${50_001 + minute}`, {minute, protocol: 17}),
			accept(dns, `10.0.5.5:${51_001 + minute}`, '10.0.0.53:53', {minute, protocol: 17}),
			reject(dns, '10.0.0.53:53', `10.0.5.5:${51_001 + minute}`, {minute, protocol: 17}),
		]);
		expect(naclReturnBlocked(v2Store(flows))).toMatchObject([{severity: 'critical', direction: 'inbound', count: 6}]);
	});

	it('counts the replies let through on a port no table lists, their client port folded away', () => {
		const flows = [
			...range(3).flatMap(minute => {
				const client = `10.0.20.${21 + minute}:${40_001 + minute}`;
				return [accept(db, client, '10.0.30.40:9999', {minute}), reject(db, '10.0.30.40:9999', client, {minute})];
			}),
			...range(3).map(minute => accept(db, '10.0.30.40:9999', `10.0.20.31:${41_001 + minute}`, {minute})),
		];
		expect(naclReturnBlocked(v2Store(flows))[0]!.why).toMatch(/^50% of TCP 9999 replies refused \(3 of 6\)/);
	});

	it.each([['srcport', 'dstport'], ['srcaddr', 'dstaddr'], ['interface-id']])(
		'pairs nothing in a format without %s: a reply cannot be told from a request',
		(...missing: string[]) => {
			const format = formatOf(V5_FORMAT.fields.filter(field => !missing.includes(field)));
			expect(naclReturnBlocked(formatStore(databaseAnswersBlocked(), format))).toEqual([]);
		},
	);

	it("does not count the server's own request from a client port that is its service port as a reply let through", () => {
		const flows = [
			...databaseAnswersBlocked(),
			...range(3).map(minute => accept(db, '10.0.30.40:5432', `52.94.236.${minute + 1}:443`, {minute})),
		];
		expect(naclReturnBlocked(v2Store(flows))[0]!.why).toMatch(/^100% of TCP 5432 replies refused \(3 of 3\)/);
	});
});
