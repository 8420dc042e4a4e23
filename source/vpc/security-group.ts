import type {Direction} from '../net/direction.js';
import {inCidr} from './address.js';
import {coversTraffic, type Packet, type PortRange, type RuleProtocol} from './packet.js';

/** A managed prefix list (`pl-...`): a named set of ranges, such as AWS's list of S3's addresses in a Region. */
export interface PrefixList {
	readonly id: string;
	readonly name: string;
	readonly cidrs: readonly string[];
}

/** The other end of a rule: an address range, every interface that carries a given group, or a prefix list's ranges. */
export type Peer = {readonly cidr: string} | {readonly group: string} | {readonly prefixList: PrefixList};

function peerMatches(peer: Peer, address: string, members: (groupId: string) => readonly string[]): boolean {
	if ('cidr' in peer) {
		return inCidr(address, peer.cidr);
	}

	if ('group' in peer) {
		return members(peer.group).includes(address);
	}

	return peer.prefixList.cidrs.some(cidr => inCidr(address, cidr));
}

export interface SecurityGroupRule {
	/** AWS's `sgr-...` id, when the rule came from the EC2 API. */
	readonly id?: string;
	readonly protocol: RuleProtocol;
	/** Absent for `all` and ICMP rules. */
	readonly ports?: PortRange;
	readonly peer: Peer;
	readonly description: string;
}

/**
 * A security group: allow rules only, stateful. Nothing here evaluates a response: once a request
 * is allowed its response passes in both directions, whatever the rules say (the caller knows
 * which leg it is on).
 */
export interface SecurityGroup {
	readonly id: string;
	readonly name: string;
	readonly inbound: readonly SecurityGroupRule[];
	readonly outbound: readonly SecurityGroupRule[];
}

export interface SecurityGroupVerdict {
	readonly allowed: boolean;
	/** The group and rule that allowed the packet; absent when nothing did. */
	readonly group?: SecurityGroup;
	readonly rule?: SecurityGroupRule;
	readonly ruleIndex?: number;
}

/**
 * Evaluate a request packet against all the groups of one interface. The groups' rules form one
 * set: any rule of any group allows, and no rule means denied. `members` gives the addresses of
 * the interfaces that carry a group, for rules whose peer is a group.
 */
export function evaluateSecurityGroups(
	groups: readonly SecurityGroup[],
	direction: Direction,
	packet: Packet,
	members: (groupId: string) => readonly string[],
): SecurityGroupVerdict {
	const peerAddress = direction === 'inbound' ? packet.src : packet.dst;
	for (const group of groups) {
		const rules = direction === 'inbound' ? group.inbound : group.outbound;
		for (const [ruleIndex, rule] of rules.entries()) {
			if (!coversTraffic(rule.protocol, rule.ports, packet)) {
				continue;
			}

			if (peerMatches(rule.peer, peerAddress, members)) {
				return {allowed: true, group, rule, ruleIndex};
			}
		}
	}

	return {allowed: false};
}
