import {isPortProtocol, protocolName} from '../flowlog/protocols.js';
import {type Direction, opposite} from '../net/direction.js';
import {familyOf, inCidr} from './address.js';
import {evaluateBoundary, type Leg} from './boundary.js';
import type {VpcConfiguration} from './configuration.js';
import type {NetworkAcl, NetworkAclRule} from './network-acl.js';
import {coversTraffic, EPHEMERAL, type Packet, type PortRange, type RuleProtocol} from './packet.js';
import type {SecurityGroup, SecurityGroupRule} from './security-group.js';

/**
 * What the VPC's configuration says of rejected flows: the entry (or the missing rule) that
 * refuses them, or that it lets them through now. Part of the JSON contract, on a finding.
 */
export interface RuleExplanation {
	/** `refuses`: the named layer drops these flows as configured now; `allows`: nothing configured now would. */
	readonly verdict: 'refuses' | 'allows';
	readonly layer?: 'network-acl' | 'security-group';
	/** The network ACL's id, or the interface's (first) security group's id. */
	readonly resource?: string | undefined;
	/** The subnet whose NACL it is. */
	readonly subnet?: string;
	/** The NACL entry that decided: its rule number, or `*` for the final deny. Absent for a security group: no rule there refuses, one is missing. */
	readonly entry?: number | '*';
	readonly direction?: Direction;
	/** What is refused: `TCP 5432 from 10.0.20.21`. */
	readonly denies?: string;
	/** What the layer does let through nearby: the rule that admitted the request, or the group's rules for the port. */
	readonly allows?: string;
	/** The change that lets the flows through; absent where opening up is not the advice. */
	readonly fix?: string;
	/** All of the above as one sentence. */
	readonly text: string;
}

/** One rejected record as the explanation needs it. */
export interface RejectedFlow {
	readonly eni: string;
	readonly src: string;
	readonly dst: string;
	readonly srcPort: number;
	readonly dstPort: number;
	readonly protocol: number;
}

const MAX_ACL_RULE = 32_766;

function rangeText(ports: PortRange | undefined): string {
	if (!ports || (ports.from === 0 && ports.to === 65_535)) {
		return '';
	}

	return ports.from === ports.to ? ` ${ports.from}` : ` ${ports.from}-${ports.to}`;
}

function protocolText(protocol: RuleProtocol): string {
	if (protocol === 'all') {
		return 'all traffic';
	}

	return typeof protocol === 'number'
		? protocolName(protocol)
		: protocol === 'icmpv6'
			? 'ICMPv6'
			: protocol.toUpperCase();
}

function ruleTraffic(protocol: RuleProtocol, ports: PortRange | undefined): string {
	return `${protocolText(protocol)}${protocol === 'tcp' || protocol === 'udp' ? rangeText(ports) : ''}`;
}

/** The traffic a packet is, as a rule would have to name it: a response is named by the ephemeral range it goes to. */
function packetTraffic(packet: Packet, leg: Leg): string {
	const name = protocolName(packet.protocol);
	if (!isPortProtocol(packet.protocol)) {
		return name;
	}

	return leg === 'response' ? `${name}${rangeText(EPHEMERAL)}` : `${name} ${packet.dstPort}`;
}

function fromTo(direction: Direction): string {
	return direction === 'inbound' ? 'from' : 'to';
}

/** Resources as a person reads them: the id, with its name where it has one. */
export class Wording {
	constructor(private readonly config: VpcConfiguration) {}

	subnetText(subnetId: string): string {
		const name = this.config.subnet(subnetId)?.name;
		return name ? `${subnetId} (${name})` : subnetId;
	}

	groupText(groupId: string): string {
		const name = this.config.securityGroup(groupId)?.name;
		return name ? `${groupId} (${name})` : groupId;
	}

	/** An address with the name of the interface that owns it, when known. */
	addressText(address: string): string {
		const owner = this.config.ownerOf(address);
		return owner?.name ? `${address} (${owner.name})` : address;
	}

	sgRuleText(rule: SecurityGroupRule, direction: Direction): string {
		const peer =
			'cidr' in rule.peer
				? rule.peer.cidr
				: 'group' in rule.peer
					? this.groupText(rule.peer.group)
					: `${rule.peer.prefixList.id} (${rule.peer.prefixList.name})`;
		return `${ruleTraffic(rule.protocol, rule.ports)} ${fromTo(direction)} ${peer}`;
	}
}

/** A free rule number that is evaluated before `before` (the deny that decides), or after every rule for the final deny. */
function freeRuleNumber(rules: readonly NetworkAclRule[], before: number | '*'): number | undefined {
	const taken = new Set(rules.map(rule => rule.number));
	if (before === '*') {
		const highest = Math.max(0, ...rules.map(rule => rule.number));
		const next = highest === 0 ? 100 : (Math.floor(highest / 10) + 1) * 10;
		return next <= MAX_ACL_RULE ? next : undefined;
	}

	for (let number = before - 1; number > 0; number--) {
		if (!taken.has(number)) {
			return number;
		}
	}

	return undefined;
}

function inFamily(cidr: string, address: string): boolean {
	return familyOf(cidr.split('/')[0]!) === familyOf(address);
}

function hostCidr(address: string): string {
	return `${address}/${familyOf(address) === 4 ? 32 : 128}`;
}

/** One interface's side of a boundary as the configuration holds it, for flows between it and one peer. */
export interface InterfaceSide {
	readonly direction: Direction;
	readonly peer: string;
	readonly groups: readonly SecurityGroup[];
	/** Undefined when the peer is in the same subnet: its flows never cross the NACL. */
	readonly acl: NetworkAcl | undefined;
	readonly subnetId: string;
	readonly peerCidr: string | undefined;
}

/**
 * The side of the interface a record crossed, and which way: undefined when the configuration does
 * not know the interface, or cannot tell which way the record crossed it.
 */
export function sideOf(
	config: VpcConfiguration,
	flow: Pick<RejectedFlow, 'eni' | 'src' | 'dst'>,
	fallbackDirection?: Direction,
): InterfaceSide | undefined {
	const eni = config.interface(flow.eni);
	if (!eni) {
		return undefined;
	}

	const own = new Set(eni.addresses);
	const direction: Direction | undefined = own.has(flow.dst)
		? 'inbound'
		: own.has(flow.src)
			? 'outbound'
			: fallbackDirection;
	if (!direction) {
		return undefined;
	}

	const subnet = config.subnet(eni.subnetId);
	const peer = direction === 'inbound' ? flow.src : flow.dst;
	const peerSubnet = config.subnetHolding(eni.vpcId, peer);
	return {
		direction,
		peer,
		groups: eni.securityGroupIds
			.map(id => config.securityGroup(id))
			.filter((group): group is SecurityGroup => group !== undefined),
		acl: subnet && peerSubnet?.id !== subnet.id ? config.networkAcl(subnet.aclId) : undefined,
		subnetId: eni.subnetId,
		peerCidr: peerSubnet?.cidrs.find(cidr => inFamily(cidr, peer)),
	};
}

/**
 * Explains one rejected record from the configuration: walks the layers of the interface's side
 * the way AWS does (see evaluateBoundary) and names the one that drops it. Undefined when the
 * configuration does not know the interface, or cannot tell which way the record crossed it.
 */
export function explainRejectedFlow(
	config: VpcConfiguration,
	flow: RejectedFlow,
	leg: Leg,
	fallbackDirection?: Direction,
): RuleExplanation | undefined {
	const side = sideOf(config, flow, fallbackDirection);
	if (!side) {
		return undefined;
	}

	const {direction, peer, groups, acl} = side;
	const packet: Packet = {
		protocol: flow.protocol,
		src: flow.src,
		dst: flow.dst,
		srcPort: flow.srcPort,
		dstPort: flow.dstPort,
	};
	const layers = evaluateBoundary({groups, acl, members: config.members, direction, packet, leg});
	const refusing = layers.find(layer => !layer.allowed);
	const words = new Wording(config);
	const traffic = packetTraffic(packet, leg);
	const peerText = words.addressText(peer);
	if (!refusing) {
		return {
			verdict: 'allows',
			direction,
			text:
				`the VPC's configuration now lets ${traffic} ${fromTo(direction)} ${peerText} through at ${flow.eni}: ` +
				'its rules changed after these flows were logged, or another layer refused them',
		};
	}

	if (refusing.layer === 'network-acl') {
		return explainAcl({
			config,
			words,
			acl: refusing.acl,
			decided: refusing.verdict.rule,
			subnetId: side.subnetId,
			direction,
			packet,
			leg,
			peer,
			peerCidr: side.peerCidr,
		});
	}

	const missing = `${traffic} ${fromTo(direction)} ${peerText}`;
	const nearby = groups.flatMap(group =>
		(direction === 'inbound' ? group.inbound : group.outbound).filter(rule =>
			coversTraffic(rule.protocol, rule.ports, packet),
		),
	);
	const allows =
		nearby.length > 0
			? nearby
					.slice(0, 2)
					.map(rule => words.sgRuleText(rule, direction))
					.join(', ')
			: undefined;
	const names = groups.map(group => words.groupText(group.id));
	const subject = names.length === 1 ? `security group ${names[0]} has` : `security groups ${names.join(', ')} have`;
	const peerOwner = config.ownerOf(peer);
	const target =
		peerOwner?.securityGroupIds[0] === undefined
			? (side.peerCidr ?? hostCidr(peer))
			: words.groupText(peerOwner.securityGroupIds[0]);
	const fix = `add to ${groups[0]?.id ?? 'its security group'} an ${direction} rule for ${traffic} ${fromTo(direction)} ${target}`;
	return {
		verdict: 'refuses',
		layer: 'security-group',
		resource: groups[0]?.id,
		direction,
		denies: missing,
		...(allows ? {allows} : {}),
		fix,
		text: `${subject} no ${direction} rule for ${missing}${allows ? ` (it allows ${allows})` : ''}`,
	};
}

interface AclCase {
	readonly config: VpcConfiguration;
	readonly words: Wording;
	readonly acl: NetworkAcl;
	readonly decided: number | '*';
	readonly subnetId: string;
	readonly direction: Direction;
	readonly packet: Packet;
	readonly leg: Leg;
	readonly peer: string;
	readonly peerCidr: string | undefined;
}

function explainAcl(input: AclCase): RuleExplanation {
	const {words, acl, decided, subnetId, direction, packet, leg, peer} = input;
	const traffic = packetTraffic(packet, leg);
	const rules = direction === 'inbound' ? acl.inbound : acl.outbound;
	const heading = `NACL ${acl.id} of ${words.subnetText(subnetId)}`;
	// For a response, the rule that let its request in (or out) the other way is what the person wrote and forgot to mirror.
	const request: Packet | undefined =
		leg === 'response'
			? {protocol: packet.protocol, src: packet.dst, dst: packet.src, srcPort: packet.dstPort, dstPort: packet.srcPort}
			: undefined;
	const otherWay = opposite(direction);
	const requestRule = request
		? [...acl[otherWay]]
				.sort((a, b) => a.number - b.number)
				.find(rule => coversTraffic(rule.protocol, rule.ports, request) && inCidr(peer, rule.cidr))
		: undefined;
	const allows =
		requestRule?.action === 'allow'
			? `rule ${requestRule.number} allows ${otherWay} ${ruleTraffic(requestRule.protocol, requestRule.ports)} ${fromTo(otherWay)} ${requestRule.cidr}`
			: undefined;
	const target = input.peerCidr ?? (requestRule?.action === 'allow' ? requestRule.cidr : hostCidr(peer));
	const denies = `${traffic} ${fromTo(direction)} ${leg === 'response' ? target : words.addressText(peer)}`;
	const number = freeRuleNumber(rules, decided);
	const opening =
		leg === 'response' && isPortProtocol(packet.protocol)
			? `${protocolName(packet.protocol)}${rangeText(EPHEMERAL)}`
			: traffic;
	const fix =
		number === undefined
			? undefined
			: `add ${direction} rule ${number} allow ${opening} ${fromTo(direction)} ${target}`;
	const what = leg === 'response' ? 'the replies' : 'them';
	let reason: string;
	if (decided === '*') {
		reason = `no ${direction} rule allows ${denies}; the final deny (*) drops ${what}`;
	} else {
		const rule = rules.find(candidate => candidate.number === decided)!;
		reason = `rule ${decided} denies ${direction} ${ruleTraffic(rule.protocol, rule.ports)} ${fromTo(direction)} ${rule.cidr}, which drops ${what}`;
	}

	return {
		verdict: 'refuses',
		layer: 'network-acl',
		resource: acl.id,
		subnet: subnetId,
		entry: decided,
		direction,
		denies,
		...(allows ? {allows} : {}),
		...(fix ? {fix} : {}),
		text: `${heading}: ${allows ? `${allows}, ` : ''}${reason}`,
	};
}
