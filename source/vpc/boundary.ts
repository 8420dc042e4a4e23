import type {Direction} from '../net/direction.js';
import {evaluateNetworkAcl, type NetworkAcl, type NetworkAclVerdict} from './network-acl.js';
import type {Packet} from './packet.js';
import {evaluateSecurityGroups, type SecurityGroup, type SecurityGroupVerdict} from './security-group.js';

/** A request, or the response to one: security groups let a response through whatever their rules say. */
export type Leg = 'request' | 'response';

export interface BoundaryInput {
	/** The interface's groups; none for a NAT gateway, which only its subnet's NACL filters. */
	readonly groups: readonly SecurityGroup[];
	/** The subnet's network ACL, or undefined when the other end is in the same subnet: the packet never crosses it. */
	readonly acl: NetworkAcl | undefined;
	/** Addresses of the interfaces that carry a group, for rules whose peer is a group. */
	readonly members: (groupId: string) => readonly string[];
	/** Leaving the interface (outbound) or arriving at it (inbound). */
	readonly direction: Direction;
	readonly packet: Packet;
	readonly leg: Leg;
}

export type LayerVerdict =
	| {readonly layer: 'security-group'; readonly allowed: boolean; readonly verdict: SecurityGroupVerdict | 'tracked'}
	| {
			readonly layer: 'network-acl';
			readonly allowed: boolean;
			readonly acl: NetworkAcl;
			readonly verdict: NetworkAclVerdict;
	  };

/**
 * The layers a packet meets on one interface's side of a boundary, in the order AWS applies them:
 * leaving, the security groups then the subnet's NACL; arriving, the NACL then the security
 * groups. Stops at the first layer that drops the packet, which is then the last one listed. The
 * simulator decides its records with this, and flowtop explains real rejects with it.
 */
export function evaluateBoundary(input: BoundaryInput): LayerVerdict[] {
	const {groups, acl, direction, packet, leg} = input;
	const securityGroups = (): LayerVerdict | undefined => {
		if (groups.length === 0) {
			return undefined;
		}

		if (leg === 'response') {
			return {layer: 'security-group', allowed: true, verdict: 'tracked'};
		}

		const verdict = evaluateSecurityGroups(groups, direction, packet, input.members);
		return {layer: 'security-group', allowed: verdict.allowed, verdict};
	};

	const networkAcl = (): LayerVerdict | undefined => {
		if (!acl) {
			return undefined;
		}

		const verdict = evaluateNetworkAcl(acl, direction, packet);
		return {layer: 'network-acl', allowed: verdict.allowed, acl, verdict};
	};

	const order = direction === 'outbound' ? [securityGroups, networkAcl] : [networkAcl, securityGroups];
	const layers: LayerVerdict[] = [];
	for (const evaluate of order) {
		const layer = evaluate();
		if (layer) {
			layers.push(layer);
			if (!layer.allowed) {
				break;
			}
		}
	}

	return layers;
}
