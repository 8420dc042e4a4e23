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

	it('takes each of the subnet, VPC, instance and type from any record that names it, keeping what others named', () => {
		const format = parseFormatString(
			'interface-id srcaddr dstaddr start end action log-status subnet-id vpc-id instance-id interface-type',
		);
		const store = new FlowStore();
		store.add(
			records(
				[
					`eni-0nat 10.0.1.5 10.0.2.9 ${T} ${T + 5} ACCEPT OK subnet-01 - - -`,
					`eni-0nat 10.0.1.5 10.0.2.9 ${T} ${T + 5} ACCEPT OK - vpc-01 - -`,
					`eni-0nat 10.0.1.5 10.0.2.9 ${T} ${T + 5} ACCEPT OK - - i-01 -`,
					`eni-0nat 10.0.1.5 10.0.2.9 ${T} ${T + 5} ACCEPT OK - - - nat_gateway`,
				],
				format,
			),
		);
		expect(store.profiles.get('eni-0nat')).toMatchObject({
			subnetId: 'subnet-01',
			vpcId: 'vpc-01',
			instanceId: 'i-01',
			interfaceType: 'nat_gateway',
		});
	});

	it('stops profiling new interfaces past fifty thousand, in one store or merged from another', () => {
		const format = parseFormatString('interface-id start');
		const store = new FlowStore();
		store.add(
			records(
				Array.from({length: 50_001}, (_, i) => `eni-${i} ${T}`),
				format,
			),
		);
		expect(store.profiles.size).toBe(50_000);
		expect(store.profiles.get('eni-50000')).toBeUndefined();
		store.absorb(structuredClone(storeOf([line({'interface-id': 'eni-0more'})]).part()));
		expect(store.profiles.size).toBe(50_000);
		expect(store.profiles.get('eni-0more')).toBeUndefined();
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
	it('keep the type the earlier store read when the later one has none, and count an interface only the later one saw', () => {
		const format = parseFormatString('interface-id srcaddr dstaddr start end action log-status interface-type');
		const earlier = new FlowStore();
		earlier.add(records([`eni-0nat 10.0.1.5 10.0.2.9 ${T} ${T + 5} ACCEPT OK nat_gateway`], format));
		const later = new FlowStore();
		later.add(
			records(
				[
					`eni-0nat 10.0.1.5 10.0.2.9 ${T} ${T + 5} ACCEPT OK -`,
					`eni-0web 10.0.1.5 10.0.2.9 ${T} ${T + 5} ACCEPT OK -`,
				],
				format,
			),
		);
		earlier.absorb(structuredClone(later.part()));
		expect(earlier.profiles.get('eni-0nat')).toMatchObject({records: 2, interfaceType: 'nat_gateway'});
		expect(earlier.profiles.size).toBe(2);
	});

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

describe("an interface's own address", () => {
	const DIRECTED = parseFormatString('srcaddr dstaddr flow-direction interface-id');
	const own = (lines: readonly string[], eni: string, format = DIRECTED) => {
		const store = new FlowStore();
		store.add(records(lines, format));
		return store.profiles.get(eni)?.own;
	};

	it('is the address in at least half its records, once it has three', () => {
		expect(own(['10.0.1.5 10.0.2.1 - eni-0a', '10.0.2.2 10.0.1.5 - eni-0a'], 'eni-0a')).toEqual([]);
		expect(
			own(
				[
					'10.0.1.5 10.0.2.1 - eni-0a',
					'10.0.2.2 10.0.1.5 - eni-0a',
					'10.0.3.1 10.0.3.2 - eni-0a',
					'10.0.4.1 10.0.4.2 - eni-0a',
				],
				'eni-0a',
			),
		).toEqual(['10.0.1.5']);
		expect(
			own(
				[
					'10.0.1.5 10.0.2.1 - eni-0a',
					'10.0.2.2 10.0.1.5 - eni-0a',
					'10.0.3.1 10.0.3.2 - eni-0a',
					'10.0.4.1 10.0.4.2 - eni-0a',
					'10.0.5.1 10.0.5.2 - eni-0a',
				],
				'eni-0a',
			),
		).toEqual([]);
	});

	it('is the end flow-direction names, and either end where a record does not say', () => {
		// A private peer seen first would win a tie of the two ends.
		expect(
			own(
				['10.0.1.5 10.0.9.9 ingress eni-0in'].flatMap(line => [line, line, line]),
				'eni-0in',
			),
		).toEqual(['10.0.9.9']);
		expect(
			own(
				['10.0.9.9 10.0.1.5 ingress eni-0in', ...Array.from({length: 3}, () => '10.0.2.2 10.0.9.9 egress eni-0out')],
				'eni-0out',
			),
		).toEqual(['10.0.2.2']);
		expect(
			own(['10.0.5.1 10.0.3.3 - eni-0any', '10.0.5.2 10.0.3.3 - eni-0any', '10.0.5.3 10.0.3.3 - eni-0any'], 'eni-0any'),
		).toEqual(['10.0.3.3']);
	});

	it('is, between the two ends of a single peer, the private one, else the one seen first', () => {
		const single = (src: string, dst: string) => Array.from({length: 3}, () => `${src} ${dst} - eni-0one`);
		expect(own(single('203.0.113.9', '10.0.1.5'), 'eni-0one')).toEqual(['10.0.1.5']);
		expect(own(single('10.0.2.9', '10.0.1.5'), 'eni-0one')).toEqual(['10.0.2.9']);
	});

	it('may be an address first seen on a record that names no interface', () => {
		const first = '10.0.1.5 10.0.2.9 - -';
		expect(own([first, ...['1', '2', '3'].map(i => `10.0.1.5 10.0.3.${i} - eni-0a`)], 'eni-0a')).toEqual(['10.0.1.5']);
		expect(own([first, ...['1', '2', '3'].map(i => `10.0.3.${i} 10.0.1.5 - eni-0a`)], 'eni-0a')).toEqual(['10.0.1.5']);
		// flow-direction names the global address of an IPv6 interface over its private peer, which would win a tie.
		expect(
			own(
				['2600:1f18::5 2600:1f18::9 - -', ...Array.from({length: 3}, () => 'fd12::9 2600:1f18::5 ingress eni-0a')],
				'eni-0a',
			),
		).toEqual(['2600:1f18::5']);
	});

	describe('read from ranges of a file and merged', () => {
		const merged = (ranges: ReadonlyArray<readonly string[]>, eni: string) => {
			const [first, ...rest] = ranges.map(lines => {
				const store = new FlowStore();
				store.add(records(lines, DIRECTED));
				return store;
			});
			for (const store of rest) {
				first!.absorb(structuredClone(store.part()));
			}

			return first!.profiles.get(eni)?.own;
		};

		it('is found in a later range after an earlier one counted four other addresses', () => {
			const ranges = [
				['10.0.7.1 10.0.7.2 - eni-0a', '10.0.7.3 10.0.7.4 - eni-0a'],
				Array.from({length: 10}, (_, i) => `10.0.1.5 10.0.8.${i} - eni-0a`),
			];
			expect(merged(ranges, 'eni-0a')).toEqual(['10.0.1.5']);
			expect(own(ranges.flat(), 'eni-0a')).toEqual(['10.0.1.5']);
		});

		it('is not called for an address in fewer than half the records, whose counter may overcount', () => {
			const ranges = [
				['10.0.7.1 10.0.7.2 - eni-0b'],
				[
					'10.0.6.1 10.0.6.2 - eni-0a',
					'10.0.6.3 10.0.6.4 - eni-0a',
					'10.0.1.5 10.0.6.5 - eni-0a',
					'10.0.1.5 10.0.6.6 - eni-0a',
					'10.0.6.7 10.0.6.8 - eni-0a',
				],
			];
			expect(merged(ranges, 'eni-0a')).toEqual([]);
			expect(own(ranges.flat(), 'eni-0a')).toEqual([]);
		});
	});
});
