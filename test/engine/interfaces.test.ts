import {describe, expect, it} from 'vitest';
import {FlowStore} from '../../source/engine/store.js';
import {type FieldValues, formatLine, parseFormatString} from '../../source/flowlog/format.js';
import {records} from '../helpers/lines.js';

/**
 * What the records tell about each interface (the NAT gateway, Block Public Access and identity
 * rules read it): the subnet, VPC and instance its records name, and how much of its traffic was
 * translated.
 */

const FORMAT = parseFormatString(
	'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id pkt-srcaddr pkt-dstaddr',
);
const T = 1_700_000_040;

function line(values: FieldValues = {}): string {
	return formatLine(
		{
			version: 5,
			'account-id': '123456789012',
			'interface-id': 'eni-0nat',
			srcaddr: '10.0.1.5',
			dstaddr: '10.0.2.9',
			srcport: 40_001,
			dstport: 443,
			protocol: 6,
			packets: 10,
			bytes: 1000,
			start: T,
			end: T + 10,
			action: 'ACCEPT',
			'log-status': 'OK',
			...values,
		},
		FORMAT,
	);
}

function storeOf(lines: readonly string[]): FlowStore {
	const store = new FlowStore();
	store.add(records(lines, FORMAT));
	return store;
}

describe("an interface's profile", () => {
	it('names the subnet, VPC, instance and account its records carry, the latest when they change', () => {
		const store = storeOf([
			line({'vpc-id': 'vpc-01', 'subnet-id': 'subnet-01', 'instance-id': 'i-01'}),
			line({'vpc-id': 'vpc-01', 'subnet-id': 'subnet-02', 'instance-id': 'i-01', 'account-id': '210987654321'}),
			line({'account-id': undefined}),
		]);
		expect(store.profiles.get('eni-0nat')).toMatchObject({
			vpcId: 'vpc-01',
			subnetId: 'subnet-02',
			instanceId: 'i-01',
			account: '210987654321',
			records: 3,
			bytes: 3000,
		});
	});

	it('counts the records whose packet addresses differ from the record addresses as translated', () => {
		const store = storeOf([
			line({'pkt-srcaddr': '10.0.1.5', 'pkt-dstaddr': '10.0.2.9'}),
			line({'pkt-srcaddr': '10.0.7.7', 'pkt-dstaddr': '10.0.2.9'}),
			line({'pkt-srcaddr': '10.0.1.5', 'pkt-dstaddr': '203.0.113.4'}),
			line({'pkt-srcaddr': '10.0.1.5'}),
			line({'pkt-dstaddr': '10.0.2.9'}),
			line({'pkt-dstaddr': '198.51.100.1'}),
			line({'pkt-srcaddr': '198.51.100.2'}),
			line({'pkt-srcaddr': '10.0.1.5', 'pkt-dstaddr': '10.0.2.9'}),
		]);
		expect(store.profiles.get('eni-0nat')).toMatchObject({records: 8, translated: 4});
	});

	it('keeps one profile per interface, and none for an interface never seen', () => {
		const store = storeOf([line({}), line({'interface-id': 'eni-0web'}), line({'interface-id': 'eni-0web'})]);
		expect(store.profiles.size).toBe(2);
		expect([...store.profiles.all()].map(profile => [profile.eni, profile.records])).toEqual([
			['eni-0nat', 1],
			['eni-0web', 2],
		]);
		expect(store.profiles.get('eni-0db')).toBeUndefined();
	});
});

describe('profiles of one interface from two stores, merged', () => {
	it('add up, the later store naming the subnet, VPC, instance and account', () => {
		const earlier = storeOf([
			line({'vpc-id': 'vpc-01', 'subnet-id': 'subnet-01', 'instance-id': 'i-01', 'pkt-srcaddr': '10.0.7.7'}),
		]);
		const later = storeOf([
			line({
				'vpc-id': 'vpc-02',
				'subnet-id': 'subnet-02',
				'instance-id': 'i-02',
				'account-id': '210987654321',
				'pkt-srcaddr': '10.0.7.7',
				start: T + 60,
				end: T + 70,
			}),
		]);
		earlier.absorb(structuredClone(later.part()));
		expect(earlier.profiles.get('eni-0nat')).toMatchObject({
			records: 2,
			bytes: 2000,
			translated: 2,
			firstSeen: T,
			lastSeen: T + 70,
			vpcId: 'vpc-02',
			subnetId: 'subnet-02',
			instanceId: 'i-02',
			account: '210987654321',
		});
	});
});

describe('when the store forgets the addresses of conversations that left the window', () => {
	it('keeps reading the interfaces and conversations it still holds', () => {
		const store = new FlowStore({windowSeconds: 5 * 60});
		// A scan from 50 001 addresses to as many, each its own string: once the window lets go of it, the store
		// forgets them, and what it still holds must read as before.
		const scan = Array.from({length: 50_001}, (_, i) =>
			line({
				'interface-id': 'eni-0scan',
				srcaddr: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
				dstaddr: `172.16.${(i >> 8) & 255}.${i & 255}`,
				action: 'REJECT',
			}),
		);
		store.add(records(scan, FORMAT));
		const before = store.strings.size;
		const web = (minute: number, values: FieldValues = {}) =>
			line({
				'interface-id': 'eni-0web',
				srcaddr: '10.0.1.5',
				dstaddr: '10.0.2.9',
				start: T + minute * 60,
				end: T + minute * 60 + 10,
				'subnet-id': 'subnet-0web',
				...values,
			});
		store.add(
			records(
				[web(8), web(8), web(9, {srcaddr: '10.0.2.9', dstaddr: '10.0.1.5', srcport: 443, dstport: 40_001})],
				FORMAT,
			),
		);
		store.add(records([web(12), web(12, {dstaddr: '10.0.3.3'})], FORMAT));
		expect(store.strings.size).toBeLessThan(before / 100);
		expect(store.profiles.get('eni-0web')).toMatchObject({records: 5, subnetId: 'subnet-0web', own: ['10.0.1.5']});
		expect(store.profiles.get('eni-0scan')).toMatchObject({records: 50_001, own: []});
		expect(
			[...store.flows()].map(flow => [flow.eni, flow.src, flow.dst, flow.srcPort, flow.dstPort, flow.flows]),
		).toEqual([
			['eni-0web', '10.0.1.5', '10.0.2.9', undefined, 443, 2],
			['eni-0web', '10.0.2.9', '10.0.1.5', 443, undefined, 1],
			['eni-0web', '10.0.1.5', '10.0.2.9', undefined, 443, 1],
			['eni-0web', '10.0.1.5', '10.0.3.3', undefined, 443, 1],
		]);
		store.add(records([web(12, {dstaddr: '10.0.3.3'})], FORMAT));
		expect(store.size).toBe(4);
		expect([...store.flows()].at(-1)).toMatchObject({dst: '10.0.3.3', flows: 2});
	});
});
