import {describe, expect, it} from 'vitest';
import {identify, type InterfaceIdentity, snapshotOf} from '../../source/diagnosis/snapshot.js';
import {FlowStore} from '../../source/engine/store.js';
import {parseFormatString} from '../../source/flowlog/format.js';
import {records} from '../helpers/lines.js';
import {accept, range, T, v2Store} from './flows.js';

/** The direction of every conversation in the window, as `src>dst direction`. */
function directions(store: FlowStore): string[] {
	const snapshot = snapshotOf(store);
	const seen: string[] = [];
	const name = (id: number) => (id < 0 ? '-' : snapshot.text(id));
	for (const flow = snapshot.cursor(); flow.next(); ) {
		seen.push(`${name(flow.src)}>${name(flow.dst)} ${snapshot.direction(flow) ?? 'unknown'}`);
	}

	return seen;
}

describe('the snapshot', () => {
	it("tells inbound from outbound by the interface's own address, the one in most of its records", () => {
		const store = v2Store([
			accept('eni-0web', '203.0.113.7:50000', '10.0.1.5:443'),
			accept('eni-0web', '10.0.1.5:443', '203.0.113.7:50000'),
			accept('eni-0web', '198.51.100.2:50001', '10.0.1.5:443'),
			accept('eni-0web', '10.0.1.5:44000', '198.51.100.9:443'),
		]);
		expect(store.profiles.get('eni-0web')!.own).toEqual(['10.0.1.5']);
		expect(directions(store)).toEqual([
			'203.0.113.7>10.0.1.5 inbound',
			'10.0.1.5>203.0.113.7 outbound',
			'198.51.100.2>10.0.1.5 inbound',
			'10.0.1.5>198.51.100.9 outbound',
		]);
	});

	it('takes v5 flow-direction over the own address when the record has it', () => {
		const store = new FlowStore();
		store.add(
			records(
				[
					'10.0.1.5 10.0.9.9 ingress eni-0one',
					'10.0.9.9 10.0.1.5 egress eni-0one',
					'10.0.1.5 10.0.9.9 egress eni-0one',
				],
				parseFormatString('srcaddr dstaddr flow-direction interface-id'),
			),
		);
		expect(directions(store)).toEqual([
			'10.0.1.5>10.0.9.9 inbound',
			'10.0.9.9>10.0.1.5 outbound',
			'10.0.1.5>10.0.9.9 outbound',
		]);
	});

	it("says unknown when neither end is the interface's own address", () => {
		const store = v2Store([
			accept('eni-0web', '10.0.1.5:44000', '10.0.2.1:443'),
			accept('eni-0web', '10.0.1.5:44001', '10.0.2.2:443'),
			accept('eni-0web', '10.0.1.5:44002', '10.0.2.3:443'),
			accept('eni-0web', '10.0.7.7:44003', '10.0.8.8:443'),
		]);
		expect(directions(store).at(-1)).toBe('10.0.7.7>10.0.8.8 unknown');
	});

	it('tells direction apart for each address family of a dual-stack interface', () => {
		const store = v2Store([
			...range(3).flatMap(minute => [
				accept('eni-0web', `203.0.113.${minute + 1}:50000`, '10.0.1.5:443', {minute}),
				accept('eni-0web', `[2001:db8::${minute + 1}]:50000`, '[2600:1f18:6a3:c200::5]:443', {minute}),
			]),
			accept('eni-0web', '[2600:1f18:6a3:c200::5]:443', '[2001:db8::1]:50000'),
		]);
		expect(directions(store).filter(seen => seen.includes('2600'))).toEqual([
			'2001:db8::1>2600:1f18:6a3:c200::5 inbound',
			'2600:1f18:6a3:c200::5>2001:db8::1 outbound',
			'2001:db8::2>2600:1f18:6a3:c200::5 inbound',
			'2001:db8::3>2600:1f18:6a3:c200::5 inbound',
		]);
	});

	it('says unknown for a record without the address that would tell, before the own address is known', () => {
		const store = new FlowStore();
		store.add(
			records(['10.0.1.5 - eni-0one', '- 10.0.1.5 eni-0one'], parseFormatString('srcaddr dstaddr interface-id')),
		);
		expect(directions(store)).toEqual(['10.0.1.5>- unknown', '->10.0.1.5 unknown']);
	});

	it('reads an address seen before any interface like any other', () => {
		const format = parseFormatString('srcaddr dstaddr interface-id');
		const own = new FlowStore();
		own.add(
			records(
				[
					'10.0.1.5 10.0.9.6 -',
					'10.0.1.5 10.0.9.9 eni-0one',
					'10.0.9.8 10.0.1.5 eni-0one',
					'10.0.1.5 10.0.9.7 eni-0one',
				],
				format,
			),
		);
		expect(directions(own)).toEqual([
			'10.0.1.5>10.0.9.6 unknown',
			'10.0.1.5>10.0.9.9 outbound',
			'10.0.9.8>10.0.1.5 inbound',
			'10.0.1.5>10.0.9.7 outbound',
		]);
		const peer = new FlowStore();
		peer.add(records(['198.51.100.7 10.0.1.5 -', '10.0.1.5 198.51.100.8 eni-0one'], format));
		expect(snapshotOf(peer).isOutside(peer.strings.find('198.51.100.7'))).toBe(true);
	});

	it("places addresses in the /16 of an interface's public IPv4 address inside, like its /56 for IPv6", () => {
		const store = v2Store(
			range(3).flatMap(minute => [
				accept('eni-0web', `198.51.100.${minute + 1}:50000`, '3.5.0.10:443', {minute}),
				accept('eni-0web', `[2001:db8::${minute + 1}]:50000`, '[2600:1f18:6a3:c200::5]:443', {minute}),
				accept('eni-0web', '3.5.200.1:50000', '3.6.0.1:443', {minute}),
				accept('eni-0web', '[2600:1f18:6a3:c2ff::1]:50000', '[2600:1f18:6a3:c300::1]:443', {minute}),
			]),
		);
		const snapshot = snapshotOf(store);
		expect([...snapshot.vpcBlocks]).toEqual(['3.5.0.0/16', '2600:1f18:6a3:c200::/56']);
		const outside = (address: string) => snapshot.isOutside(store.strings.find(address));
		expect(
			['3.5.200.1', '3.6.0.1', '198.51.100.1', '2600:1f18:6a3:c2ff::1', '2600:1f18:6a3:c300::1'].map(outside),
		).toEqual([false, true, true, false, true]);
	});

	it('numbers the interfaces densely for per-interface arrays, -1 for any other id', () => {
		const store = v2Store([
			accept('eni-0a', '10.0.1.5:50000', '10.0.2.5:443'),
			accept('eni-0b', '10.0.2.5:443', '10.0.1.5:50000'),
		]);
		const snapshot = snapshotOf(store);
		const index = (text: string) => snapshot.interfaceIndex[store.strings.find(text)];
		expect(['eni-0a', 'eni-0b', '10.0.1.5', '10.0.2.5'].map(index)).toEqual([0, 1, -1, -1]);
		expect(snapshot.vpcBlocks.size).toBe(0);
	});

	it('looks for the other records of a conversation within a capture window of it, a bucket either side', () => {
		const store = v2Store(
			range(30).map(minute => accept('eni-0a', '10.0.1.5:50000', '10.0.2.5:443', {minute})),
			new FlowStore({windowSeconds: Number.POSITIVE_INFINITY}),
		);
		const snapshot = snapshotOf(store);
		expect(snapshot.nearBuckets(T + 15 * 60, T + 15 * 60 + 5)).toEqual([4, 25]);
		expect(snapshot.nearBuckets(T + 11 * 60, T + 11 * 60)).toEqual([0, 21]);
		expect(snapshot.nearBuckets(T + 25 * 60, T + 25 * 60 + 5)).toEqual([14, 29]);
	});
});

describe('what the snapshot knows of the interfaces', () => {
	/** EC2's word on eni-0web: its primary address first, a secondary one after. */
	const identity: InterfaceIdentity = {
		addressesOf: eni => (eni === 'eni-0web' ? ['10.0.1.5', '10.0.1.6'] : undefined),
		subnetIdOf: eni => (eni === 'eni-0web' ? 'subnet-0web' : undefined),
		kindOf: eni => (eni === 'eni-0web' ? 'load-balancer' : undefined),
		isInside: address => address.startsWith('10.'),
	};

	function webStore(): FlowStore {
		return v2Store([
			accept('eni-0web', '203.0.113.7:50000', '10.0.1.5:443'),
			accept('eni-0web', '203.0.113.8:50000', '10.0.1.6:443'),
		]);
	}

	it("takes the interface's kind and primary address from the configuration once it is read", () => {
		const store = webStore();
		expect(snapshotOf(store).kindOf(store.strings.find('eni-0web'))).toBeUndefined();
		identify(store, identity);
		const snapshot = snapshotOf(store);
		expect(snapshot.kindOf(store.strings.find('eni-0web'))).toBe('load-balancer');
		expect(directions(store)).toEqual(['203.0.113.7>10.0.1.5 inbound', '203.0.113.8>10.0.1.6 unknown']);
		identify(store, undefined);
		expect(snapshotOf(store).kindOf(store.strings.find('eni-0web'))).toBeUndefined();
	});

	it('is the same snapshot, its derived results computed once, until the store changes', () => {
		const store = webStore();
		let runs = 0;
		const count = () => ++runs;
		const snapshot = snapshotOf(store);
		expect(snapshotOf(store)).toBe(snapshot);
		expect([snapshot.derive(count), snapshot.derive(count)]).toEqual([1, 1]);
		v2Store([accept('eni-0web', '203.0.113.9:50000', '10.0.1.5:443')], store);
		expect(snapshotOf(store)).not.toBe(snapshot);
		expect(snapshotOf(store).derive(count)).toBe(2);
	});
});
