import ipaddr from 'ipaddr.js';
import {ipv4ToInt} from '../net/address.js';

export interface Peer {
	readonly address: string;
	/** On the internet side (not in a private range nor the VPC's blocks). */
	readonly outside: boolean;
}

export interface RangeOptions {
	/**
	 * Whether a rule may name the whole internet when a peer is outside: true only for a public
	 * service's return path. A database or login port, or a host that scans, never gets 0.0.0.0/0.
	 */
	readonly wholeInternet: boolean;
}

// Hosts inside come and go within their subnet, so the narrowest block offered for them is the
// usual subnet: a /24, or the /64 every IPv6 subnet is. Outside, one IPv4 host is one address, an
// IPv6 host is its /64 (it may change address within it).
const INSIDE_V4_PREFIX = 24;
const V6_PREFIX = 64;
// Peers with less in common than this are named one by one rather than by a block that would
// open the rule to far more hosts than the records show.
const MIN_V4_PREFIX = 16;
const MIN_V6_PREFIX = 48;
// Past this many separate blocks the advice would be a list no one types; it says how many more.
const MAX_LISTED = 4;

/** How many leading bits, up to `max`, the values share. */
function commonPrefix(values: readonly number[][], max: number): number {
	const first = values[0]!;
	let prefix = 0;
	while (prefix < max) {
		const byte = prefix >> 3;
		const mask = 0x80 >> (prefix & 7);
		if (!values.every(value => (value[byte]! & mask) === (first[byte]! & mask))) {
			break;
		}

		prefix++;
	}

	return prefix;
}

function cidr(bytes: readonly number[], prefix: number): string {
	const masked = bytes.map((byte, index) => {
		const keep = Math.max(0, Math.min(8, prefix - index * 8));
		return byte & (0xff << (8 - keep)) & 0xff;
	});
	const address = masked.length === 4 ? new ipaddr.IPv4(masked) : new ipaddr.IPv6(masked);
	return `${address.toString()}/${prefix}`;
}

/** The blocks of one family that cover these peers without naming more than the evidence. */
function familyRanges(bytes: readonly number[][], outside: boolean, options: RangeOptions, v6: boolean): string[] {
	if (outside && options.wholeInternet) {
		return [v6 ? '::/0' : '0.0.0.0/0'];
	}

	const cap = v6 ? V6_PREFIX : outside ? 32 : INSIDE_V4_PREFIX;
	const floor = v6 ? MIN_V6_PREFIX : MIN_V4_PREFIX;
	const prefix = commonPrefix(bytes, cap);
	if (prefix >= floor) {
		return [cidr(bytes[0]!, prefix)];
	}

	const each = [...new Set(bytes.map(value => cidr(value, cap)))].sort();
	return each.length > MAX_LISTED
		? [...each.slice(0, MAX_LISTED - 1), `${each.length - MAX_LISTED + 1} more blocks`]
		: each;
}

/**
 * The CIDRs a rule should name to cover these peers: the whole internet only where the options
 * allow it and a peer is outside; else the narrowest block holding them all (a subnet, a /64),
 * or the peers' blocks one by one when they have too little in common.
 */
export function peerRanges(peers: readonly Peer[], options: RangeOptions): string[] {
	const v4: number[][] = [];
	const v6: number[][] = [];
	let v4Outside = false;
	let v6Outside = false;
	for (const peer of peers) {
		const value = ipv4ToInt(peer.address);
		if (value >= 0) {
			v4.push([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
			v4Outside ||= peer.outside;
		} else if (ipaddr.IPv6.isValid(peer.address)) {
			v6.push(ipaddr.IPv6.parse(peer.address).toByteArray());
			v6Outside ||= peer.outside;
		}
	}

	return [
		...(v4.length > 0 ? familyRanges(v4, v4Outside, options, false) : []),
		...(v6.length > 0 ? familyRanges(v6, v6Outside, options, true) : []),
	];
}
