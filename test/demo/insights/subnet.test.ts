import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {describe, expect, it} from 'vitest';
import {subnetTest} from '../../../source/demo/insights/subnet.js';

/** What Insights' isIpv4InSubnet says, by ipaddr.js alone: a dotted quad without leading zeros, in the subnet. */
function reference(value: unknown, cidr: string): boolean {
	if (typeof value !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(value)) {
		return false;
	}

	const [network, bits] = ipaddr.parseCIDR(cidr);
	return ipaddr.IPv4.parse(value).match(network, bits);
}

const octet = fc.oneof(
	fc.integer({min: 0, max: 255}).map(String),
	fc.constantFrom('256', '999', '01', '00', '010', '', 'a'),
);
const value = fc.oneof(
	{weight: 6, arbitrary: fc.tuple(octet, octet, octet, octet).map(parts => parts.join('.'))},
	{
		weight: 1,
		arbitrary: fc.constantFrom('10.0.0', '10.0.0.1.2', '::ffff:10.0.0.1', '2001:db8::1', '-', '', ' 10.0.0.1'),
	},
	{weight: 1, arbitrary: fc.constantFrom(undefined, 10, 167_772_161)},
);
const cidr = fc
	.tuple(fc.integer({min: 0, max: 0xff_ff_ff_ff}), fc.integer({min: 0, max: 32}))
	.map(
		([address, bits]) =>
			`${ipaddr.fromByteArray([address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255]).toString()}/${bits}`,
	);

describe('isIpv4InSubnet and isIpInSubnet over an IPv4 subnet', () => {
	it('say what ipaddr.js says of every value, addresses in the subnet or next to it, odd spellings and non-addresses', () => {
		fc.assert(
			fc.property(cidr, fc.array(value, {minLength: 1, maxLength: 20}), (subnet, values) => {
				const [network] = ipaddr.parseCIDR(subnet);
				const bytes = network.toByteArray();
				const near = [bytes.join('.'), [...bytes.slice(0, 3), (bytes[3]! + 1) % 256].join('.')];
				for (const fn of ['isIpv4InSubnet', 'isIpInSubnet'] as const) {
					const test = subnetTest(fn, subnet);
					for (const candidate of [...values, ...near]) {
						expect(test(candidate as string)).toBe(reference(candidate, subnet));
					}
				}
			}),
		);
	});

	it('take a private range as the service does', () => {
		const private10 = subnetTest('isIpInSubnet', '10.0.0.0/8');
		expect(['10.0.0.1', '10.255.255.255', '11.0.0.0', '010.0.0.1', '::ffff:10.0.0.1'].map(private10)).toEqual([
			true,
			true,
			false,
			false,
			false,
		]);
	});
});
