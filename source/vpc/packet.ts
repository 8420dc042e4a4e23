/** IANA protocol numbers, as flow logs write them. */
export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const ICMPV6 = 58;

/** One direction of a flow as it crosses a boundary: what SG and NACL rules look at. */
export interface Packet {
	readonly protocol: number;
	readonly src: string;
	readonly dst: string;
	/** 0 for ICMP, as flow logs record it. */
	readonly srcPort: number;
	readonly dstPort: number;
}

/** The protocol a rule names; `all` is AWS's `-1`; any other protocol by its number. */
export type RuleProtocol = 'all' | 'tcp' | 'udp' | 'icmp' | 'icmpv6' | number;

export interface PortRange {
	readonly from: number;
	readonly to: number;
}

const protocolNumbers: Record<Exclude<RuleProtocol, 'all'>, number> = {tcp: TCP, udp: UDP, icmp: ICMP, icmpv6: ICMPV6};

export function port(from: number, to = from): PortRange {
	return {from, to};
}

/** Linux's ephemeral range, and the one AWS tells you to open in NACLs for return traffic. */
export const EPHEMERAL: PortRange = port(1024, 65_535);

/**
 * Whether a rule's protocol and port range cover the packet's destination port. Ports only mean
 * something for TCP and UDP; an ICMP rule here covers every ICMP type (the simulated traffic only
 * pings), and `all` covers everything.
 */
export function coversTraffic(protocol: RuleProtocol, ports: PortRange | undefined, packet: Packet): boolean {
	if (protocol === 'all') {
		return true;
	}

	if (typeof protocol === 'number') {
		return protocol === packet.protocol;
	}

	if (protocolNumbers[protocol] !== packet.protocol) {
		return false;
	}

	if (protocol === 'tcp' || protocol === 'udp') {
		return ports === undefined || (packet.dstPort >= ports.from && packet.dstPort <= ports.to);
	}

	return true;
}
