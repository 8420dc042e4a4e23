import {type Family, inCidr} from '../../vpc/address.js';
import type {NetworkAcl} from '../../vpc/network-acl.js';
import type {SecurityGroup} from '../../vpc/security-group.js';

/** What an interface belongs to; it decides instance-id, interface-type and traffic-path. */
export type InterfaceKind = 'ec2' | 'load-balancer' | 'nat-gateway' | 'database' | 'vpc-endpoint';

/** Something listening on an interface. `port` is absent for ICMP echo. */
export interface Service {
	readonly protocol: number;
	readonly port?: number;
}

export interface NetworkInterface {
	readonly id: string;
	/** Short role name the simulator and scenarios use: `web-1`, `db`, `nat`. */
	readonly name: string;
	readonly kind: InterfaceKind;
	readonly subnetId: string;
	readonly privateIp: string;
	readonly ipv6?: string;
	/** Public or Elastic IP. Never written in a flow log: the internet gateway translates it first. */
	readonly publicIp?: string;
	/** Only for instances you own; requester-managed interfaces (NAT, ALB, RDS) log `-`. */
	readonly instanceId?: string;
	/** A NAT gateway has none: only its subnet's NACL filters it. */
	readonly securityGroups: readonly string[];
	readonly listens: readonly Service[];
	readonly description: string;
}

/** Where a subnet's route table sends 0.0.0.0/0. */
export type InternetRoute =
	| {readonly via: 'igw'}
	| {readonly via: 'nat'; readonly natInterfaceId: string}
	| {readonly via: 'none'};

export interface Subnet {
	readonly id: string;
	readonly name: string;
	readonly cidr: string;
	readonly ipv6Cidr?: string;
	readonly az: string;
	readonly azId: string;
	readonly aclId: string;
	readonly internet: InternetRoute;
}

/** A gateway endpoint (S3, DynamoDB): a route to the service's prefixes, with no interface of its own. */
export interface GatewayEndpoint {
	readonly id: string;
	/** The name flow logs give in pkt-src-aws-service / pkt-dst-aws-service. */
	readonly service: string;
	readonly prefixes: readonly string[];
}

/**
 * A route to a peered VPC's range through a peering connection. `blackhole`: the peering
 * connection was deleted and the route stayed, as AWS marks it: packets leave, and vanish.
 */
export interface PeeringRoute {
	readonly connectionId: string;
	readonly cidr: string;
	readonly state: 'active' | 'blackhole';
}

export interface VpcModel {
	readonly id: string;
	readonly accountId: string;
	readonly region: string;
	readonly cidr: string;
	readonly ipv6Cidr?: string;
	readonly subnets: readonly Subnet[];
	readonly interfaces: readonly NetworkInterface[];
	readonly securityGroups: readonly SecurityGroup[];
	readonly networkAcls: readonly NetworkAcl[];
	readonly gatewayEndpoints: readonly GatewayEndpoint[];
	/** The route tables' peering routes, when there are any. */
	readonly peeringRoutes?: readonly PeeringRoute[];
}

/** The `interface-type` flow logs write for each kind. */
export function interfaceType(kind: InterfaceKind): string {
	switch (kind) {
		case 'load-balancer': {
			return 'load_balancer';
		}

		case 'nat-gateway': {
			return 'nat_gateway';
		}

		case 'vpc-endpoint': {
			return 'vpc_endpoint';
		}

		default: {
			return 'interface';
		}
	}
}

/** Instances here are Nitro: 60 s capture windows, and traffic-path 7/8 for gateway endpoint/IGW. */
export function isNitroInstance(kind: InterfaceKind): boolean {
	return kind === 'ec2';
}

function indexBy<T extends {readonly id: string}>(items: readonly T[], what: string): Map<string, T> {
	const map = new Map<string, T>();
	for (const item of items) {
		if (map.has(item.id)) {
			throw new Error(`duplicate ${what} ${item.id}`);
		}

		map.set(item.id, item);
	}

	return map;
}

/** A VPC model with its lookups. Immutable: a scenario that changes a rule builds a new one. */
export class Vpc {
	private readonly interfacesById: Map<string, NetworkInterface>;
	private readonly interfacesByName = new Map<string, NetworkInterface>();
	private readonly subnets: Map<string, Subnet>;
	private readonly groups: Map<string, SecurityGroup>;
	private readonly acls: Map<string, NetworkAcl>;
	private readonly membersOfGroup = new Map<string, string[]>();

	constructor(readonly model: VpcModel) {
		this.interfacesById = indexBy(model.interfaces, 'interface');
		this.subnets = indexBy(model.subnets, 'subnet');
		this.groups = indexBy(model.securityGroups, 'security group');
		this.acls = indexBy(model.networkAcls, 'network ACL');
		for (const subnet of model.subnets) {
			if (!this.acls.has(subnet.aclId)) {
				throw new Error(`subnet ${subnet.id} names unknown network ACL ${subnet.aclId}`);
			}
		}

		for (const eni of model.interfaces) {
			this.interfacesByName.set(eni.name, eni);
			if (!this.subnets.has(eni.subnetId)) {
				throw new Error(`interface ${eni.id} names unknown subnet ${eni.subnetId}`);
			}

			for (const groupId of eni.securityGroups) {
				if (!this.groups.has(groupId)) {
					throw new Error(`interface ${eni.id} names unknown security group ${groupId}`);
				}

				const members = this.membersOfGroup.get(groupId) ?? [];
				members.push(eni.privateIp, ...(eni.ipv6 ? [eni.ipv6] : []));
				this.membersOfGroup.set(groupId, members);
			}
		}
	}

	/** By id (`eni-...`) or role name (`db`). */
	interface(idOrName: string): NetworkInterface {
		const eni = this.interfacesById.get(idOrName) ?? this.interfacesByName.get(idOrName);
		if (!eni) {
			throw new Error(`no interface ${idOrName} in ${this.model.id}`);
		}

		return eni;
	}

	subnet(id: string): Subnet {
		const subnet = this.subnets.get(id);
		if (!subnet) {
			throw new Error(`no subnet ${id} in ${this.model.id}`);
		}

		return subnet;
	}

	subnetOf(eni: NetworkInterface): Subnet {
		return this.subnet(eni.subnetId);
	}

	aclOf(subnet: Subnet): NetworkAcl {
		return this.acls.get(subnet.aclId)!;
	}

	groupsOf(eni: NetworkInterface): SecurityGroup[] {
		return eni.securityGroups.map(id => this.groups.get(id)!);
	}

	/** Addresses of the interfaces that carry a group: what a rule naming that group matches. */
	readonly members = (groupId: string): readonly string[] => this.membersOfGroup.get(groupId) ?? [];

	/** The address an interface writes as its own in srcaddr/dstaddr: the primary private one. */
	ownAddress(eni: NetworkInterface, family: Family): string {
		if (family === 4) {
			return eni.privateIp;
		}

		if (!eni.ipv6) {
			throw new Error(`interface ${eni.id} has no IPv6 address`);
		}

		return eni.ipv6;
	}

	peeringRouteFor(address: string): PeeringRoute | undefined {
		return this.model.peeringRoutes?.find(route => inCidr(address, route.cidr));
	}

	gatewayEndpointFor(address: string): GatewayEndpoint | undefined {
		return this.model.gatewayEndpoints.find(endpoint => endpoint.prefixes.some(prefix => inCidr(address, prefix)));
	}
}
