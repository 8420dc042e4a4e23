import type {NetworkAcl, NetworkAclRule} from '../../vpc/network-acl.js';
import {EPHEMERAL, ICMP, port, TCP} from '../../vpc/packet.js';
import type {PrefixList, SecurityGroup} from '../../vpc/security-group.js';
import type {VpcModel} from './vpc.js';

/**
 * The demo's VPC: a three-tier web application in us-east-1.
 *
 *   internet -> ALB (public a/b) -> web-1/web-2 (web a/b) -> app-1/app-2 (app a) -> db (data a)
 *   app tier -> NAT gateway (public a) -> internet: a payment API, NTP, DNS
 *   backup (app a) -> db, and -> S3 through a gateway endpoint: the heavy talker
 *   app tier -> Secrets Manager interface endpoint (app a); bastion (public a) for SSH
 *
 * Every rule is what a careful team would write: the healthy VPC rejects only the everyday noise
 * (strangers scanning its public addresses, a late reply now and then). Scenarios break
 * one thing at a time.
 */

export const ACCOUNT_ID = '123456789012';
export const REGION = 'us-east-1';
export const VPC_ID = 'vpc-0c3f4a8e2b7d91e56';
export const VPC_CIDR = '10.0.0.0/16';
export const VPC_IPV6_CIDR = '2600:1f18:6a3:c200::/56';

/** The interfaces, by role, so scenarios and tests can name them. */
export const ENI = {
	albA: 'eni-0a7c2e91f4b3d5608',
	albB: 'eni-0b8d3fa2e5c4e6719',
	nat: 'eni-0c9e4ab3f6d5f7820',
	bastion: 'eni-0d1f5bc4a7e6a8931',
	web1: 'eni-0e2a6cd5b8f7b9a42',
	web2: 'eni-0f3b7de6c9a8cab53',
	app1: 'eni-01a4c8ef7dab9dbc6',
	app2: 'eni-02b5d9fa8ebcaecd7',
	backup: 'eni-03c6eaab9fcdbfde8',
	secretsEndpoint: 'eni-04d7fbbcaadec0ef9',
	db: 'eni-05e8acdcbbefd1fa0',
} as const;

export const SUBNET = {
	publicA: 'subnet-0a1d3f5e7c9b24681',
	publicB: 'subnet-0b2e4a6c8d1f35792',
	webA: 'subnet-0c3f5b7d9e2a46813',
	webB: 'subnet-0d4a6c8e1f3b57924',
	appA: 'subnet-0e5b7d9f2a4c68135',
	dataA: 'subnet-0f6c8e1a3b5d79246',
} as const;

export const SG = {
	alb: 'sg-0a1b2c3d4e5f60718',
	web: 'sg-0b2c3d4e5f6071829',
	app: 'sg-0c3d4e5f607182930',
	backup: 'sg-0d4e5f60718293a41',
	db: 'sg-0e5f60718293a4b52',
	secretsEndpoint: 'sg-0f60718293a4b5c63',
	bastion: 'sg-07182930a4b5c6d74',
} as const;

export const ACL = {
	public: 'acl-0a2c4e6f8b1d3f5a7',
	web: 'acl-0b3d5f7a9c2e4a6b8',
	app: 'acl-0c4e6a8b1d3f5b7c9',
	data: 'acl-0d5f7b9c2e4a6c8d1',
} as const;

/** The S3 prefix in us-east-1 that the gateway endpoint routes (a real one from ip-ranges.json). */
export const S3_PREFIX = '52.216.0.0/15';
/** AWS's prefix list of S3's ranges in the Region, as a security group rule names it. */
export const S3_LIST: PrefixList = {id: 'pl-63a5400a', name: 'com.amazonaws.us-east-1.s3', cidrs: [S3_PREFIX]};
/** Where the uptime monitor that pings the bastion lives. */
export const MONITOR_CIDR = '18.206.107.24/29';

const allow = (
	number: number,
	protocol: NetworkAclRule['protocol'],
	cidr: string,
	ports?: NetworkAclRule['ports'],
): NetworkAclRule => ({
	number,
	action: 'allow',
	protocol,
	cidr,
	...(ports ? {ports} : {}),
});

const networkAcls: NetworkAcl[] = [
	{
		id: ACL.public,
		name: 'public',
		inbound: [
			allow(100, 'tcp', '0.0.0.0/0', port(80)),
			allow(101, 'tcp', '::/0', port(80)),
			allow(110, 'tcp', '0.0.0.0/0', port(443)),
			allow(111, 'tcp', '::/0', port(443)),
			allow(120, 'tcp', '0.0.0.0/0', port(22)),
			// Return traffic: responses to the NAT gateway's and the ALB's own connections.
			allow(130, 'tcp', '0.0.0.0/0', EPHEMERAL),
			allow(131, 'tcp', '::/0', EPHEMERAL),
			allow(140, 'udp', '0.0.0.0/0', EPHEMERAL),
			allow(150, 'icmp', '0.0.0.0/0'),
			allow(160, 'all', VPC_CIDR),
		],
		outbound: [
			allow(100, 'tcp', '0.0.0.0/0', EPHEMERAL),
			allow(101, 'tcp', '::/0', EPHEMERAL),
			allow(110, 'tcp', '0.0.0.0/0', port(80)),
			allow(120, 'tcp', '0.0.0.0/0', port(443)),
			allow(130, 'udp', '0.0.0.0/0', port(123)),
			allow(140, 'udp', '0.0.0.0/0', port(53)),
			allow(150, 'all', VPC_CIDR),
			allow(160, 'icmp', '0.0.0.0/0'),
		],
	},
	{
		id: ACL.web,
		name: 'web',
		inbound: [
			allow(100, 'tcp', '10.0.0.0/23', port(80)),
			// Responses from the app tier to the web servers' own requests.
			allow(110, 'tcp', VPC_CIDR, EPHEMERAL),
		],
		outbound: [
			// Responses to the ALB, and requests to the app tier on 8080.
			allow(100, 'tcp', VPC_CIDR, EPHEMERAL),
		],
	},
	{
		id: ACL.app,
		name: 'app',
		inbound: [
			allow(100, 'tcp', '10.0.10.0/23', port(8080)),
			allow(110, 'tcp', '0.0.0.0/0', EPHEMERAL),
			allow(120, 'udp', '0.0.0.0/0', EPHEMERAL),
		],
		outbound: [
			allow(100, 'tcp', '10.0.30.0/24', port(5432)),
			allow(110, 'tcp', '0.0.0.0/0', port(443)),
			allow(120, 'udp', '0.0.0.0/0', port(123)),
			allow(130, 'udp', '0.0.0.0/0', port(53)),
			allow(140, 'tcp', '10.0.10.0/23', EPHEMERAL),
		],
	},
	{
		id: ACL.data,
		name: 'data',
		inbound: [allow(100, 'tcp', '10.0.20.0/24', port(5432))],
		outbound: [allow(100, 'tcp', '10.0.20.0/24', EPHEMERAL)],
	},
];

const everywhere = {cidr: '0.0.0.0/0'};
const allOut = {protocol: 'all', peer: everywhere, description: 'default egress'} as const;

const securityGroups: SecurityGroup[] = [
	{
		id: SG.alb,
		name: 'alb',
		inbound: [
			{protocol: 'tcp', ports: port(80), peer: everywhere, description: 'HTTP from anywhere'},
			{protocol: 'tcp', ports: port(443), peer: everywhere, description: 'HTTPS from anywhere'},
			{protocol: 'tcp', ports: port(80), peer: {cidr: '::/0'}, description: 'HTTP from anywhere (IPv6)'},
			{protocol: 'tcp', ports: port(443), peer: {cidr: '::/0'}, description: 'HTTPS from anywhere (IPv6)'},
		],
		outbound: [{protocol: 'tcp', ports: port(80), peer: {group: SG.web}, description: 'to the web tier'}],
	},
	{
		id: SG.web,
		name: 'web',
		inbound: [{protocol: 'tcp', ports: port(80), peer: {group: SG.alb}, description: 'from the ALB'}],
		outbound: [{protocol: 'tcp', ports: port(8080), peer: {group: SG.app}, description: 'to the app tier'}],
	},
	{
		id: SG.app,
		name: 'app',
		inbound: [
			{protocol: 'tcp', ports: port(8080), peer: {group: SG.web}, description: 'from the web tier'},
			{protocol: 'tcp', ports: port(5701), peer: {group: SG.app}, description: 'cache cluster'},
		],
		outbound: [allOut],
	},
	{
		id: SG.backup,
		name: 'backup',
		inbound: [],
		outbound: [
			{protocol: 'tcp', ports: port(5432), peer: {group: SG.db}, description: 'dump the database'},
			{protocol: 'tcp', ports: port(443), peer: {prefixList: S3_LIST}, description: 'upload to S3'},
			{protocol: 'udp', ports: port(123), peer: everywhere, description: 'NTP'},
		],
	},
	{
		id: SG.db,
		name: 'db',
		inbound: [
			{protocol: 'tcp', ports: port(5432), peer: {group: SG.app}, description: 'PostgreSQL from the app tier'},
			{protocol: 'tcp', ports: port(5432), peer: {group: SG.backup}, description: 'PostgreSQL from the backup job'},
		],
		outbound: [allOut],
	},
	{
		id: SG.secretsEndpoint,
		name: 'secrets-endpoint',
		inbound: [{protocol: 'tcp', ports: port(443), peer: {cidr: VPC_CIDR}, description: 'HTTPS from the VPC'}],
		outbound: [allOut],
	},
	{
		id: SG.bastion,
		name: 'bastion',
		inbound: [
			{protocol: 'tcp', ports: port(22), peer: everywhere, description: 'SSH, key-only'},
			{protocol: 'icmp', peer: {cidr: MONITOR_CIDR}, description: 'uptime monitor'},
		],
		outbound: [allOut],
	},
];

export const DEFAULT_VPC: VpcModel = {
	id: VPC_ID,
	accountId: ACCOUNT_ID,
	region: REGION,
	cidr: VPC_CIDR,
	ipv6Cidr: VPC_IPV6_CIDR,
	subnets: [
		{
			id: SUBNET.publicA,
			name: 'public-a',
			cidr: '10.0.0.0/24',
			ipv6Cidr: '2600:1f18:6a3:c200::/64',
			az: 'us-east-1a',
			azId: 'use1-az1',
			aclId: ACL.public,
			internet: {via: 'igw'},
		},
		{
			id: SUBNET.publicB,
			name: 'public-b',
			cidr: '10.0.1.0/24',
			ipv6Cidr: '2600:1f18:6a3:c201::/64',
			az: 'us-east-1b',
			azId: 'use1-az2',
			aclId: ACL.public,
			internet: {via: 'igw'},
		},
		// One NAT gateway for both AZs: the usual way to save its hourly charge.
		{
			id: SUBNET.webA,
			name: 'web-a',
			cidr: '10.0.10.0/24',
			az: 'us-east-1a',
			azId: 'use1-az1',
			aclId: ACL.web,
			internet: {via: 'nat', natInterfaceId: ENI.nat},
		},
		{
			id: SUBNET.webB,
			name: 'web-b',
			cidr: '10.0.11.0/24',
			az: 'us-east-1b',
			azId: 'use1-az2',
			aclId: ACL.web,
			internet: {via: 'nat', natInterfaceId: ENI.nat},
		},
		{
			id: SUBNET.appA,
			name: 'app-a',
			cidr: '10.0.20.0/24',
			az: 'us-east-1a',
			azId: 'use1-az1',
			aclId: ACL.app,
			internet: {via: 'nat', natInterfaceId: ENI.nat},
		},
		{
			id: SUBNET.dataA,
			name: 'data-a',
			cidr: '10.0.30.0/24',
			az: 'us-east-1a',
			azId: 'use1-az1',
			aclId: ACL.data,
			internet: {via: 'none'},
		},
	],
	interfaces: [
		{
			id: ENI.albA,
			name: 'alb-a',
			kind: 'load-balancer',
			subnetId: SUBNET.publicA,
			privateIp: '10.0.0.45',
			ipv6: '2600:1f18:6a3:c200:8f1e:44b2:9c07:1a3d',
			publicIp: '3.215.104.61',
			securityGroups: [SG.alb],
			listens: [
				{protocol: TCP, port: 80},
				{protocol: TCP, port: 443},
			],
			description: 'ELB app/shop-alb/5f1c2a9e3b7d4c60 (us-east-1a)',
		},
		{
			id: ENI.albB,
			name: 'alb-b',
			kind: 'load-balancer',
			subnetId: SUBNET.publicB,
			privateIp: '10.0.1.77',
			ipv6: '2600:1f18:6a3:c201:5d2c:e3a9:71b8:4f60',
			publicIp: '54.163.27.198',
			securityGroups: [SG.alb],
			listens: [
				{protocol: TCP, port: 80},
				{protocol: TCP, port: 443},
			],
			description: 'ELB app/shop-alb/5f1c2a9e3b7d4c60 (us-east-1b)',
		},
		{
			id: ENI.nat,
			name: 'nat',
			kind: 'nat-gateway',
			subnetId: SUBNET.publicA,
			privateIp: '10.0.0.220',
			publicIp: '44.207.13.85',
			securityGroups: [],
			listens: [],
			description: 'Interface for NAT Gateway nat-0e1f2a3b4c5d6e7f8 (Elastic IP 44.207.13.85)',
		},
		{
			id: ENI.bastion,
			name: 'bastion',
			kind: 'ec2',
			subnetId: SUBNET.publicA,
			privateIp: '10.0.0.10',
			publicIp: '34.226.71.140',
			instanceId: 'i-0f2a6c8e1b3d57940',
			securityGroups: [SG.bastion],
			listens: [{protocol: TCP, port: 22}, {protocol: ICMP}],
			description: 'bastion host',
		},
		{
			id: ENI.web1,
			name: 'web-1',
			kind: 'ec2',
			subnetId: SUBNET.webA,
			privateIp: '10.0.10.11',
			instanceId: 'i-0a3b7d9f2c4e68051',
			securityGroups: [SG.web],
			listens: [{protocol: TCP, port: 80}],
			description: 'web tier, us-east-1a',
		},
		{
			id: ENI.web2,
			name: 'web-2',
			kind: 'ec2',
			subnetId: SUBNET.webB,
			privateIp: '10.0.11.12',
			instanceId: 'i-0b4c8eaf3d5f79162',
			securityGroups: [SG.web],
			listens: [{protocol: TCP, port: 80}],
			description: 'web tier, us-east-1b',
		},
		{
			id: ENI.app1,
			name: 'app-1',
			kind: 'ec2',
			subnetId: SUBNET.appA,
			privateIp: '10.0.20.21',
			instanceId: 'i-0c5d9fb14e6a8a273',
			securityGroups: [SG.app],
			listens: [
				{protocol: TCP, port: 8080},
				{protocol: TCP, port: 5701},
			],
			description: 'app tier',
		},
		{
			id: ENI.app2,
			name: 'app-2',
			kind: 'ec2',
			subnetId: SUBNET.appA,
			privateIp: '10.0.20.22',
			instanceId: 'i-0d6eac25f7b9b9384',
			securityGroups: [SG.app],
			listens: [
				{protocol: TCP, port: 8080},
				{protocol: TCP, port: 5701},
			],
			description: 'app tier',
		},
		{
			id: ENI.backup,
			name: 'backup',
			kind: 'ec2',
			subnetId: SUBNET.appA,
			privateIp: '10.0.20.30',
			instanceId: 'i-0e7fbd36a8cacad95',
			securityGroups: [SG.backup],
			listens: [],
			description: 'backup job: dumps the database to S3',
		},
		{
			id: ENI.secretsEndpoint,
			name: 'secrets-endpoint',
			kind: 'vpc-endpoint',
			subnetId: SUBNET.appA,
			privateIp: '10.0.20.50',
			securityGroups: [SG.secretsEndpoint],
			listens: [{protocol: TCP, port: 443}],
			description: 'VPC Endpoint Interface vpce-0a9b8c7d6e5f40312 (com.amazonaws.us-east-1.secretsmanager)',
		},
		{
			id: ENI.db,
			name: 'db',
			kind: 'database',
			subnetId: SUBNET.dataA,
			privateIp: '10.0.30.40',
			securityGroups: [SG.db],
			listens: [{protocol: TCP, port: 5432}],
			description: 'RDSNetworkInterface (PostgreSQL shop-db)',
		},
	],
	securityGroups,
	networkAcls,
	gatewayEndpoints: [{id: 'vpce-0b1c2d3e4f5a60718', service: 'S3', prefixes: [S3_PREFIX]}],
};
