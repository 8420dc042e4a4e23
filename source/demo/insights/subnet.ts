import ipaddr from 'ipaddr.js';
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
	return value => {
		const candidate = address(value);
		return candidate !== undefined && candidate.kind() === family && candidate.match(network, bits);
	};
}
