import {describe, expect, it} from 'vitest';
import {observeConnection, type ObservedFlow} from '../../../source/demo/vpc/connection.js';
import {ICMP, UDP} from '../../../source/vpc/packet.js';
import {allowTcp, connection, CUSTOMER, CUSTOMER6, OPEN, REMOTE_API, tinyVpc} from './tiny-vpc.js';

/** The records a connection leaves, in the order its packets met the interfaces, as short strings. */
function trail(flows: readonly ObservedFlow[]): string[] {
	return flows.map(flow => `${flow.eni.name} ${flow.direction} ${flow.leg} ${flow.action}`);
}

describe('a request from the internet to an instance', () => {
	it('logs ACCEPT in and ACCEPT out on the instance when everything allows it', () => {
		const vpc = tinyVpc();
		const {outcome, flows} = observeConnection(vpc, connection({address: CUSTOMER}, {eni: vpc.interface('web')}));
		expect(outcome).toBe('established');
		expect(trail(flows)).toEqual(['web inbound request ACCEPT', 'web outbound response ACCEPT']);
		expect(flows.map(flow => [flow.srcaddr, flow.srcport, flow.dstaddr, flow.dstport, flow.tcpFlags])).toEqual([
			[CUSTOMER, 40_000, '10.1.1.10', 80, 3],
			['10.1.1.10', 80, CUSTOMER, 40_000, 19],
		]);
	});

	it('logs ACCEPT then REJECT on the same interface when the NACL lacks the outbound ephemeral rule', () => {
		const vpc = tinyVpc({
			frontAcl: {inbound: [allowTcp(100, '0.0.0.0/0', 80)], outbound: [allowTcp(100, '0.0.0.0/0', 80)]},
		});
		const {outcome, flows} = observeConnection(vpc, connection({address: CUSTOMER}, {eni: vpc.interface('web')}));
		expect(outcome).toBe('response-rejected');
		expect(trail(flows)).toEqual(['web inbound request ACCEPT', 'web outbound response REJECT']);
		const [request, response] = flows;
		// The handshake never completes: SYNs in, SYN-ACKs dropped on the way out.
		expect([request!.tcpFlags, response!.tcpFlags]).toEqual([2, 18]);
		expect(response!.checks).toEqual([
			{
				layer: 'security-group',
				interfaceId: 'eni-web',
				subnetId: 'subnet-front',
				direction: 'outbound',
				allowed: true,
				groupIds: ['sg-web'],
				rule: 'tracked',
			},
			{
				layer: 'network-acl',
				interfaceId: 'eni-web',
				subnetId: 'subnet-front',
				direction: 'outbound',
				allowed: false,
				aclId: 'acl-front',
				rule: '*',
			},
		]);
	});

	it('logs a single REJECT when the security group refuses the port', () => {
		const vpc = tinyVpc();
		const {outcome, flows} = observeConnection(
			vpc,
			connection({address: CUSTOMER}, {eni: vpc.interface('web')}, {serverPort: 3389}),
		);
		expect(outcome).toBe('request-rejected');
		expect(trail(flows)).toEqual(['web inbound request REJECT']);
		expect(flows[0]!.checks.map(check => [check.layer, check.allowed])).toEqual([
			['network-acl', true],
			['security-group', false],
		]);
	});

	it('logs a NACL inbound deny where it happens, before the security group is consulted', () => {
		const vpc = tinyVpc({
			frontAcl: {inbound: [{number: 90, action: 'deny', protocol: 'all', cidr: `${CUSTOMER}/32`}, ...OPEN]},
		});
		const {flows} = observeConnection(vpc, connection({address: CUSTOMER}, {eni: vpc.interface('web')}));
		expect(trail(flows)).toEqual(['web inbound request REJECT']);
		expect(flows[0]!.checks).toMatchObject([{layer: 'network-acl', rule: 90, allowed: false}]);
	});

	it("reproduces AWS's ping example: NACL allows ICMP in but not out, so the echo reply is REJECTed", () => {
		const vpc = tinyVpc({
			frontAcl: {
				inbound: [{number: 100, action: 'allow', protocol: 'icmp', cidr: '0.0.0.0/0'}],
				outbound: [allowTcp(100, '0.0.0.0/0', 1024, 65_535)],
			},
			webGroup: {inbound: [{protocol: 'icmp', peer: {cidr: '0.0.0.0/0'}, description: 'ping'}]},
		});
		const ping = connection(
			{address: CUSTOMER},
			{eni: vpc.interface('web')},
			{protocol: ICMP, clientPort: 0, serverPort: 0, exchanges: 4},
		);
		const {flows} = observeConnection(vpc, ping);
		expect(
			flows.map(flow => [
				flow.srcaddr,
				flow.dstaddr,
				flow.srcport,
				flow.dstport,
				flow.protocol,
				flow.packets,
				flow.bytes,
				flow.action,
			]),
		).toEqual([
			[CUSTOMER, '10.1.1.10', 0, 0, 1, 4, 336, 'ACCEPT'],
			['10.1.1.10', CUSTOMER, 0, 0, 1, 4, 336, 'REJECT'],
		]);
	});

	it('answers a port nobody listens on with a RST when the security group lets it through', () => {
		const vpc = tinyVpc({
			webGroup: {
				inbound: [{protocol: 'tcp', ports: {from: 1, to: 65_535}, peer: {cidr: '0.0.0.0/0'}, description: 'all TCP'}],
			},
		});
		const {outcome, flows} = observeConnection(
			vpc,
			connection({address: CUSTOMER}, {eni: vpc.interface('web')}, {serverPort: 8081}),
		);
		expect(outcome).toBe('reset');
		expect(flows.map(flow => [flow.action, flow.tcpFlags, flow.packets])).toEqual([
			['ACCEPT', 2, 1],
			['ACCEPT', 4, 1],
		]);
	});
});

describe('traffic between two subnets', () => {
	it("logs the outbound ACCEPT on the client and a single REJECT on the server when the server's group refuses", () => {
		const vpc = tinyVpc();
		const {outcome, flows} = observeConnection(
			vpc,
			connection({eni: vpc.interface('client')}, {eni: vpc.interface('web')}, {serverPort: 8080}),
		);
		expect(outcome).toBe('request-rejected');
		expect(trail(flows)).toEqual(['client outbound request ACCEPT', 'web inbound request REJECT']);
		expect(flows[1]!.checks.at(-1)).toMatchObject({layer: 'security-group', interfaceId: 'eni-web', allowed: false});
	});

	it('logs ACCEPT out then REJECT in on the client when its own NACL lacks the inbound ephemeral rule', () => {
		const vpc = tinyVpc({backAcl: {inbound: [allowTcp(100, '10.1.0.0/16', 5432)], outbound: OPEN}});
		const {outcome, flows} = observeConnection(
			vpc,
			connection({eni: vpc.interface('client')}, {eni: vpc.interface('web')}),
		);
		expect(outcome).toBe('response-rejected');
		expect(trail(flows)).toEqual([
			'client outbound request ACCEPT',
			'web inbound request ACCEPT',
			'web outbound response ACCEPT',
			'client inbound response REJECT',
		]);
		expect(flows[3]!.checks).toMatchObject([
			{layer: 'network-acl', aclId: 'acl-back', direction: 'inbound', rule: '*'},
		]);
	});

	it('lets a response through a security group that has no outbound rules at all: groups are stateful', () => {
		const vpc = tinyVpc({webGroup: {outbound: []}});
		const {outcome} = observeConnection(vpc, connection({eni: vpc.interface('client')}, {eni: vpc.interface('web')}));
		expect(outcome).toBe('established');
	});
});

describe('traffic inside one subnet', () => {
	it('never meets the NACL, even one that denies everything', () => {
		const vpc = tinyVpc({backAcl: {inbound: [], outbound: []}});
		const {outcome, flows} = observeConnection(
			vpc,
			connection({eni: vpc.interface('client')}, {eni: vpc.interface('neighbour')}, {serverPort: 5432}),
		);
		expect(outcome).toBe('established');
		expect(trail(flows)).toEqual([
			'client outbound request ACCEPT',
			'neighbour inbound request ACCEPT',
			'neighbour outbound response ACCEPT',
			'client inbound response ACCEPT',
		]);
		expect(flows.flatMap(flow => flow.checks).map(check => check.layer)).not.toContain('network-acl');
	});

	it('still meets the security groups', () => {
		const vpc = tinyVpc();
		const {flows} = observeConnection(
			vpc,
			connection({eni: vpc.interface('client')}, {eni: vpc.interface('neighbour')}, {serverPort: 22}),
		);
		expect(trail(flows)).toEqual(['client outbound request ACCEPT', 'neighbour inbound request REJECT']);
	});
});

describe('a private instance reaching the internet through the NAT gateway', () => {
	const vpc = tinyVpc();
	const {outcome, flows} = observeConnection(
		vpc,
		connection({eni: vpc.interface('client')}, {address: REMOTE_API}, {serverPort: 443, natPort: 7777}),
	);
	const fields = (flow: ObservedFlow) => [
		flow.eni.name,
		flow.direction,
		flow.srcaddr,
		flow.dstaddr,
		flow.pktSrcaddr,
		flow.pktDstaddr,
		flow.srcport,
		flow.dstport,
	];

	it('is logged on the instance with the remote address, as if the NAT were not there', () => {
		expect(outcome).toBe('established');
		expect(flows.filter(flow => flow.eni.name === 'client').map(fields)).toEqual([
			['client', 'outbound', '10.1.2.20', REMOTE_API, '10.1.2.20', REMOTE_API, 40_000, 443],
			['client', 'inbound', REMOTE_API, '10.1.2.20', REMOTE_API, '10.1.2.20', 443, 40_000],
		]);
	});

	it('is logged four times on the NAT interface, pkt-* carrying the addresses the NAT stands between', () => {
		expect(flows.filter(flow => flow.eni.name === 'nat').map(fields)).toEqual([
			['nat', 'inbound', '10.1.2.20', '10.1.1.99', '10.1.2.20', REMOTE_API, 40_000, 443],
			['nat', 'outbound', '10.1.1.99', REMOTE_API, '10.1.1.99', REMOTE_API, 7777, 443],
			['nat', 'inbound', REMOTE_API, '10.1.1.99', REMOTE_API, '10.1.1.99', 443, 7777],
			['nat', 'outbound', '10.1.1.99', '10.1.2.20', REMOTE_API, '10.1.2.20', 443, 40_000],
		]);
	});

	it('reports the path egress takes: through the VPC to the NAT, through the internet gateway after it', () => {
		expect(flows.filter(flow => flow.direction === 'outbound').map(flow => [flow.eni.name, flow.trafficPath])).toEqual([
			['client', 1],
			['nat', 2],
			['nat', 1],
		]);
	});

	it("drops a stranger's knock at the NAT gateway after its interface ACCEPTs it", () => {
		const knock = observeConnection(
			vpc,
			connection({address: CUSTOMER}, {eni: vpc.interface('nat')}, {serverPort: 3389}),
		);
		expect(knock.outcome).toBe('unanswered');
		expect(trail(knock.flows)).toEqual(['nat inbound request ACCEPT']);
	});
});

describe('UDP', () => {
	it('counts datagrams and has no TCP flags', () => {
		const vpc = tinyVpc();
		const query = connection(
			{eni: vpc.interface('client')},
			{address: '8.8.8.8'},
			{protocol: UDP, serverPort: 53, natPort: 2000, exchanges: 2, requestBytes: 80, responseBytes: 300},
		);
		const {flows} = observeConnection(vpc, query);
		expect(flows[0]).toMatchObject({packets: 2, bytes: 80 + 2 * 28, tcpFlags: 0});
		expect(flows.at(-1)).toMatchObject({packets: 2, bytes: 300 + 2 * 28, tcpFlags: 0});
	});
});

describe('IPv6', () => {
	it("logs the interface's IPv6 address and is decided by ::/0 rules only", () => {
		const v4Only = tinyVpc({frontAcl: {inbound: [OPEN[0]!], outbound: [OPEN[0]!]}});
		const refused = observeConnection(v4Only, connection({address: CUSTOMER6}, {eni: v4Only.interface('web')}));
		expect(trail(refused.flows)).toEqual(['web inbound request REJECT']);

		const vpc = tinyVpc();
		const {outcome, flows} = observeConnection(vpc, connection({address: CUSTOMER6}, {eni: vpc.interface('web')}));
		expect(outcome).toBe('established');
		expect(flows.map(flow => [flow.srcaddr, flow.dstaddr])).toEqual([
			[CUSTOMER6, '2600:db8:0:1::10'],
			['2600:db8:0:1::10', CUSTOMER6],
		]);
		// IPv6 headers are 20 bytes longer: an IPv6 SYN is 80 bytes where an IPv4 one is 60.
		expect(flows[0]!.bytes).toBeGreaterThan(
			observeConnection(vpc, connection({address: CUSTOMER}, {eni: vpc.interface('web')})).flows[0]!.bytes,
		);
	});
});
