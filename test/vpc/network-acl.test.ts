import {describe, expect, it} from 'vitest';
import {evaluateNetworkAcl, type NetworkAcl} from '../../source/vpc/network-acl.js';
import {ICMP, port, TCP, UDP, type Packet} from '../../source/vpc/packet.js';

const packet = (fields: Partial<Packet>): Packet => ({
	protocol: TCP,
	src: '198.51.100.7',
	dst: '10.0.0.10',
	srcPort: 50_000,
	dstPort: 22,
	...fields,
});

describe('network ACL rules', () => {
	// Listed out of order on purpose: AWS evaluates by rule number, not by position.
	const acl: NetworkAcl = {
		id: 'acl-1',
		name: 'public',
		inbound: [
			{number: 200, action: 'allow', protocol: 'tcp', ports: port(22), cidr: '0.0.0.0/0'},
			{number: 100, action: 'deny', protocol: 'tcp', ports: port(22), cidr: '198.51.100.0/24'},
			{number: 300, action: 'allow', protocol: 'icmp', cidr: '0.0.0.0/0'},
		],
		outbound: [{number: 100, action: 'allow', protocol: 'tcp', ports: port(1024, 65_535), cidr: '0.0.0.0/0'}],
	};

	it('let the lowest-numbered matching rule decide', () => {
		expect(evaluateNetworkAcl(acl, 'inbound', packet({}))).toEqual({allowed: false, rule: 100});
		expect(evaluateNetworkAcl(acl, 'inbound', packet({src: '192.0.2.1'}))).toEqual({allowed: true, rule: 200});
	});

	it('end in the implicit deny `*` when nothing matches', () => {
		expect(evaluateNetworkAcl(acl, 'inbound', packet({dstPort: 80}))).toEqual({allowed: false, rule: '*'});
		expect(evaluateNetworkAcl(acl, 'inbound', packet({protocol: UDP, dstPort: 22}))).toEqual({
			allowed: false,
			rule: '*',
		});
	});

	it('match outbound rules on the destination port and address', () => {
		const response = packet({src: '10.0.0.10', dst: '198.51.100.7', srcPort: 22, dstPort: 50_000});
		expect(evaluateNetworkAcl(acl, 'outbound', response)).toEqual({allowed: true, rule: 100});
		expect(evaluateNetworkAcl(acl, 'outbound', {...response, dstPort: 1023})).toEqual({allowed: false, rule: '*'});
	});

	it('cover ICMP with an ICMP rule, which has no ports', () => {
		expect(evaluateNetworkAcl(acl, 'inbound', packet({protocol: ICMP, srcPort: 0, dstPort: 0}))).toEqual({
			allowed: true,
			rule: 300,
		});
		expect(
			evaluateNetworkAcl(
				acl,
				'outbound',
				packet({protocol: ICMP, src: '10.0.0.10', dst: '198.51.100.7', srcPort: 0, dstPort: 0}),
			),
		).toEqual({
			allowed: false,
			rule: '*',
		});
	});

	it('need ::/0 rules for IPv6: 0.0.0.0/0 never matches it', () => {
		expect(evaluateNetworkAcl(acl, 'inbound', packet({src: '2a01:4f8::7', dst: '2600:db8::10'}))).toEqual({
			allowed: false,
			rule: '*',
		});
	});
});
