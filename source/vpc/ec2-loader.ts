import {
	type EC2Client,
	type NetworkAcl as Ec2NetworkAcl,
	type NetworkInterface as Ec2NetworkInterface,
	paginateDescribeInstances,
	paginateDescribeManagedPrefixLists,
	paginateDescribeNetworkAcls,
	paginateDescribeNetworkInterfaces,
	paginateDescribeSecurityGroupRules,
	paginateDescribeSecurityGroups,
	paginateDescribeSubnets,
	paginateDescribeVpcs,
	paginateGetManagedPrefixListEntries,
	type SecurityGroupRule as Ec2SecurityGroupRule,
	type Tag,
} from '@aws-sdk/client-ec2';
import {
	type InterfaceConfig,
	type InterfaceKind,
	type SubnetConfig,
	VpcConfiguration,
	type VpcRanges,
} from './configuration.js';
import type {NetworkAcl, NetworkAclRule} from './network-acl.js';
import type {PortRange, RuleProtocol} from './packet.js';
import type {PrefixList, SecurityGroup, SecurityGroupRule} from './security-group.js';

/** The read-only calls flowtop makes, as an IAM policy names them. */
export const EC2_ACTIONS = [
	'ec2:DescribeNetworkInterfaces',
	'ec2:DescribeSubnets',
	'ec2:DescribeVpcs',
	'ec2:DescribeSecurityGroups',
	'ec2:DescribeSecurityGroupRules',
	'ec2:DescribeNetworkAcls',
	'ec2:DescribeInstances',
	'ec2:DescribeManagedPrefixLists',
	'ec2:GetManagedPrefixListEntries',
] as const;

// AWS lists the implicit final deny as rule 32767; evaluation adds it to every list itself.
const FINAL_DENY_NUMBER = 32_767;

function nameTag(tags: readonly Tag[] | undefined): string | undefined {
	const name = tags?.find(tag => tag.Key === 'Name')?.Value;
	return name === undefined || name === '' ? undefined : name;
}

function protocolOf(text: string | undefined): RuleProtocol {
	switch (text?.toLowerCase()) {
		case '-1':
		case 'all':
		case undefined: {
			return 'all';
		}

		case 'tcp':
		case '6': {
			return 'tcp';
		}

		case 'udp':
		case '17': {
			return 'udp';
		}

		case 'icmp':
		case '1': {
			return 'icmp';
		}

		case 'icmpv6':
		case '58': {
			return 'icmpv6';
		}

		default: {
			return Number(text);
		}
	}
}

function portsOf(protocol: RuleProtocol, from: number | undefined, to: number | undefined): PortRange | undefined {
	if ((protocol !== 'tcp' && protocol !== 'udp') || from === undefined || to === undefined || from < 0) {
		return undefined;
	}

	return {from, to};
}

/** What the interface is, from the fields AWS sets for each kind of owner. */
export function kindOf(eni: Ec2NetworkInterface): InterfaceKind {
	const type: string = eni.InterfaceType ?? 'interface';
	const description = eni.Description ?? '';
	if (type === 'natGateway' || description.startsWith('Interface for NAT Gateway')) {
		return 'nat-gateway';
	}

	if (
		type === 'load_balancer' ||
		type === 'network_load_balancer' ||
		type.startsWith('gateway_load_balancer') ||
		description.startsWith('ELB ')
	) {
		return 'load-balancer';
	}

	if (type === 'vpc_endpoint') {
		return 'vpc-endpoint';
	}

	if (type === 'lambda' || description.startsWith('AWS Lambda VPC ENI')) {
		return 'lambda';
	}

	if (description.startsWith('RDSNetworkInterface')) {
		return 'database';
	}

	return eni.Attachment?.InstanceId && !eni.RequesterManaged ? 'instance' : 'other';
}

function interfaceOf(
	eni: Ec2NetworkInterface,
	instanceNames: ReadonlyMap<string, string>,
): InterfaceConfig | undefined {
	if (!eni.NetworkInterfaceId || !eni.SubnetId || !eni.VpcId) {
		return undefined;
	}

	const v4 = (eni.PrivateIpAddresses ?? []).flatMap(address =>
		address.PrivateIpAddress ? [address.PrivateIpAddress] : [],
	);
	const primary = eni.PrivateIpAddress;
	const addresses = [
		...(primary ? [primary] : []),
		...v4.filter(address => address !== primary),
		...(eni.Ipv6Addresses ?? []).flatMap(address => (address.Ipv6Address ? [address.Ipv6Address] : [])),
	];
	const instance = eni.Attachment?.InstanceId;
	const name =
		(instance ? instanceNames.get(instance) : undefined) ?? nameTag(eni.TagSet) ?? (eni.Description || undefined);
	return {
		id: eni.NetworkInterfaceId,
		kind: kindOf(eni),
		...(name ? {name} : {}),
		addresses,
		subnetId: eni.SubnetId,
		vpcId: eni.VpcId,
		securityGroupIds: (eni.Groups ?? []).flatMap(group => (group.GroupId ? [group.GroupId] : [])),
	};
}

function securityGroupRuleOf(
	rule: Ec2SecurityGroupRule,
	prefixLists: ReadonlyMap<string, PrefixList>,
): SecurityGroupRule | undefined {
	const prefixList = rule.PrefixListId === undefined ? undefined : prefixLists.get(rule.PrefixListId);
	const peer = rule.CidrIpv4
		? {cidr: rule.CidrIpv4}
		: rule.CidrIpv6
			? {cidr: rule.CidrIpv6}
			: rule.ReferencedGroupInfo?.GroupId
				? {group: rule.ReferencedGroupInfo.GroupId}
				: prefixList
					? {prefixList}
					: undefined;
	if (!peer) {
		return undefined;
	}

	const protocol = protocolOf(rule.IpProtocol);
	const ports = portsOf(protocol, rule.FromPort, rule.ToPort);
	return {
		...(rule.SecurityGroupRuleId ? {id: rule.SecurityGroupRuleId} : {}),
		protocol,
		...(ports ? {ports} : {}),
		peer,
		description: rule.Description ?? '',
	};
}

function networkAclOf(acl: Ec2NetworkAcl): NetworkAcl | undefined {
	if (!acl.NetworkAclId) {
		return undefined;
	}

	const inbound: NetworkAclRule[] = [];
	const outbound: NetworkAclRule[] = [];
	for (const entry of acl.Entries ?? []) {
		const cidr = entry.CidrBlock ?? entry.Ipv6CidrBlock;
		if (entry.RuleNumber === undefined || entry.RuleNumber >= FINAL_DENY_NUMBER || !cidr) {
			continue;
		}

		const protocol = protocolOf(entry.Protocol);
		const ports = portsOf(protocol, entry.PortRange?.From, entry.PortRange?.To);
		(entry.Egress ? outbound : inbound).push({
			number: entry.RuleNumber,
			action: entry.RuleAction === 'allow' ? 'allow' : 'deny',
			protocol,
			...(ports ? {ports} : {}),
			cidr,
		});
	}

	return {id: acl.NetworkAclId, name: nameTag(acl.Tags) ?? '', inbound, outbound};
}

async function all<T>(pages: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const page of pages) {
		items.push(page);
	}

	return items;
}

/**
 * The prefix lists the rules name, with their ranges: asked for only when a rule names one, so an
 * account without them needs no permission for it.
 */
async function readPrefixLists(client: EC2Client, ids: readonly string[]): Promise<Map<string, PrefixList>> {
	if (ids.length === 0) {
		return new Map();
	}

	const options = {client, pageSize: 100};
	const [listPages, ...entryPages] = await Promise.all([
		all(paginateDescribeManagedPrefixLists(options, {PrefixListIds: [...ids]})),
		...ids.map(async id => all(paginateGetManagedPrefixListEntries(options, {PrefixListId: id}))),
	]);
	const names = new Map(
		listPages.flatMap(page => page.PrefixLists ?? []).map(list => [list.PrefixListId, list.PrefixListName]),
	);
	return new Map(
		ids.map((id, index) => [
			id,
			{
				id,
				name: names.get(id) ?? id,
				cidrs: entryPages[index]!.flatMap(page => page.Entries ?? []).flatMap(entry =>
					entry.Cidr ? [entry.Cidr] : [],
				),
			},
		]),
	);
}

/**
 * Everything flowtop needs to know of the account's VPCs, read with the describe calls of
 * EC2_ACTIONS (all paginated). Throws the SDK's error when a call is refused: the caller says what
 * is missing and carries on without. Import this module lazily, as ec2-client.
 */
export async function loadVpcConfiguration(client: EC2Client): Promise<VpcConfiguration> {
	const options = {client, pageSize: 1000};
	const [interfacePages, subnetPages, vpcPages, groupPages, rulePages, aclPages, instancePages] = await Promise.all([
		all(paginateDescribeNetworkInterfaces(options, {})),
		all(paginateDescribeSubnets(options, {})),
		all(paginateDescribeVpcs(options, {})),
		all(paginateDescribeSecurityGroups(options, {})),
		all(paginateDescribeSecurityGroupRules(options, {})),
		all(paginateDescribeNetworkAcls(options, {})),
		all(paginateDescribeInstances(options, {})),
	]);

	const instanceNames = new Map<string, string>();
	for (const instance of instancePages.flatMap(page =>
		(page.Reservations ?? []).flatMap(reservation => reservation.Instances ?? []),
	)) {
		const name = nameTag(instance.Tags);
		if (instance.InstanceId && name) {
			instanceNames.set(instance.InstanceId, name);
		}
	}

	const acls = aclPages.flatMap(page => page.NetworkAcls ?? []);
	const aclOfSubnet = new Map<string, string>();
	const defaultAclOfVpc = new Map<string, string>();
	for (const acl of acls) {
		for (const association of acl.Associations ?? []) {
			if (association.SubnetId && acl.NetworkAclId) {
				aclOfSubnet.set(association.SubnetId, acl.NetworkAclId);
			}
		}

		if (acl.IsDefault && acl.VpcId && acl.NetworkAclId) {
			defaultAclOfVpc.set(acl.VpcId, acl.NetworkAclId);
		}
	}

	const subnets: SubnetConfig[] = subnetPages
		.flatMap(page => page.Subnets ?? [])
		.flatMap(subnet => {
			if (!subnet.SubnetId || !subnet.VpcId) {
				return [];
			}

			const aclId = aclOfSubnet.get(subnet.SubnetId) ?? defaultAclOfVpc.get(subnet.VpcId);
			const name = nameTag(subnet.Tags);
			return aclId
				? [
						{
							id: subnet.SubnetId,
							...(name ? {name} : {}),
							vpcId: subnet.VpcId,
							cidrs: [
								...(subnet.CidrBlock ? [subnet.CidrBlock] : []),
								...(subnet.Ipv6CidrBlockAssociationSet ?? []).flatMap(association =>
									association.Ipv6CidrBlock ? [association.Ipv6CidrBlock] : [],
								),
							],
							aclId,
						},
					]
				: [];
		});

	const vpcs: VpcRanges[] = vpcPages
		.flatMap(page => page.Vpcs ?? [])
		.flatMap(vpc =>
			vpc.VpcId
				? [
						{
							id: vpc.VpcId,
							cidrs: [
								...new Set([
									...(vpc.CidrBlock ? [vpc.CidrBlock] : []),
									...(vpc.CidrBlockAssociationSet ?? []).flatMap(association =>
										association.CidrBlock ? [association.CidrBlock] : [],
									),
									...(vpc.Ipv6CidrBlockAssociationSet ?? []).flatMap(association =>
										association.Ipv6CidrBlock ? [association.Ipv6CidrBlock] : [],
									),
								]),
							],
						},
					]
				: [],
		);

	const groupRules = rulePages.flatMap(page => page.SecurityGroupRules ?? []);
	const prefixLists = await readPrefixLists(client, [
		...new Set(groupRules.flatMap(rule => (rule.PrefixListId ? [rule.PrefixListId] : []))),
	]);
	const rulesOfGroup = new Map<string, {inbound: SecurityGroupRule[]; outbound: SecurityGroupRule[]}>();
	for (const rule of groupRules) {
		const converted = securityGroupRuleOf(rule, prefixLists);
		if (!rule.GroupId || !converted) {
			continue;
		}

		const rules = rulesOfGroup.get(rule.GroupId) ?? {inbound: [], outbound: []};
		(rule.IsEgress ? rules.outbound : rules.inbound).push(converted);
		rulesOfGroup.set(rule.GroupId, rules);
	}

	const securityGroups: SecurityGroup[] = groupPages
		.flatMap(page => page.SecurityGroups ?? [])
		.flatMap(group =>
			group.GroupId
				? [
						{
							id: group.GroupId,
							name: group.GroupName ?? '',
							...(rulesOfGroup.get(group.GroupId) ?? {inbound: [], outbound: []}),
						},
					]
				: [],
		);

	return new VpcConfiguration({
		interfaces: interfacePages
			.flatMap(page => page.NetworkInterfaces ?? [])
			.flatMap(eni => interfaceOf(eni, instanceNames) ?? []),
		subnets,
		vpcs,
		securityGroups,
		networkAcls: acls.flatMap(acl => networkAclOf(acl) ?? []),
	});
}
