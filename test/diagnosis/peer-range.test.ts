import {describe, expect, it} from 'vitest';
import {peerRanges} from '../../source/diagnosis/peer-range.js';

const inside = (...addresses: string[]) => addresses.map(address => ({address, outside: false}));
const outside = (...addresses: string[]) => addresses.map(address => ({address, outside: true}));
const PUBLIC_SERVICE = {wholeInternet: true};
const DATABASE = {wholeInternet: false};

describe('the peer range a rule should name', () => {
	it('is the /24 of clients in one subnet, even a single one', () => {
		expect(peerRanges(inside('10.0.20.21', '10.0.20.22'), DATABASE)).toEqual(['10.0.20.0/24']);
		expect(peerRanges(inside('10.0.20.21'), DATABASE)).toEqual(['10.0.20.0/24']);
	});

	it('widens only to the block that holds them all', () => {
		expect(peerRanges(inside('10.0.20.21', '10.0.10.11'), DATABASE)).toEqual(['10.0.0.0/19']);
		expect(peerRanges(inside('10.0.20.21', '10.0.100.11'), DATABASE)).toEqual(['10.0.0.0/17']);
		expect(peerRanges(inside('10.0.20.21', '10.0.200.11'), DATABASE)).toEqual(['10.0.0.0/16']);
	});

	it('names the blocks one by one rather than widen past a /16', () => {
		expect(peerRanges(inside('10.1.0.5', '10.2.0.5'), DATABASE)).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
		expect(peerRanges(inside('10.1.0.5', '172.16.0.5'), DATABASE)).toEqual(['10.1.0.0/24', '172.16.0.0/24']);
	});

	it('is the whole internet for a public service as soon as one peer is outside', () => {
		expect(peerRanges([...inside('10.0.20.21'), ...outside('54.187.216.72')], PUBLIC_SERVICE)).toEqual(['0.0.0.0/0']);
		expect(peerRanges(outside('198.51.100.7', '2001:db8::7'), PUBLIC_SERVICE)).toEqual(['0.0.0.0/0', '::/0']);
		expect(peerRanges([...outside('198.51.100.7'), ...inside('2600:1f18:6a3:c200::40')], PUBLIC_SERVICE)).toEqual([
			'0.0.0.0/0',
			'2600:1f18:6a3:c200::/64',
		]);
	});

	it('never is the whole internet for a database or login port: the host, or its /64', () => {
		expect(peerRanges(outside('198.51.100.7'), DATABASE)).toEqual(['198.51.100.7/32']);
		expect(peerRanges(outside('2001:db8:5::7'), DATABASE)).toEqual(['2001:db8:5::/64']);
		expect(peerRanges(outside('198.51.100.7', '198.51.100.9'), DATABASE)).toEqual(['198.51.100.0/28']);
		expect(peerRanges(outside('198.51.100.7', '203.0.113.9'), DATABASE)).toEqual(['198.51.100.7/32', '203.0.113.9/32']);
	});

	it('names one range per address family', () => {
		expect(peerRanges(inside('2600:1f18:6a3:c200::40', '2600:1f18:6a3:c200::41'), DATABASE)).toEqual([
			'2600:1f18:6a3:c200::/64',
		]);
		expect(peerRanges(inside('2600:1f18:6a3:c200::40', '2600:1f18:6a3:c201::41'), DATABASE)).toEqual([
			'2600:1f18:6a3:c200::/63',
		]);
		expect(peerRanges(inside('10.0.20.21', '2600:1f18:6a3:c200::40'), DATABASE)).toEqual([
			'10.0.20.0/24',
			'2600:1f18:6a3:c200::/64',
		]);
	});

	it('lists at most four blocks and says how many more', () => {
		const four = outside('198.51.100.1', '203.0.113.1', '192.0.2.1', '100.24.0.1');
		expect(peerRanges(four, DATABASE)).toEqual(['100.24.0.1/32', '192.0.2.1/32', '198.51.100.1/32', '203.0.113.1/32']);
		const many = outside('198.51.100.1', '203.0.113.1', '192.0.2.1', '100.24.0.1', '54.0.0.1', '3.0.0.1');
		expect(peerRanges(many, DATABASE)).toEqual(['100.24.0.1/32', '192.0.2.1/32', '198.51.100.1/32', '3 more blocks']);
	});
});
