import {describe, expect, it} from 'vitest';
import {evaluateBoundary} from '../../source/vpc/boundary.js';
import type {NetworkAcl} from '../../source/vpc/network-acl.js';
import {EPHEMERAL, port, TCP, type Packet} from '../../source/vpc/packet.js';
import type {SecurityGroup} from '../../source/vpc/security-group.js';

const acl: NetworkAcl = {
	id: 'acl-1',
	name: 'data',
	inbound: [{number: 100, action: 'allow', protocol: 'tcp', ports: port(5432), cidr: '10.0.20.0/24'}],
	outbound: [{number: 100, action: 'allow', protocol: 'tcp', ports: EPHEMERAL, cidr: '10.0.99.0/24'}],
};
const group: SecurityGroup = {
	id: 'sg-1',
	name: 'db',
	inbound: [{protocol: 'tcp', ports: port(5432), peer: {cidr: '10.0.21.0/24'}, description: 'other tier'}],
	outbound: [],
};
const request: Packet = {protocol: TCP, src: '10.0.20.21', dst: '10.0.30.40', srcPort: 40_000, dstPort: 5432};
const response: Packet = {protocol: TCP, src: '10.0.30.40', dst: '10.0.20.21', srcPort: 5432, dstPort: 40_000};
const members = () => [];

describe('evaluateBoundary', () => {
	it('checks the NACL before the security group on the way in, and stops at the group that drops', () => {
		const layers = evaluateBoundary({
			groups: [group],
			acl,
			members,
			direction: 'inbound',
			packet: request,
			leg: 'request',
		});
		expect(layers.map(layer => [layer.layer, layer.allowed])).toEqual([
			['network-acl', true],
			['security-group', false],
		]);
	});

	it("lets a response past the security group and drops it at the NACL's final deny on the way out", () => {
		const layers = evaluateBoundary({
			groups: [group],
			acl,
			members,
			direction: 'outbound',
			packet: response,
			leg: 'response',
		});
		expect(layers).toMatchObject([
			{layer: 'security-group', allowed: true, verdict: 'tracked'},
			{layer: 'network-acl', allowed: false, verdict: {rule: '*'}},
		]);
	});

	it('skips the NACL inside one subnet', () => {
		const layers = evaluateBoundary({
			groups: [group],
			acl: undefined,
			members,
			direction: 'outbound',
			packet: response,
			leg: 'response',
		});
		expect(layers.map(layer => layer.layer)).toEqual(['security-group']);
	});
});
