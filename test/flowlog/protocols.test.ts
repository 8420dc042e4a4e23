import {describe, expect, it} from 'vitest';
import {
	isPortProtocol,
	protocolName,
	protocolNumber,
	serviceName,
	servicePortOf,
} from '../../source/flowlog/protocols.js';

describe('protocol names', () => {
	it('names the protocols a VPC carries, and numbers the rest', () => {
		expect([6, 17, 1, 58, 50, 132].map(protocolName)).toEqual(['TCP', 'UDP', 'ICMP', 'ICMPv6', 'ESP', 'SCTP']);
		expect(protocolName(253)).toBe('proto 253');
	});

	it('reads a name in any case, or a number up to 255, back to its number', () => {
		expect(protocolNumber('tcp')).toBe(6);
		expect(protocolNumber('TCP')).toBe(6);
		expect(protocolNumber('icmpv6')).toBe(58);
		expect(protocolNumber('IPv6-Frag')).toBe(44);
		expect(protocolNumber('17')).toBe(17);
		expect(protocolNumber('0')).toBe(0);
		expect(protocolNumber('255')).toBe(255);
	});

	it('refuses what is neither a name nor a protocol number', () => {
		for (const text of ['256', '1000', '-6', '6a', 'a6', ' 6', '6 ', '', 'tcpx', '1e2']) {
			expect(protocolNumber(text), text).toBeUndefined();
		}
	});

	it('says which protocols have ports', () => {
		expect([6, 17, 132].map(isPortProtocol)).toEqual([true, true, true]);
		expect([1, 58, 50, 47, undefined].map(isPortProtocol)).toEqual([false, false, false, false, false]);
	});
});

describe('the service port of a connection', () => {
	it('is the known service, whichever end it is on', () => {
		expect(servicePortOf(5432, 40_000)).toBe(5432);
		expect(servicePortOf(40_000, 5432)).toBe(5432);
		// A known service above the ephemeral floor still wins over an unknown low port.
		expect(servicePortOf(900, 8080)).toBe(8080);
		expect(servicePortOf(8080, 900)).toBe(8080);
	});

	it('is the port below the ephemeral range when neither is known', () => {
		expect(servicePortOf(1023, 1024)).toBe(1023);
		expect(servicePortOf(1024, 1023)).toBe(1023);
		expect(servicePortOf(40_000, 700)).toBe(700);
	});

	it('is the lower port when both are known, both low, or both high', () => {
		expect(servicePortOf(443, 22)).toBe(22);
		expect(servicePortOf(700, 900)).toBe(700);
		expect(servicePortOf(900, 700)).toBe(700);
		expect(servicePortOf(50_000, 40_000)).toBe(40_000);
		expect(servicePortOf(40_000, 50_000)).toBe(40_000);
	});

	it('names the well-known services an on-call engineer recognises', () => {
		expect(serviceName(22)).toBe('SSH');
		expect(serviceName(5432)).toBe('PostgreSQL');
		expect(serviceName(40_000)).toBeUndefined();
	});
});
