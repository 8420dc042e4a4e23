import {spawnSync} from 'node:child_process';
import {CreateLogGroupCommand, CreateLogStreamCommand} from '@aws-sdk/client-cloudwatch-logs';
import {
	AuthorizeSecurityGroupIngressCommand,
	CreateManagedPrefixListCommand,
	CreateNetworkAclCommand,
	CreateNetworkAclEntryCommand,
	CreateNetworkInterfaceCommand,
	CreateSecurityGroupCommand,
	CreateSubnetCommand,
	CreateVpcCommand,
	DescribeNetworkAclsCommand,
	EC2Client,
	ReplaceNetworkAclAssociationCommand,
} from '@aws-sdk/client-ec2';
import {afterEach, describe, expect, it} from 'vitest';
import {v2} from '../helpers/lines.js';
import {hasMoto, MOTO_CREDENTIALS, Moto} from './moto.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const GROUP = '/vpc/moto-rules';

function flowtop(...args: string[]): {status: number | null; stdout: string; stderr: string} {
	const result = spawnSync('node', [cli, ...args], {
		encoding: 'utf8',
		env: {
			...process.env,
			AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
			AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
			AWS_REGION: 'us-east-1',
		},
	});
	return {status: result.status, stdout: result.stdout, stderr: result.stderr};
}

interface Built {
	readonly dataSubnet: string;
	readonly aclId: string;
	readonly cacheGroup: string;
	readonly opsVpn: string;
	readonly db: string;
	readonly cache: string;
}

/**
 * A VPC with an app subnet and a data subnet. The data subnet's NACL admits PostgreSQL and Redis
 * from the app subnet and has no outbound rule, so the database's replies meet the final deny; the
 * cache's security group admits Redis only from elsewhere.
 */
async function buildVpc(ec2: EC2Client): Promise<Built> {
	const vpc = (await ec2.send(new CreateVpcCommand({CidrBlock: '10.0.0.0/16'}))).Vpc!.VpcId!;
	const subnet = async (cidr: string, name: string) =>
		(
			await ec2.send(
				new CreateSubnetCommand({
					VpcId: vpc,
					CidrBlock: cidr,
					TagSpecifications: [{ResourceType: 'subnet', Tags: [{Key: 'Name', Value: name}]}],
				}),
			)
		).Subnet!.SubnetId!;
	await subnet('10.0.20.0/24', 'app-a');
	const dataSubnet = await subnet('10.0.30.0/24', 'data-a');

	const aclId = (await ec2.send(new CreateNetworkAclCommand({VpcId: vpc}))).NetworkAcl!.NetworkAclId!;
	for (const [number, port] of [
		[100, 5432],
		[110, 6379],
	] as const) {
		await ec2.send(
			new CreateNetworkAclEntryCommand({
				NetworkAclId: aclId,
				RuleNumber: number,
				Protocol: '6',
				RuleAction: 'allow',
				Egress: false,
				CidrBlock: '10.0.20.0/24',
				PortRange: {From: port, To: port},
			}),
		);
	}

	const acls = await ec2.send(
		new DescribeNetworkAclsCommand({Filters: [{Name: 'association.subnet-id', Values: [dataSubnet]}]}),
	);
	const association = acls.NetworkAcls![0]!.Associations!.find(candidate => candidate.SubnetId === dataSubnet)!
		.NetworkAclAssociationId!;
	await ec2.send(new ReplaceNetworkAclAssociationCommand({AssociationId: association, NetworkAclId: aclId}));

	const group = async (name: string) =>
		(await ec2.send(new CreateSecurityGroupCommand({VpcId: vpc, GroupName: name, Description: name}))).GroupId!;
	const dbGroup = await group('db');
	await ec2.send(
		new AuthorizeSecurityGroupIngressCommand({
			GroupId: dbGroup,
			IpPermissions: [{IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{CidrIp: '10.0.20.0/24'}]}],
		}),
	);
	const cacheGroup = await group('cache');
	const opsVpn = (
		await ec2.send(
			new CreateManagedPrefixListCommand({
				PrefixListName: 'ops-vpn',
				AddressFamily: 'IPv4',
				MaxEntries: 5,
				Entries: [{Cidr: '10.0.98.0/24'}],
			}),
		)
	).PrefixList!.PrefixListId!;
	await ec2.send(
		new AuthorizeSecurityGroupIngressCommand({
			GroupId: cacheGroup,
			IpPermissions: [
				{IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, IpRanges: [{CidrIp: '10.0.99.0/24'}]},
				{IpProtocol: 'tcp', FromPort: 6379, ToPort: 6379, PrefixListIds: [{PrefixListId: opsVpn}]},
			],
		}),
	);

	const eni = async (address: string, groupId: string, description: string) =>
		(
			await ec2.send(
				new CreateNetworkInterfaceCommand({
					SubnetId: dataSubnet,
					PrivateIpAddress: address,
					Groups: [groupId],
					Description: description,
				}),
			)
		).NetworkInterface!.NetworkInterfaceId!;
	return {
		dataSubnet,
		aclId,
		cacheGroup,
		opsVpn,
		db: await eni('10.0.30.40', dbGroup, 'orders-db'),
		cache: await eni('10.0.30.50', cacheGroup, 'session-cache'),
	};
}

/** The app server's traffic as the data subnet's interfaces log it over the last few minutes. */
function flowLines(built: Built, now: number): Array<{stream: string; lines: string[]}> {
	const at = (minutesAgo: number) => ({start: now - minutesAgo * 60, end: now - minutesAgo * 60 + 50});
	const minutes = [5, 4, 3, 2];
	return [
		{
			stream: `${built.db}-all`,
			lines: minutes.flatMap(ago => [
				v2({
					'interface-id': built.db,
					srcaddr: '10.0.20.21',
					dstaddr: '10.0.30.40',
					srcport: 41_000 + ago,
					dstport: 5432,
					packets: 1,
					bytes: 60,
					...at(ago),
				}),
				v2({
					'interface-id': built.db,
					srcaddr: '10.0.30.40',
					dstaddr: '10.0.20.21',
					srcport: 5432,
					dstport: 41_000 + ago,
					packets: 1,
					bytes: 60,
					action: 'REJECT',
					...at(ago),
				}),
			]),
		},
		{
			stream: `${built.cache}-all`,
			lines: minutes.flatMap(ago =>
				[0, 1, 2].map(attempt =>
					v2({
						'interface-id': built.cache,
						srcaddr: '10.0.20.21',
						dstaddr: '10.0.30.50',
						srcport: 52_000 + ago * 10 + attempt,
						dstport: 6379,
						packets: 1,
						bytes: 60,
						action: 'REJECT',
						...at(ago),
					}),
				),
			),
		},
	];
}

let moto: Moto | undefined;
let ec2: EC2Client | undefined;
afterEach(() => {
	ec2?.destroy();
	ec2 = undefined;
	moto?.close();
	moto = undefined;
});

if (!hasMoto) {
	console.log("skipped: naming the refusing rule against moto needs moto_server on PATH (pip install 'moto[server]')");
}

describe.skipIf(!hasMoto)("naming the refusing rule from a VPC built in moto's EC2", () => {
	it("names the NACL's final deny for blocked replies and the security group that lacks a rule, reading its prefix list", async () => {
		moto = await Moto.start();
		ec2 = new EC2Client({endpoint: moto.url, region: 'us-east-1', credentials: MOTO_CREDENTIALS});
		const built = await buildVpc(ec2);
		const now = Math.floor(Date.now() / 1000);
		await moto.client.send(new CreateLogGroupCommand({logGroupName: GROUP}));
		for (const {stream, lines} of flowLines(built, now)) {
			await moto.client.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: stream}));
			await moto.put(GROUP, stream, lines);
		}

		const run = flowtop('--log-group', GROUP, '--endpoint', moto.url, '--once', '--json');
		expect(run.stderr).not.toMatch(/EC2|failed|refused|error/i);
		expect(run.status).toBe(0);
		const findings = JSON.parse(run.stdout).findings as Array<Record<string, unknown>>;
		expect(findings.find(finding => finding.eni === built.db)).toMatchObject({
			kind: 'nacl-return-blocked',
			name: 'orders-db',
			rule: {
				verdict: 'refuses',
				layer: 'network-acl',
				resource: built.aclId,
				subnet: built.dataSubnet,
				entry: '*',
				allows: 'rule 100 allows inbound TCP 5432 from 10.0.20.0/24',
				fix: 'add outbound rule 100 allow TCP 1024-65535 to 10.0.20.0/24',
			},
		});
		expect(findings.find(finding => finding.eni === built.cache)).toMatchObject({
			kind: 'inbound-rejected',
			name: 'session-cache',
			rule: {
				verdict: 'refuses',
				layer: 'security-group',
				resource: built.cacheGroup,
				allows: `TCP 6379 from 10.0.99.0/24, TCP 6379 from ${built.opsVpn} (ops-vpn)`,
			},
		});
	}, 60_000);

	it("without --no-ec2's calls, the findings infer from the traffic and say the configuration is off", async () => {
		moto = await Moto.start();
		ec2 = new EC2Client({endpoint: moto.url, region: 'us-east-1', credentials: MOTO_CREDENTIALS});
		const built = await buildVpc(ec2);
		const [database] = flowLines(built, Math.floor(Date.now() / 1000));
		await moto.createGroup(GROUP, database!.stream);
		await moto.put(GROUP, database!.stream, database!.lines);
		const run = flowtop('--log-group', GROUP, '--endpoint', moto.url, '--once', '--json', '--no-ec2');
		expect(run.stderr).toContain('EC2 configuration off (--no-ec2): findings infer from the traffic');
		const [finding] = JSON.parse(run.stdout).findings as Array<Record<string, unknown>>;
		expect(finding).toMatchObject({kind: 'nacl-return-blocked', eni: built.db});
		expect(finding).not.toHaveProperty('rule');
		expect(finding).not.toHaveProperty('name');
	}, 60_000);
});
