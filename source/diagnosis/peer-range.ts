import ipaddr from 'ipaddr.js';
import {ipv4ToInt} from '../net/address.js';

export interface Peer {
	readonly address: string;
	/** On the internet side: a rule for it must name the whole internet. */
	readonly outside: boolean;
}

// A network ACL rule names a range, not hosts: clients come and go within their subnet, so the
// narrowest range offered is a /24 (the usual subnet), then the /16 a VPC usually is, then a /8.
const IPV4_PREFIXES = [24, 16, 8];
// A subnet's IPv6 block is always a /64, and a VPC's a /56.
const IPV6_PREFIXES = [64, 56];

function ipv4Text(value: number, prefix: number): string {
	const base = prefix === 0 ? 0 : (value >>> (32 - prefix)) * (2 ** (32 - prefix));
	return `${[24, 16, 8, 0].map(shift => Math.floor(base / (2 ** shift)) % 256).join('.')}/${prefix}`;
}

function ipv4Range(values: readonly number[]): string {
	for (const prefix of IPV4_PREFIXES) {
		const network = values[0]! >>> (32 - prefix);
		if (values.every(value => value >>> (32 - prefix) === network)) {
			return ipv4Text(values[0]!, prefix);
		}
	}

	return '0.0.0.0/0';
}

function ipv6Range(addresses: readonly ipaddr.IPv6[]): string {
	for (const prefix of IPV6_PREFIXES) {
		if (addresses.every(address => address.match(addresses[0]!, prefix))) {
			return `${ipaddr.IPv6.networkAddressFromCIDR(`${addresses[0]!.toString()}/${prefix}`).toString()}/${prefix}`;
		}
	}

	return '::/0';
}

/**
 * The CIDRs a rule should name to cover these peers, one per address family present: the whole
 * internet (0.0.0.0/0, ::/0) as soon as one peer is outside, else the narrowest usual block
 * holding them all.
 */
export function peerRanges(peers: readonly Peer[]): string[] {
	const v4: number[] = [];
	const v6: ipaddr.IPv6[] = [];
	let v4Outside = false;
	let v6Outside = false;
	for (const peer of peers) {
		const value = ipv4ToInt(peer.address);
		if (value >= 0) {
			v4.push(value);
			v4Outside ||= peer.outside;
		} else if (ipaddr.IPv6.isValid(peer.address)) {
			v6.push(ipaddr.IPv6.parse(peer.address));
			v6Outside ||= peer.outside;
		}
	}

	const ranges: string[] = [];
	if (v4.length > 0) {
		ranges.push(v4Outside ? '0.0.0.0/0' : ipv4Range(v4));
	}

	if (v6.length > 0) {
		ranges.push(v6Outside ? '::/0' : ipv6Range(v6));
	}

	return ranges;
}
