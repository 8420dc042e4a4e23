import {describe, expect, it} from 'vitest';
import {peerRanges} from '../../source/diagnosis/peer-range.js';

const inside = (...addresses: string[]) => addresses.map(address => ({address, outside: false}));

describe('the peer range a rule should name', () => {
	it('is the /24 of clients in one subnet, even a single one', () => {
		expect(peerRanges(inside('10.0.20.21', '10.0.20.22'))).toEqual(['10.0.20.0/24']);
		expect(peerRanges(inside('10.0.20.21'))).toEqual(['10.0.20.0/24']);
	});

	it('widens to the /16 or /8 that holds them all', () => {
		expect(peerRanges(inside('10.0.20.21', '10.0.10.11'))).toEqual(['10.0.0.0/16']);
		expect(peerRanges(inside('10.1.0.5', '10.2.0.5'))).toEqual(['10.0.0.0/8']);
		expect(peerRanges(inside('10.1.0.5', '172.16.0.5'))).toEqual(['0.0.0.0/0']);
	});

	it('is the whole internet as soon as one peer is outside', () => {
		expect(peerRanges([...inside('10.0.20.21'), {address: '54.187.216.72', outside: true}])).toEqual(['0.0.0.0/0']);
	});

	it('names one range per address family', () => {
		expect(peerRanges([{address: '198.51.100.7', outside: true}, {address: '2001:db8::7', outside: true}])).toEqual(['0.0.0.0/0', '::/0']);
		expect(peerRanges(inside('2600:1f18:6a3:c200::40', '2600:1f18:6a3:c200::41'))).toEqual(['2600:1f18:6a3:c200::/64']);
		expect(peerRanges(inside('2600:1f18:6a3:c200::40', '2600:1f18:6a3:c201::41'))).toEqual(['2600:1f18:6a3:c200::/56']);
	});
});
