import {describe, expect, it} from 'vitest';
import {port, TCP, UDP, type Packet} from '../../source/vpc/packet.js';
import {evaluateSecurityGroups, type SecurityGroup} from '../../source/vpc/security-group.js';

const web: SecurityGroup = {
	id: 'sg-web',
	name: 'web',
	inbound: [
		{protocol: 'tcp', ports: port(80), peer: {cidr: '0.0.0.0/0'}, description: 'HTTP'},
		{protocol: 'tcp', ports: port(8000, 8100), peer: {cidr: '10.0.0.0/16'}, description: 'admin range'},
		{protocol: 'tcp', ports: port(22), peer: {group: 'sg-bastion'}, description: 'SSH from the bastion'},
	],
	outbound: [],
};
const monitoring: SecurityGroup = {
	id: 'sg-monitoring',
	name: 'monitoring',
	inbound: [{protocol: 'udp', ports: port(161), peer: {cidr: '10.0.9.0/24'}, description: 'SNMP'}],
	outbound: [{protocol: 'all', peer: {cidr: '0.0.0.0/0'}, description: 'anything'}],
};
const bastionMembers = ['10.0.0.10'];
const members = (group: string) => (group === 'sg-bastion' ? bastionMembers : []);

const tcpFrom = (src: string, dstPort: number): Packet => ({
	protocol: TCP,
	src,
	dst: '10.0.1.5',
	srcPort: 40_000,
	dstPort,
});

describe('security group rules', () => {
	it('allow a request when protocol, port and source all match', () => {
		const verdict = evaluateSecurityGroups([web], 'inbound', tcpFrom('198.51.100.7', 80), members);
		expect(verdict.allowed).toBe(true);
		expect(verdict.rule?.description).toBe('HTTP');
	});

	it('deny when no rule matches: there are no deny rules, only the absence of an allow', () => {
		expect(evaluateSecurityGroups([web], 'inbound', tcpFrom('198.51.100.7', 443), members).allowed).toBe(false);
	});

	it("match a port range inclusively at both ends, and only from the rule's CIDR", () => {
		expect(evaluateSecurityGroups([web], 'inbound', tcpFrom('10.0.3.3', 8000), members).allowed).toBe(true);
		expect(evaluateSecurityGroups([web], 'inbound', tcpFrom('10.0.3.3', 8100), members).allowed).toBe(true);
		expect(evaluateSecurityGroups([web], 'inbound', tcpFrom('10.0.3.3', 8101), members).allowed).toBe(false);
		expect(evaluateSecurityGroups([web], 'inbound', tcpFrom('10.1.3.3', 8000), members).allowed).toBe(false);
	});

	it('match a group peer by the addresses of the interfaces that carry it', () => {
		expect(evaluateSecurityGroups([web], 'inbound', tcpFrom('10.0.0.10', 22), members).allowed).toBe(true);
		expect(evaluateSecurityGroups([web], 'inbound', tcpFrom('10.0.0.11', 22), members).allowed).toBe(false);
	});

	it('take the union of all groups on an interface', () => {
		const snmp: Packet = {protocol: UDP, src: '10.0.9.4', dst: '10.0.1.5', srcPort: 50_000, dstPort: 161};
		expect(evaluateSecurityGroups([web], 'inbound', snmp, members).allowed).toBe(false);
		const verdict = evaluateSecurityGroups([web, monitoring], 'inbound', snmp, members);
		expect(verdict).toMatchObject({allowed: true, group: {id: 'sg-monitoring'}});
	});

	it('match outbound rules on the destination, and `all` covers every protocol', () => {
		const ping: Packet = {protocol: 1, src: '10.0.1.5', dst: '8.8.8.8', srcPort: 0, dstPort: 0};
		expect(evaluateSecurityGroups([monitoring], 'outbound', ping, members).allowed).toBe(true);
		expect(evaluateSecurityGroups([web], 'outbound', ping, members).allowed).toBe(false);
	});

	it('never let an IPv4 rule match an IPv6 source', () => {
		const packet: Packet = {protocol: TCP, src: '2a01:4f8::1', dst: '2600:db8::10', srcPort: 40_000, dstPort: 80};
		expect(evaluateSecurityGroups([web], 'inbound', packet, members).allowed).toBe(false);
	});
});

describe('a rule that names a prefix list', () => {
	const s3 = {id: 'pl-63a5400a', name: 'com.amazonaws.us-east-1.s3', cidrs: ['52.216.0.0/15', '3.5.0.0/19']};
	const backup: SecurityGroup = {
		id: 'sg-backup',
		name: 'backup',
		inbound: [],
		outbound: [{protocol: 'tcp', ports: port(443), peer: {prefixList: s3}, description: 'upload to S3'}],
	};
	const to = (dst: string, dstPort: number): Packet => ({
		protocol: TCP,
		src: '10.0.20.30',
		dst,
		srcPort: 40_000,
		dstPort,
	});

	it("allows what goes to any of the list's ranges, on the rule's ports", () => {
		expect(evaluateSecurityGroups([backup], 'outbound', to('52.217.98.14', 443), members).allowed).toBe(true);
		expect(evaluateSecurityGroups([backup], 'outbound', to('3.5.16.1', 443), members).allowed).toBe(true);
	});

	it('refuses an address outside the list, or another port', () => {
		expect(evaluateSecurityGroups([backup], 'outbound', to('52.218.0.1', 443), members).allowed).toBe(false);
		expect(evaluateSecurityGroups([backup], 'outbound', to('52.216.8.3', 80), members).allowed).toBe(false);
	});
});
