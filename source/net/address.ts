import ipaddr from 'ipaddr.js';

/**
 * An address or CIDR to match records against. IPv4 is matched on 32-bit integers parsed straight
 * from the record's text (this runs for every record under a filter); IPv6 goes through ipaddr.js.
 */
export interface AddressMatcher {
	/** As the user wrote it, for display and for pushing down into a query. */
	readonly text: string;
	readonly family: 4 | 6;
	/** Canonical CIDR (`10.0.0.0/16`, `2001:db8::/32`), what Insights' isIpInSubnet takes. */
	readonly cidr: string;
	matches(address: string | undefined): boolean;
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * text[start,end) as an unsigned 32-bit integer when it is a dotted quad as AWS writes it, with no
 * leading zeros; else -1. `010.000.000.001` is refused rather than guessed at, since some readers
 * take a leading zero for octal (010 = 8).
 */
export function canonicalIpv4(text: string, start: number, end: number): number {
	let octets = 0;
	let digits = 0;
	let octet = 0;
	let value = 0;
	for (let i = start; i < end; i++) {
		const code = text.charCodeAt(i);
		if (code === DOT) {
			if (digits === 0 || octet > 255) {
				return -1;
			}

			value = value * 256 + octet;
			octets++;
			digits = 0;
			octet = 0;
		} else if (code >= ZERO && code <= NINE) {
			if (++digits > 3 || (digits === 2 && octet === 0)) {
				return -1;
			}

			octet = octet * 10 + (code - ZERO);
		} else {
			return -1;
		}
	}

	return octets === 3 && digits > 0 && octet <= 255 ? value * 256 + octet : -1;
}

/** An unsigned 32-bit integer as a dotted quad. */
export function dottedQuad(value: number): string {
	return `${value >>> 24}.${(value >>> 16) & 0xff}.${(value >>> 8) & 0xff}.${value & 0xff}`;
}

/** The IPv4 address as an unsigned 32-bit integer, or -1 when it is not dotted-quad IPv4. */
export function ipv4ToInt(text: string): number {
	let result = 0;
	let octet = 0;
	let digits = 0;
	let dots = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === DOT) {
			if (digits === 0 || octet > 255) {
				return -1;
			}

			result = result * 256 + octet;
			octet = 0;
			digits = 0;
			dots++;
		} else if (code >= ZERO && code <= NINE && digits < 3) {
			octet = octet * 10 + code - ZERO;
			digits++;
		} else {
			return -1;
		}
	}

	if (dots !== 3 || digits === 0 || octet > 255) {
		return -1;
	}

	return result * 256 + octet;
}

export function isIpv6(text: string): boolean {
	return text.includes(':');
}

const ipv6Cache = new Map<string, ipaddr.IPv6 | undefined>();
const IPV6_CACHE_LIMIT = 10_000;

function parseIpv6(text: string): ipaddr.IPv6 | undefined {
	let parsed = ipv6Cache.get(text);
	if (parsed === undefined && !ipv6Cache.has(text)) {
		parsed = ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : undefined;
		if (ipv6Cache.size >= IPV6_CACHE_LIMIT) {
			ipv6Cache.clear();
		}

		ipv6Cache.set(text, parsed);
	}

	return parsed;
}

/** Parse an address or CIDR; undefined when it is neither. */
export function addressMatcher(text: string): AddressMatcher | undefined {
	let address: ipaddr.IPv4 | ipaddr.IPv6;
	let prefix: number;
	// ipaddr.js also takes `10.0.0` or `0x0a000001`; an address people type has four parts.
	const host = text.split('/')[0]!;
	if (!host.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(host)) {
		return undefined;
	}

	try {
		if (text.includes('/')) {
			[address, prefix] = ipaddr.parseCIDR(text);
		} else {
			address = ipaddr.parse(text);
			prefix = address.kind() === 'ipv4' ? 32 : 128;
		}
	} catch {
		return undefined;
	}

	if (address instanceof ipaddr.IPv4) {
		const mask = prefix === 0 ? 0 : (0xff_ff_ff_ff << (32 - prefix)) >>> 0;
		const base = (ipv4ToInt(address.toString()) & mask) >>> 0;
		const cidr = `${ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString()}/${prefix}`;
		return {
			text,
			family: 4,
			cidr,
			matches(candidate) {
				if (candidate === undefined) {
					return false;
				}

				const value = ipv4ToInt(candidate);
				return value >= 0 && (value & mask) >>> 0 === base;
			},
		};
	}

	const range: [ipaddr.IPv6, number] = [address, prefix];
	const cidr = `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString()}/${prefix}`;
	return {
		text,
		family: 6,
		cidr,
		matches(candidate) {
			if (candidate === undefined || !isIpv6(candidate)) {
				return false;
			}

			const parsed = parseIpv6(candidate);
			return parsed?.match(range) === true;
		},
	};
}

/** RFC 1918, carrier-grade NAT, link-local and IPv6 unique-local: addresses that never route on the internet. */
export const PRIVATE_RANGES: readonly string[] = [
	'10.0.0.0/8',
	'172.16.0.0/12',
	'192.168.0.0/16',
	'100.64.0.0/10',
	'169.254.0.0/16',
	'fc00::/7',
	'fe80::/10',
];
const privateRanges = PRIVATE_RANGES.map(cidr => addressMatcher(cidr)!);

export function isPrivateAddress(address: string): boolean {
	return privateRanges.some(range => range.matches(address));
}

const linkLocalRanges = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::/32'].map(cidr => addressMatcher(cidr)!);

/**
 * Link-local and the instance services AWS answers there (the DNS resolver 169.254.169.253 and
 * fd00:ec2::253, the metadata service, Time Sync): no security group or network ACL rule applies.
 */
export function isLinkLocalAddress(address: string): boolean {
	return linkLocalRanges.some(range => range.matches(address));
}
