import type {Connection} from '../../../source/demo/vpc/connection.js';
import type {NetworkAcl, NetworkAclRule} from '../../../source/vpc/network-acl.js';
import {port, TCP} from '../../../source/vpc/packet.js';
import type {Endpoint} from '../../../source/demo/vpc/route.js';
import type {SecurityGroup} from '../../../source/vpc/security-group.js';
import {Vpc, type VpcModel} from '../../../source/demo/vpc/vpc.js';

/**
 * A VPC small enough to work through by hand:
 *
 *   front 10.1.1.0/24 (public, IPv6 2600:db8:0:1::/64): web 10.1.1.10, nat 10.1.1.99
 *   back  10.1.2.0/24 (private, through the NAT):        client 10.1.2.20, neighbour 10.1.2.21
 *
 * Both NACLs allow everything unless a test says otherwise. web's group admits 80 from anywhere
 * and nothing else; client and neighbour share a group that may send anything.
 */

export const OPEN: NetworkAclRule[] = [
	{number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0'},
	{number: 101, action: 'allow', protocol: 'all', cidr: '::/0'},
];

export const CUSTOMER = '198.51.100.7';
export const CUSTOMER6 = '2a01:4f8:1:2::7';
export const REMOTE_API = '203.0.113.50';

export interface TinyOptions {
	frontAcl?: Partial<Pick<NetworkAcl, 'inbound' | 'outbound'>>;
	backAcl?: Partial<Pick<NetworkAcl, 'inbound' | 'outbound'>>;
	webGroup?: Partial<Pick<SecurityGroup, 'inbound' | 'outbound'>>;
}

export function tinyVpc(options: TinyOptions = {}): Vpc {
	const model: VpcModel = {
		id: 'vpc-0000000000000000a',
		accountId: '111122223333',
		region: 'eu-west-1',
		cidr: '10.1.0.0/16',
		ipv6Cidr: '2600:db8::/56',
		subnets: [
			{
				id: 'subnet-front',
				name: 'front',
				cidr: '10.1.1.0/24',
				ipv6Cidr: '2600:db8:0:1::/64',
				az: 'eu-west-1a',
				azId: 'euw1-az1',
				aclId: 'acl-front',
				internet: {via: 'igw'},
			},
			{
				id: 'subnet-back',
				name: 'back',
				cidr: '10.1.2.0/24',
				az: 'eu-west-1a',
				azId: 'euw1-az1',
				aclId: 'acl-back',
				internet: {via: 'nat', natInterfaceId: 'eni-nat'},
			},
		],
		interfaces: [
			{
				id: 'eni-web',
				name: 'web',
				kind: 'ec2',
				subnetId: 'subnet-front',
				privateIp: '10.1.1.10',
				ipv6: '2600:db8:0:1::10',
				publicIp: '52.0.0.10',
				instanceId: 'i-web',
				securityGroups: ['sg-web'],
				listens: [{protocol: TCP, port: 80}, {protocol: 1}],
				description: 'web',
			},
			{
				id: 'eni-nat',
				name: 'nat',
				kind: 'nat-gateway',
				subnetId: 'subnet-front',
				privateIp: '10.1.1.99',
				publicIp: '52.0.0.99',
				securityGroups: [],
				listens: [],
				description: 'nat',
			},
			{
				id: 'eni-client',
				name: 'client',
				kind: 'ec2',
				subnetId: 'subnet-back',
				privateIp: '10.1.2.20',
				instanceId: 'i-client',
				securityGroups: ['sg-back'],
				listens: [{protocol: TCP, port: 5432}],
				description: 'client',
			},
			{
				id: 'eni-neighbour',
				name: 'neighbour',
				kind: 'ec2',
				subnetId: 'subnet-back',
				privateIp: '10.1.2.21',
				instanceId: 'i-neighbour',
				securityGroups: ['sg-back'],
				listens: [{protocol: TCP, port: 5432}],
				description: 'neighbour',
			},
		],
		securityGroups: [
			{
				id: 'sg-web',
				name: 'web',
				inbound: options.webGroup?.inbound ?? [
					{protocol: 'tcp', ports: port(80), peer: {cidr: '0.0.0.0/0'}, description: 'HTTP'},
					{protocol: 'tcp', ports: port(80), peer: {cidr: '::/0'}, description: 'HTTP (IPv6)'},
				],
				outbound: options.webGroup?.outbound ?? [],
			},
			{
				id: 'sg-back',
				name: 'back',
				inbound: [
					{protocol: 'tcp', ports: port(5432), peer: {group: 'sg-back'}, description: 'database from its peers'},
				],
				outbound: [{protocol: 'all', peer: {cidr: '0.0.0.0/0'}, description: 'anything out'}],
			},
		],
		networkAcls: [
			{
				id: 'acl-front',
				name: 'front',
				inbound: options.frontAcl?.inbound ?? OPEN,
				outbound: options.frontAcl?.outbound ?? OPEN,
			},
			{
				id: 'acl-back',
				name: 'back',
				inbound: options.backAcl?.inbound ?? OPEN,
				outbound: options.backAcl?.outbound ?? OPEN,
			},
		],
		gatewayEndpoints: [],
	};
	return new Vpc(model);
}

export const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

let counter = 0;

/** A TCP exchange of a few kilobytes, unless the test says otherwise. */
export function connection(client: Endpoint, server: Endpoint, fields: Partial<Connection> = {}): Connection {
	return {
		id: `c${counter++}`,
		workload: 'test',
		client,
		server,
		protocol: TCP,
		clientPort: 40_000,
		serverPort: 80,
		at: T0 + 5000,
		durationMs: 2000,
		requestBytes: 800,
		responseBytes: 12_000,
		...fields,
	};
}

export const allowTcp = (number: number, cidr: string, from: number, to = from): NetworkAclRule => ({
	number,
	action: 'allow',
	protocol: 'tcp',
	ports: port(from, to),
	cidr,
});
