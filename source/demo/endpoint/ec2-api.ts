/**
 * The read-only EC2 calls flowtop makes, answered from the simulated VPC in the EC2 Query protocol
 * (form-encoded `Action=...` requests, XML responses), so the SDK's EC2 client reads the very
 * security groups and NACLs the simulator evaluates, as they stand now.
 */
import {randomUUID} from 'node:crypto';
import type {NetworkAclRule} from '../../vpc/network-acl.js';
import type {RuleProtocol} from '../../vpc/packet.js';
import type {PrefixList, SecurityGroupRule} from '../../vpc/security-group.js';
import type {NetworkInterface, VpcModel} from '../vpc/vpc.js';

export const DESCRIBE_ACTIONS = [
	'DescribeNetworkInterfaces',
	'DescribeSubnets',
	'DescribeVpcs',
	'DescribeSecurityGroups',
	'DescribeSecurityGroupRules',
	'DescribeNetworkAcls',
	'DescribeInstances',
	'DescribeManagedPrefixLists',
	'GetManagedPrefixListEntries',
] as const;

export type Ec2ActionName = (typeof DESCRIBE_ACTIONS)[number];

export interface Ec2Response {
	readonly status: number;
	readonly body: string;
}

type Node = string | number | boolean | undefined | readonly Node[] | {readonly [tag: string]: Node};

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** Objects become elements; arrays become the `<item>` lists EC2 writes; undefined is left out. */
function render(node: Node): string {
	if (node === undefined) {
		return '';
	}

	if (Array.isArray(node)) {
		return node.map(item => `<item>${render(item as Node)}</item>`).join('');
	}

	if (typeof node === 'object') {
		return Object.entries(node as Record<string, Node>)
			.filter(([, value]) => value !== undefined)
			.map(([tag, value]) => `<${tag}>${render(value)}</${tag}>`)
			.join('');
	}

	return escapeXml(String(node));
}

function document(action: string, body: Record<string, Node>): string {
	return (
		`<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
		`${render({requestId: randomUUID(), ...body})}</${action}Response>`
	);
}

/** The error document EC2 sends, which the SDK turns into an exception named by `code`. */
export function ec2Error(status: number, code: string, message: string): Ec2Response {
	return {
		status,
		body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response>${render({Errors: {Error: {Code: code, Message: message}}, RequestID: randomUUID()})}</Response>`,
	};
}

const protocolNumbers: Record<Exclude<RuleProtocol, number>, string> = {
	all: '-1',
	tcp: '6',
	udp: '17',
	icmp: '1',
	icmpv6: '58',
};

function protocolText(protocol: RuleProtocol): string {
	return typeof protocol === 'number' ? String(protocol) : protocolNumbers[protocol];
}

/** What AWS writes for each owner: ALB and RDS interfaces are plain `interface`s, told apart by description. */
function interfaceTypeOf(eni: NetworkInterface): string {
	switch (eni.kind) {
		case 'nat-gateway': {
			return 'natGateway';
		}

		case 'vpc-endpoint': {
			return 'vpc_endpoint';
		}

		default: {
			return 'interface';
		}
	}
}

function tagSet(name: string | undefined): Node {
	return name ? [{key: 'Name', value: name}] : [];
}

// Stable rule ids, so the same rule keeps its id from one read to the next.
function ruleId(groupId: string, egress: boolean, index: number): string {
	const hex = [...`${groupId}${egress ? 'e' : 'i'}${index}`].reduce(
		(hash, character) => (hash * 31 + character.codePointAt(0)!) >>> 0,
		7,
	);
	return `sgr-${hex.toString(16).padStart(8, '0')}${index.toString(16).padStart(9, '0')}`;
}

function securityGroupRule(
	model: VpcModel,
	groupId: string,
	rule: SecurityGroupRule,
	egress: boolean,
	index: number,
): Node {
	const protocol =
		rule.protocol === 'all' ? '-1' : typeof rule.protocol === 'number' ? String(rule.protocol) : rule.protocol;
	const ports =
		rule.protocol === 'tcp' || rule.protocol === 'udp' ? (rule.ports ?? {from: 0, to: 65_535}) : {from: -1, to: -1};
	const cidr = 'cidr' in rule.peer ? rule.peer.cidr : undefined;
	return {
		securityGroupRuleId: rule.id ?? ruleId(groupId, egress, index),
		groupId,
		groupOwnerId: model.accountId,
		isEgress: egress,
		ipProtocol: protocol,
		fromPort: ports.from,
		toPort: ports.to,
		cidrIpv4: cidr?.includes(':') ? undefined : cidr,
		cidrIpv6: cidr?.includes(':') ? cidr : undefined,
		referencedGroupInfo: 'group' in rule.peer ? {groupId: rule.peer.group, userId: model.accountId} : undefined,
		prefixListId: 'prefixList' in rule.peer ? rule.peer.prefixList.id : undefined,
		description: rule.description || undefined,
	};
}

function aclEntry(rule: NetworkAclRule, egress: boolean): Node {
	return {
		ruleNumber: rule.number,
		protocol: protocolText(rule.protocol),
		ruleAction: rule.action,
		egress,
		cidrBlock: rule.cidr.includes(':') ? undefined : rule.cidr,
		ipv6CidrBlock: rule.cidr.includes(':') ? rule.cidr : undefined,
		portRange: rule.ports ? {from: rule.ports.from, to: rule.ports.to} : undefined,
	};
}

/** The prefix lists the security groups' rules name. */
function prefixListsOf(model: VpcModel): PrefixList[] {
	const lists = new Map<string, PrefixList>();
	for (const group of model.securityGroups) {
		for (const rule of [...group.inbound, ...group.outbound]) {
			if ('prefixList' in rule.peer) {
				lists.set(rule.peer.prefixList.id, rule.peer.prefixList);
			}
		}
	}

	return [...lists.values()];
}

/** The values of a list parameter, as the Query protocol spells them: `Name.1`, `Name.2`, ... */
function listParameter(form: URLSearchParams, name: string): string[] {
	return [...form.entries()].filter(([key]) => key.startsWith(`${name}.`)).map(([, value]) => value);
}

function describe(action: Ec2ActionName, model: VpcModel, form: URLSearchParams): Record<string, Node> {
	switch (action) {
		case 'DescribeNetworkInterfaces': {
			return {
				networkInterfaceSet: model.interfaces.map(eni => {
					const subnet = model.subnets.find(candidate => candidate.id === eni.subnetId)!;
					return {
						networkInterfaceId: eni.id,
						subnetId: eni.subnetId,
						vpcId: model.id,
						availabilityZone: subnet.az,
						description: eni.description,
						ownerId: model.accountId,
						requesterManaged: eni.instanceId === undefined,
						status: 'in-use',
						privateIpAddress: eni.privateIp,
						interfaceType: interfaceTypeOf(eni),
						groupSet: eni.securityGroups.map(groupId => ({
							groupId,
							groupName: model.securityGroups.find(group => group.id === groupId)?.name,
						})),
						attachment: eni.instanceId ? {instanceId: eni.instanceId, deviceIndex: 0, status: 'attached'} : undefined,
						privateIpAddressesSet: [{privateIpAddress: eni.privateIp, primary: true}],
						ipv6AddressesSet: eni.ipv6 ? [{ipv6Address: eni.ipv6}] : [],
						tagSet: [],
					};
				}),
			};
		}

		case 'DescribeSubnets': {
			return {
				subnetSet: model.subnets.map(subnet => ({
					subnetId: subnet.id,
					vpcId: model.id,
					state: 'available',
					cidrBlock: subnet.cidr,
					availabilityZone: subnet.az,
					availabilityZoneId: subnet.azId,
					ipv6CidrBlockAssociationSet: subnet.ipv6Cidr
						? [{ipv6CidrBlock: subnet.ipv6Cidr, ipv6CidrBlockState: {state: 'associated'}}]
						: [],
					tagSet: tagSet(subnet.name),
				})),
			};
		}

		case 'DescribeVpcs': {
			return {
				vpcSet: [
					{
						vpcId: model.id,
						state: 'available',
						cidrBlock: model.cidr,
						cidrBlockAssociationSet: [{cidrBlock: model.cidr, cidrBlockState: {state: 'associated'}}],
						ipv6CidrBlockAssociationSet: model.ipv6Cidr
							? [{ipv6CidrBlock: model.ipv6Cidr, ipv6CidrBlockState: {state: 'associated'}}]
							: [],
						ownerId: model.accountId,
					},
				],
			};
		}

		case 'DescribeSecurityGroups': {
			return {
				securityGroupInfo: model.securityGroups.map(group => ({
					ownerId: model.accountId,
					groupId: group.id,
					groupName: group.name,
					groupDescription: group.name,
					vpcId: model.id,
				})),
			};
		}

		case 'DescribeSecurityGroupRules': {
			return {
				securityGroupRuleSet: model.securityGroups.flatMap(group => [
					...group.inbound.map((rule, index) => securityGroupRule(model, group.id, rule, false, index)),
					...group.outbound.map((rule, index) => securityGroupRule(model, group.id, rule, true, index)),
				]),
			};
		}

		case 'DescribeNetworkAcls': {
			return {
				networkAclSet: model.networkAcls.map(acl => ({
					networkAclId: acl.id,
					vpcId: model.id,
					default: false,
					entrySet: [
						...acl.inbound.map(rule => aclEntry(rule, false)),
						{ruleNumber: 32_767, protocol: '-1', ruleAction: 'deny', egress: false, cidrBlock: '0.0.0.0/0'},
						...acl.outbound.map(rule => aclEntry(rule, true)),
						{ruleNumber: 32_767, protocol: '-1', ruleAction: 'deny', egress: true, cidrBlock: '0.0.0.0/0'},
					],
					associationSet: model.subnets
						.filter(subnet => subnet.aclId === acl.id)
						.map(subnet => ({
							networkAclAssociationId: `aclassoc-${subnet.id.slice('subnet-'.length)}`,
							networkAclId: acl.id,
							subnetId: subnet.id,
						})),
					tagSet: tagSet(acl.name),
					ownerId: model.accountId,
				})),
			};
		}

		case 'DescribeManagedPrefixLists': {
			const wanted = listParameter(form, 'PrefixListId');
			return {
				prefixListSet: prefixListsOf(model)
					.filter(list => wanted.length === 0 || wanted.includes(list.id))
					.map(list => ({
						prefixListId: list.id,
						addressFamily: list.cidrs.some(cidr => cidr.includes(':')) ? 'IPv6' : 'IPv4',
						state: 'create-complete',
						prefixListArn: `arn:aws:ec2:${model.region}:aws:prefix-list/${list.id}`,
						prefixListName: list.name,
						ownerId: 'AWS',
					})),
			};
		}

		case 'GetManagedPrefixListEntries': {
			const list = prefixListsOf(model).find(candidate => candidate.id === form.get('PrefixListId'));
			return {entrySet: (list?.cidrs ?? []).map(cidr => ({cidr}))};
		}

		case 'DescribeInstances': {
			return {
				reservationSet: model.interfaces.flatMap(eni =>
					eni.instanceId
						? [
								{
									reservationId: `r-${eni.instanceId.slice('i-'.length)}`,
									ownerId: model.accountId,
									instancesSet: [
										{instanceId: eni.instanceId, instanceState: {code: 16, name: 'running'}, tagSet: tagSet(eni.name)},
									],
								},
							]
						: [],
				),
			};
		}
	}
}

function isEc2Action(action: string): action is Ec2ActionName {
	return (DESCRIBE_ACTIONS as readonly string[]).includes(action);
}

export interface Ec2ApiOptions {
	/** The VPC as it stands now: a scenario switch changes what the next call reads. */
	readonly model: () => VpcModel;
	/** Refuse every call as AWS refuses a caller without the ec2:Describe* permissions. */
	readonly denied?: () => boolean;
}

/** Answers one form-encoded request. The whole VPC fits one page, so every answer is complete. */
export function answerEc2(options: Ec2ApiOptions, form: URLSearchParams): Ec2Response {
	const action = form.get('Action') ?? '';
	if (!isEc2Action(action)) {
		return ec2Error(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
	}

	if (options.denied?.()) {
		return ec2Error(
			403,
			'UnauthorizedOperation',
			`You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/flowtop is not authorized to perform: ec2:${action}`,
		);
	}

	return {status: 200, body: document(action, describe(action, options.model(), form))};
}
