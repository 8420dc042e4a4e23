import type {Direction} from '../../net/direction.js';
import {evaluateBoundary, type Leg} from '../../vpc/boundary.js';
import type {Packet} from '../../vpc/packet.js';
import type {Endpoint, Link, Segment} from './route.js';
import {isNitroInstance, type NetworkInterface, type Vpc} from './vpc.js';

/**
 * The leg a record is part of. `late-reply`: a packet of the response that arrives after the
 * connection was forgotten (a FIN or RST after it closed, a DNS answer after the query timed out),
 * which security groups judge by their rules like a new request: no tracked connection lets it in.
 */
export type RecordLeg = Leg | 'late-reply';

interface CheckBase {
	/** The interface on whose side of the boundary the check sits. */
	readonly interfaceId: string;
	readonly subnetId: string;
	readonly direction: Direction;
	readonly allowed: boolean;
}

export interface SecurityGroupCheck extends CheckBase {
	readonly layer: 'security-group';
	/** The interface's groups, all evaluated together. */
	readonly groupIds: readonly string[];
	/**
	 * What let the packet through: the matching rule, or `tracked` for a response (security groups
	 * are stateful). Absent when nothing matched and the packet was dropped.
	 */
	readonly rule?: {readonly groupId: string; readonly index: number; readonly description: string} | 'tracked';
}

export interface NetworkAclCheck extends CheckBase {
	readonly layer: 'network-acl';
	readonly aclId: string;
	/** The rule number that decided, or `*` for the implicit final deny. */
	readonly rule: number | '*';
}

/** One evaluation of one layer for one packet direction: the ground truth beside a record. */
export type Check = SecurityGroupCheck | NetworkAclCheck;

/** What one interface sees of one leg: becomes a flow-log record once packets are counted. */
export interface Observation {
	readonly eni: NetworkInterface;
	readonly leg: RecordLeg;
	readonly direction: Direction;
	readonly action: 'ACCEPT' | 'REJECT';
	/** srcaddr/dstaddr as logged: the interface's own address on its side. */
	readonly srcaddr: string;
	readonly dstaddr: string;
	readonly srcport: number;
	readonly dstport: number;
	readonly protocol: number;
	/** The packet's own addresses, which differ from srcaddr/dstaddr on a NAT gateway's interface. */
	readonly pktSrcaddr: string;
	readonly pktDstaddr: string;
	/** Egress only. */
	readonly trafficPath?: number;
	/** The checks made on this interface's side, in order; for a REJECT the last one dropped it. */
	readonly checks: readonly Check[];
}

export interface LegResult {
	readonly observations: readonly Observation[];
	readonly delivered: boolean;
}

function trafficPath(sender: NetworkInterface, link: Link): number {
	switch (link) {
		case 'vpc': {
			return 1;
		}

		case 'gateway-endpoint': {
			return isNitroInstance(sender.kind) ? 7 : 2;
		}

		case 'peering': {
			return 4;
		}

		default: {
			return isNitroInstance(sender.kind) ? 8 : 2;
		}
	}
}

function sameSubnet(a: Endpoint, b: Endpoint): boolean {
	return 'eni' in a && 'eni' in b && a.eni.subnetId === b.eni.subnetId;
}

/**
 * The checks on one interface's side of a boundary, in the order AWS applies them (see
 * evaluateBoundary). The NACL is skipped when the other end is in the same subnet, since the
 * packet never leaves it.
 */
function checksAt(
	vpc: Vpc,
	eni: NetworkInterface,
	direction: Direction,
	packet: Packet,
	leg: RecordLeg,
	crossesSubnet: boolean,
): Check[] {
	const subnet = vpc.subnetOf(eni);
	const base = {interfaceId: eni.id, subnetId: subnet.id, direction};
	const layers = evaluateBoundary({
		groups: vpc.groupsOf(eni),
		acl: crossesSubnet ? vpc.aclOf(subnet) : undefined,
		members: vpc.members,
		direction,
		packet,
		leg: leg === 'late-reply' ? 'request' : leg,
	});
	return layers.map((layer): Check => {
		if (layer.layer === 'network-acl') {
			return {...base, layer: 'network-acl', aclId: layer.acl.id, allowed: layer.allowed, rule: layer.verdict.rule};
		}

		const {verdict} = layer;
		return {
			...base,
			layer: 'security-group',
			groupIds: eni.securityGroups,
			allowed: layer.allowed,
			...(verdict === 'tracked'
				? {rule: 'tracked' as const}
				: verdict.group && verdict.rule
					? {rule: {groupId: verdict.group.id, index: verdict.ruleIndex!, description: verdict.rule.description}}
					: {}),
		};
	});
}

/**
 * Walk one leg (the request, or its response) hop by hop. Every interface the packet leaves or
 * enters records it; a packet dropped on the way is a REJECT on the interface whose side dropped
 * it, and nothing further along sees it.
 */
export function traverseLeg(vpc: Vpc, segments: readonly Segment[], leg: RecordLeg): LegResult {
	const observations: Observation[] = [];
	for (const segment of segments) {
		const {from, to, packet} = segment;
		const crosses = !sameSubnet(from, to);
		for (const side of ['sender', 'receiver'] as const) {
			const endpoint = side === 'sender' ? from : to;
			if (!('eni' in endpoint)) {
				continue;
			}

			const {eni} = endpoint;
			const direction = side === 'sender' ? 'outbound' : 'inbound';
			const checks = checksAt(vpc, eni, direction, packet, leg, crosses);
			const dropped = checks.find(check => !check.allowed);
			const own = vpc.ownAddress(eni, packet.src.includes(':') ? 6 : 4);
			observations.push({
				eni,
				leg,
				direction,
				action: dropped ? 'REJECT' : 'ACCEPT',
				srcaddr: side === 'sender' ? own : packet.src,
				dstaddr: side === 'sender' ? packet.dst : own,
				srcport: packet.srcPort,
				dstport: packet.dstPort,
				protocol: packet.protocol,
				pktSrcaddr: packet.src,
				pktDstaddr: packet.dst,
				...(side === 'sender' ? {trafficPath: trafficPath(eni, segment.link)} : {}),
				checks,
			});
			if (dropped) {
				return {observations, delivered: false};
			}
		}
	}

	return {observations, delivered: true};
}
