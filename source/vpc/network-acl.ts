import type {Direction} from '../net/direction.js';
import {inCidr} from './address.js';
import {coversTraffic, type Packet, type PortRange, type RuleProtocol} from './packet.js';

export interface NetworkAclRule {
	/** Rules are evaluated from the lowest number up; the first that matches decides. */
	readonly number: number;
	readonly action: 'allow' | 'deny';
	readonly protocol: RuleProtocol;
	readonly ports?: PortRange;
	/** Source for inbound rules, destination for outbound rules. */
	readonly cidr: string;
}

/**
 * A network ACL: stateless, so a response is just another packet and needs its own rule the other
 * way (usually the ephemeral range). Every list ends in the implicit `*` deny.
 */
export interface NetworkAcl {
	readonly id: string;
	readonly name: string;
	readonly inbound: readonly NetworkAclRule[];
	readonly outbound: readonly NetworkAclRule[];
}

export interface NetworkAclVerdict {
	readonly allowed: boolean;
	/** The rule that decided: its number, or `*` for the implicit final deny. */
	readonly rule: number | '*';
}

export function evaluateNetworkAcl(acl: NetworkAcl, direction: Direction, packet: Packet): NetworkAclVerdict {
	const rules = [...(direction === 'inbound' ? acl.inbound : acl.outbound)].sort((a, b) => a.number - b.number);
	const peerAddress = direction === 'inbound' ? packet.src : packet.dst;
	for (const rule of rules) {
		if (coversTraffic(rule.protocol, rule.ports, packet) && inCidr(peerAddress, rule.cidr)) {
			return {allowed: rule.action === 'allow', rule: rule.number};
		}
	}

	return {allowed: false, rule: '*'};
}
