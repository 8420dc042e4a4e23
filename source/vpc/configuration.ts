import type {InterfaceIdentity} from '../diagnosis/snapshot.js';
import {inCidr} from './address.js';
import type {NetworkAcl} from './network-acl.js';
import type {SecurityGroup} from './security-group.js';

/** What an interface is attached to, in the words a person uses for it. */
export type InterfaceKind =
	| 'instance'
	| 'nat-gateway'
	| 'load-balancer'
	| 'vpc-endpoint'
	| 'lambda'
	| 'database'
	| 'other';

/** One network interface as the VPC's configuration describes it. */
export interface InterfaceConfig {
	readonly id: string;
	readonly kind: InterfaceKind;
	/** The instance's Name tag, else the interface's description; absent when it has neither. */
	readonly name?: string;
	/** Private IPv4 addresses (primary first) and IPv6 addresses: what it writes as its own in flow logs. */
	readonly addresses: readonly string[];
	readonly subnetId: string;
	readonly vpcId: string;
	readonly securityGroupIds: readonly string[];
}

export interface SubnetConfig {
	readonly id: string;
	readonly name?: string;
	readonly vpcId: string;
	readonly cidrs: readonly string[];
	readonly aclId: string;
}

export interface VpcRanges {
	readonly id: string;
	readonly cidrs: readonly string[];
}

export interface VpcConfigurationParts {
	readonly interfaces: readonly InterfaceConfig[];
	readonly subnets: readonly SubnetConfig[];
	readonly vpcs: readonly VpcRanges[];
	readonly securityGroups: readonly SecurityGroup[];
	readonly networkAcls: readonly NetworkAcl[];
}

/** The words an interface's kind is shown with. */
export const KIND_LABELS: Readonly<Record<InterfaceKind, string>> = {
	instance: 'instance',
	'nat-gateway': 'NAT gateway',
	'load-balancer': 'load balancer',
	'vpc-endpoint': 'VPC endpoint',
	lambda: 'Lambda',
	database: 'database',
	other: 'interface',
};

function byId<T extends {readonly id: string}>(items: readonly T[]): Map<string, T> {
	return new Map(items.map(item => [item.id, item]));
}

/**
 * What the account's EC2 API says of the VPCs flowtop sees: immutable, replaced whole when it is
 * read again, so a diagnosis always reasons over one consistent picture.
 */
export class VpcConfiguration implements InterfaceIdentity {
	private readonly interfaces: Map<string, InterfaceConfig>;
	private readonly subnets: Map<string, SubnetConfig>;
	private readonly vpcs: Map<string, VpcRanges>;
	private readonly groups: Map<string, SecurityGroup>;
	private readonly acls: Map<string, NetworkAcl>;
	private readonly owners = new Map<string, InterfaceConfig>();
	private readonly membersOfGroup = new Map<string, string[]>();

	constructor(readonly parts: VpcConfigurationParts) {
		this.interfaces = byId(parts.interfaces);
		this.subnets = byId(parts.subnets);
		this.vpcs = byId(parts.vpcs);
		this.groups = byId(parts.securityGroups);
		this.acls = byId(parts.networkAcls);
		for (const eni of parts.interfaces) {
			for (const address of eni.addresses) {
				this.owners.set(address, eni);
			}

			for (const group of eni.securityGroupIds) {
				const members = this.membersOfGroup.get(group) ?? [];
				members.push(...eni.addresses);
				this.membersOfGroup.set(group, members);
			}
		}
	}

	interface(id: string): InterfaceConfig | undefined {
		return this.interfaces.get(id);
	}

	addressesOf(eni: string): readonly string[] | undefined {
		return this.interfaces.get(eni)?.addresses;
	}

	subnetIdOf(eni: string): string | undefined {
		return this.interfaces.get(eni)?.subnetId;
	}

	kindOf(eni: string): InterfaceKind | undefined {
		return this.interfaces.get(eni)?.kind;
	}

	/** The interfaces of NAT gateways, sorted. */
	natGateways(): string[] {
		return [...this.interfaces.values()]
			.filter(eni => eni.kind === 'nat-gateway')
			.map(eni => eni.id)
			.sort();
	}

	/** The interface whose own address this is. */
	ownerOf(address: string): InterfaceConfig | undefined {
		return this.owners.get(address);
	}

	subnet(id: string): SubnetConfig | undefined {
		return this.subnets.get(id);
	}

	/** The subnet of the interface's VPC whose range holds the address. */
	subnetHolding(vpcId: string, address: string): SubnetConfig | undefined {
		return this.parts.subnets.find(
			subnet => subnet.vpcId === vpcId && subnet.cidrs.some(cidr => inCidr(address, cidr)),
		);
	}

	/** Whether the address lies in one of the VPC's ranges. */
	inVpc(vpcId: string, address: string): boolean {
		return this.vpcs.get(vpcId)?.cidrs.some(cidr => inCidr(address, cidr)) ?? false;
	}

	/** Whether the address lies in any VPC this configuration knows. */
	isInside(address: string): boolean {
		return this.parts.vpcs.some(vpc => vpc.cidrs.some(cidr => inCidr(address, cidr)));
	}

	securityGroup(id: string): SecurityGroup | undefined {
		return this.groups.get(id);
	}

	networkAcl(id: string): NetworkAcl | undefined {
		return this.acls.get(id);
	}

	/** Addresses of the interfaces that carry a group: what a rule naming that group matches. */
	readonly members = (groupId: string): readonly string[] => this.membersOfGroup.get(groupId) ?? [];
}
