import ipaddr from 'ipaddr.js';
import {canonicalIpv4} from '../../net/address.js';
import type {SubnetFunction} from './ast.js';
import type {Value} from './value.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

// Only the dotted-quad form counts as IPv4: ipaddr.js would also read "10.1" or "0x0a000001".
function address(value: Value): Address | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}

	if (ipaddr.IPv4.isValidFourPartDecimal(value)) {
		return ipaddr.IPv4.parse(value);
	}

	return value.includes(':') && ipaddr.IPv6.isValid(value) ? ipaddr.IPv6.parse(value) : undefined;
}

/**
 * The test behind isIpv4InSubnet / isIpv6InSubnet / isIpInSubnet for one subnet (already
 * validated by the parser). A value that is not an address of the subnet's family is outside it.
 */
export function subnetTest(fn: SubnetFunction, cidr: string): (value: Value) => boolean {
	const [network, bits] = ipaddr.parseCIDR(cidr);
	const family = fn === 'isIpv4InSubnet' ? 'ipv4' : fn === 'isIpv6InSubnet' ? 'ipv6' : network.kind();
	if (family === 'ipv4' && network.kind() === 'ipv4') {
		// A dotted quad read as an integer where it stands, as the flow-log parser reads one (no
		// leading zeros, as isValidFourPartDecimal): a busy window's every client address is tested
		// against each private range, and parsing it into an object each time was most of the cost.
		const mask = bits === 0 ? 0 : (0xff_ff_ff_ff << (32 - bits)) >>> 0;
		const base = network.toString();
		const prefix = (canonicalIpv4(base, 0, base.length) & mask) >>> 0;
		return value => {
			if (typeof value !== 'string') {
				return false;
			}

			const quad = canonicalIpv4(value, 0, value.length);
			return quad >= 0 && (quad & mask) >>> 0 === prefix;
		};
	}

	return value => {
		const candidate = address(value);
		return candidate !== undefined && candidate.kind() === family && candidate.match(network, bits);
	};
}
