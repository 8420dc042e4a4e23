import {describe, expect, it} from 'vitest';
import {inCidr} from '../../source/vpc/address.js';

describe('CIDR matching', () => {
	it('includes both ends of a block and nothing beyond', () => {
		expect(inCidr('10.0.20.0', '10.0.20.0/24')).toBe(true);
		expect(inCidr('10.0.20.255', '10.0.20.0/24')).toBe(true);
		expect(inCidr('10.0.21.0', '10.0.20.0/24')).toBe(false);
		expect(inCidr('10.0.19.255', '10.0.20.0/24')).toBe(false);
	});

	it('handles /0, /32 and addresses above 128.0.0.0', () => {
		expect(inCidr('223.255.255.254', '0.0.0.0/0')).toBe(true);
		expect(inCidr('198.51.100.7', '198.51.100.7/32')).toBe(true);
		expect(inCidr('198.51.100.8', '198.51.100.7/32')).toBe(false);
		expect(inCidr('203.0.113.200', '203.0.113.128/25')).toBe(true);
	});

	it('keeps the families apart', () => {
		expect(inCidr('2a01:4f8::1', '0.0.0.0/0')).toBe(false);
		expect(inCidr('10.0.0.1', '::/0')).toBe(false);
		expect(inCidr('2a01:4f8::1', '::/0')).toBe(true);
		expect(inCidr('2600:1f18:6a3:c201::9', '2600:1f18:6a3:c200::/56')).toBe(true);
		expect(inCidr('2600:1f18:6a3:c201::9', '2600:1f18:6a3:c200::/64')).toBe(false);
	});
});
