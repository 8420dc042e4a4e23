import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export function familyOf(address: string): Family {
	return address.includes(':') ? 6 : 4;
}

type Range =
	| {readonly family: 4; readonly network: number; readonly mask: number}
	| {readonly family: 6; readonly network: ipaddr.IPv6; readonly prefix: number};

// Rules are matched against every packet of every simulated flow, so CIDRs (a handful, from the
// rules) are parsed once, and IPv4 addresses (endless, from the internet) are matched as integers
// without being kept.
const ranges = new Map<string, Range>();

function ipv4Number(address: string): number {
	let value = 0;
	for (const octet of address.split('.')) {
		value = value * 256 + Number(octet);
	}

	return value;
}

function maskOf(prefix: number): number {
	return prefix === 0 ? 0 : (0xff_ff_ff_ff << (32 - prefix)) >>> 0;
}

function parsedRange(cidr: string): Range {
	let range = ranges.get(cidr);
	if (!range) {
		const [network, prefix] = ipaddr.parseCIDR(cidr);
		if (network.kind() === 'ipv4') {
			const mask = maskOf(prefix);
			range = {family: 4, network: (ipv4Number(network.toString()) & mask) >>> 0, mask};
		} else {
			range = {family: 6, network: network as ipaddr.IPv6, prefix};
		}

		ranges.set(cidr, range);
	}

	return range;
}

/** Whether the address lies in the CIDR. An IPv4 rule never matches an IPv6 packet, as in AWS. */
export function inCidr(address: string, cidr: string): boolean {
	const range = parsedRange(cidr);
	if (familyOf(address) !== range.family) {
		return false;
	}

	if (range.family === 4) {
		return (ipv4Number(address) & range.mask) >>> 0 === range.network;
	}

	return ipaddr.IPv6.parse(address).match(range.network, range.prefix);
}

/** Public unicast: the kind of address an internet host or a scanner would have. */
export function isPublicUnicast(address: string): boolean {
	return ipaddr.parse(address).range() === 'unicast';
}

/** RFC 5952 spelling (lower case, zeros compressed), the way AWS writes IPv6 addresses. */
export function canonical(address: string): string {
	return ipaddr.parse(address).toString();
}
