import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export function familyOf(address: string): Family {
	return address.includes(':') ? 6 : 4;
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

// Rules are matched against every packet of every simulated flow; parse each CIDR once.
const ranges = new Map<string, Range>();
const addresses = new Map<string, ipaddr.IPv4 | ipaddr.IPv6>();

function parsedRange(cidr: string): Range {
	let range = ranges.get(cidr);
	if (!range) {
		range = ipaddr.parseCIDR(cidr);
		ranges.set(cidr, range);
	}

	return range;
}

function parsedAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
	let parsed = addresses.get(address);
	if (!parsed) {
		parsed = ipaddr.parse(address);
		addresses.set(address, parsed);
	}

	return parsed;
}

/** Whether the address lies in the CIDR. An IPv4 rule never matches an IPv6 packet, as in AWS. */
export function inCidr(address: string, cidr: string): boolean {
	const [network, prefix] = parsedRange(cidr);
	const parsed = parsedAddress(address);
	return parsed.kind() === network.kind() && parsed.match(network, prefix);
}

/** Public unicast: the kind of address an internet host or a scanner would have. */
export function isPublicUnicast(address: string): boolean {
	return ipaddr.parse(address).range() === 'unicast';
}

/** RFC 5952 spelling (lower case, zeros compressed), the way AWS writes IPv6 addresses. */
export function canonical(address: string): string {
	return ipaddr.parse(address).toString();
}
