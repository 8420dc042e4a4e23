import {describe, expect, it} from 'vitest';
import {
	combineFilters,
	EMPTY_FILTER,
	FilterError,
	formatFilter,
	isEmptyFilter,
	matchesFilter,
	parseFilter,
} from '../../source/engine/filter.js';
import {rowFilter} from '../../source/engine/row-filter.js';
import {FlowStore} from '../../source/engine/store.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {records, v2} from '../helpers/lines.js';

const [web, ssh, dns, v6] = records([
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '203.0.113.7',
		dstaddr: '10.0.1.5',
		srcport: 51_000,
		dstport: 443,
		protocol: 6,
		action: 'ACCEPT',
	}),
	v2({
		'interface-id': 'eni-0bastion',
		srcaddr: '198.51.100.9',
		dstaddr: '10.0.0.4',
		srcport: 40_000,
		dstport: 22,
		protocol: 6,
		action: 'REJECT',
	}),
	v2({
		'interface-id': 'eni-0app',
		srcaddr: '10.0.2.7',
		dstaddr: '10.0.0.2',
		srcport: 53_123,
		dstport: 53,
		protocol: 17,
		action: 'ACCEPT',
	}),
	v2({
		'interface-id': 'eni-0app',
		srcaddr: '2001:db8:1::5',
		dstaddr: '2600:1f18::9',
		srcport: 40_001,
		dstport: 443,
		protocol: 6,
		action: 'ACCEPT',
	}),
]) as [FlowRecord, FlowRecord, FlowRecord, FlowRecord];
const all = [web, ssh, dns, v6];
/** A record whose interface is a dash: in the store its ENI is absent, and its source the first address interned. */
const noInterface = records([v2({'interface-id': '-', srcaddr: '192.0.2.1', dstaddr: '10.0.9.9', dstport: 8443})])[0]!;

function kept(text: string): string[] {
	const filter = parseFilter(text);
	return all.filter(record => matchesFilter(filter, record)).map(record => `${record.src}>${record.dst}`);
}

describe('filters on one kind', () => {
	it('ENI', () => {
		expect(kept('eni-0app')).toEqual(['10.0.2.7>10.0.0.2', '2001:db8:1::5>2600:1f18::9']);
	});

	it('CIDR matches either end', () => {
		expect(kept('10.0.0.0/24')).toEqual(['198.51.100.9>10.0.0.4', '10.0.2.7>10.0.0.2']);
		expect(kept('203.0.113.0/24')).toEqual(['203.0.113.7>10.0.1.5']);
	});

	it('0.0.0.0/0 matches every IPv4 address and no IPv6 one', () => {
		expect(kept('0.0.0.0/0')).toEqual(['203.0.113.7>10.0.1.5', '198.51.100.9>10.0.0.4', '10.0.2.7>10.0.0.2']);
		expect(kept('::/0')).toEqual(['2001:db8:1::5>2600:1f18::9']);
	});

	it('a single address', () => {
		expect(kept('10.0.1.5')).toEqual(['203.0.113.7>10.0.1.5']);
	});

	it('IPv6 CIDR', () => {
		expect(kept('2001:db8::/32')).toEqual(['2001:db8:1::5>2600:1f18::9']);
		expect(kept('2600:1f18::9')).toEqual(['2001:db8:1::5>2600:1f18::9']);
	});

	it('port matches either port; ranges and lists', () => {
		expect(kept('port:53')).toEqual(['10.0.2.7>10.0.0.2']);
		expect(kept('port:22,53')).toEqual(['198.51.100.9>10.0.0.4', '10.0.2.7>10.0.0.2']);
		expect(kept('port:51000-52000')).toEqual(['203.0.113.7>10.0.1.5']);
	});

	it('protocol by name or number', () => {
		expect(kept('udp')).toEqual(['10.0.2.7>10.0.0.2']);
		expect(kept('proto:17')).toEqual(['10.0.2.7>10.0.0.2']);
	});

	it('src: and dst: pin an address to one end', () => {
		expect(kept('src:10.0.2.7')).toEqual(['10.0.2.7>10.0.0.2']);
		expect(kept('dst:10.0.2.7')).toEqual([]);
		expect(kept('src:10.0.0.0/8 dst:10.0.0.0/24')).toEqual(['10.0.2.7>10.0.0.2']);
	});

	it('action', () => {
		expect(kept('reject')).toEqual(['198.51.100.9>10.0.0.4']);
		expect(kept('action:accept')).toHaveLength(3);
	});
});

describe('combining', () => {
	it('ANDs across kinds', () => {
		expect(kept('eni-0app udp')).toEqual(['10.0.2.7>10.0.0.2']);
		expect(kept('10.0.0.0/8 port:443 accept')).toEqual(['203.0.113.7>10.0.1.5']);
	});

	it('ORs within a kind', () => {
		expect(kept('eni-0web eni-0bastion')).toEqual(['203.0.113.7>10.0.1.5', '198.51.100.9>10.0.0.4']);
		expect(kept('203.0.113.0/24 10.0.2.7')).toEqual(['203.0.113.7>10.0.1.5', '10.0.2.7>10.0.0.2']);
		expect(kept('src:203.0.113.7 src:10.0.2.7')).toEqual(['203.0.113.7>10.0.1.5', '10.0.2.7>10.0.0.2']);
	});

	it('flags and text add up, kind by kind', () => {
		const filter = combineFilters(
			parseFilter('eni-0aaa 10.0.0.0/8 src:10.0.0.5 dst:192.0.2.0/24 port:22 tcp reject'),
			parseFilter('eni-0bbb 10.1.0.0/16 src:10.0.0.6 dst:192.0.3.0/24 port:80 udp accept'),
		);
		expect(formatFilter(filter)).toBe(
			'eni-0aaa eni-0bbb 10.0.0.0/8 10.1.0.0/16 src:10.0.0.5 src:10.0.0.6 dst:192.0.2.0/24 dst:192.0.3.0/24 port:22,80 tcp udp reject accept',
		);
	});

	it('a value given twice counts once', () => {
		expect(
			formatFilter(
				combineFilters(parseFilter('eni-0aaa src:10.0.0.5 port:22'), parseFilter('eni-0aaa src:10.0.0.5 port:22')),
			),
		).toBe('eni-0aaa src:10.0.0.5 port:22');
		expect(formatFilter(parseFilter('dst:10.0.0.5 dst:10.0.0.5/32 dst:10.0.0.6 tcp tcp reject reject'))).toBe(
			'dst:10.0.0.5 dst:10.0.0.6 tcp reject',
		);
	});

	it('flags and text add up', () => {
		const filter = combineFilters(parseFilter('eni-0web'), parseFilter('eni-0bastion reject'));
		expect(all.filter(record => matchesFilter(filter, record)).map(record => record.eni)).toEqual(['eni-0bastion']);
	});

	it('a filter is empty only when it sets no kind at all', () => {
		expect(isEmptyFilter(parseFilter(''))).toBe(true);
		for (const text of ['eni-0aaa', '10.0.0.0/8', 'src:10.0.0.1', 'dst:10.0.0.1', 'port:22', 'tcp', 'reject']) {
			expect([text, isEmptyFilter(parseFilter(text))]).toEqual([text, false]);
		}
	});

	it('the empty filter keeps everything', () => {
		expect(all.filter(record => matchesFilter(EMPTY_FILTER, record))).toHaveLength(4);
	});
});

describe('the text form', () => {
	it('round-trips', () => {
		const text =
			'eni-0abc 10.0.0.0/16 2001:db8::/32 src:10.0.0.5 dst:192.0.2.0/24 port:22,1024-65535 tcp proto:99 reject';
		expect(formatFilter(parseFilter(text))).toBe(text);
	});

	it('reads the long prefixes, and any spacing', () => {
		expect(
			formatFilter(
				parseFilter(
					'  eni:eni-0ABC   ip:10.0.0.5 addr:10.0.0.6  cidr:10.1.0.0/16 protocol:udp proto:tcp action:reject ',
				),
			),
		).toBe('eni-0abc 10.0.0.5 10.0.0.6 10.1.0.0/16 udp tcp reject');
		expect(parseFilter('')).toEqual(EMPTY_FILTER);
		expect(parseFilter('   ')).toEqual(EMPTY_FILTER);
	});

	it('takes the highest port there is, and one port as a range of one', () => {
		expect(parseFilter('port:65535').ports).toEqual([{from: 65_535, to: 65_535}]);
		expect(parseFilter('port:0-65535').ports).toEqual([{from: 0, to: 65_535}]);
	});

	it('refuses with an error the caller can tell from a crash', () => {
		expect(() => parseFilter('port:abc')).toThrow(FilterError);
		expect(() => parseFilter('port:abc')).toThrow(expect.objectContaining({name: 'FilterError'}));
	});

	it.each([
		[
			'foo',
			'unknown filter term "foo": use an ENI (eni-0abc), an address or CIDR (10.0.0.0/16), src:/dst: before one, port:22, tcp|udp|icmp, accept|reject',
		],
		['22', '"22" is ambiguous: write port:22 for a port or proto:22 for a protocol'],
		['port:abc', '"abc" is not a port: write port:22, port:80,443 or port:1024-65535'],
		['port:x22', '"x22" is not a port: write port:22, port:80,443 or port:1024-65535'],
		['port:22x', '"22x" is not a port: write port:22, port:80,443 or port:1024-65535'],
		['port:65536', '"65536" is not a port: write port:22, port:80,443 or port:1024-65535'],
		['port:1-65536', '"1-65536" is not a port: write port:22, port:80,443 or port:1024-65535'],
		['portx', 'unknown filter term "portx"'],
		['dead', 'unknown filter term "dead"'],
		['x10.0.0.1', 'unknown filter term "x10.0.0.1"'],
		['10.0.0.1zz', 'unknown filter term "10.0.0.1zz"'],
		['eni:x-eni-0abc', '"x-eni-0abc" is not an ENI id'],
		['eni:eni-0abc!', '"eni-0abc!" is not an ENI id'],
		['port:99999', '"99999" is not a port: write port:22, port:80,443 or port:1024-65535'],
		['port:200-100', '"200-100" is not a port: write port:22, port:80,443 or port:1024-65535'],
		['10.0.0.0/33', '"10.0.0.0/33" is not an address or CIDR: write 10.0.0.5, 10.0.0.0/16 or 2001:db8::/32'],
		['10.0.0', '"10.0.0" is not an address or CIDR: write 10.0.0.5, 10.0.0.0/16 or 2001:db8::/32'],
		['cidr:10.0.0.300', '"10.0.0.300" is not an address or CIDR: write 10.0.0.5, 10.0.0.0/16 or 2001:db8::/32'],
		['eni-', '"eni-" is not an ENI id: ENI ids look like eni-0abc123'],
		['proto:xyz', '"xyz" is not a protocol: write tcp, udp, icmp, icmpv6 or a number 0-255'],
		['action:drop', '"drop" is not an action: write accept or reject'],
	])('%s is refused with a message that says what to write', (text, message) => {
		expect(() => parseFilter(text)).toThrow(message);
	});
});

describe("a filter over the store's rows", () => {
	it.each([
		'eni-0app',
		'eni-0nowhere',
		'reject',
		'port:443',
		'port:1-100 udp',
		'10.0.0.0/16',
		'src:10.0.2.7',
		'dst:2600:1f18::/32',
		'eni-0app 2001:db8::/32 tcp',
		'port:22 reject eni-0bastion',
		'icmp',
		'203.0.113.0/24 10.0.2.7',
		'0.0.0.0/0',
		'::/0',
	])('keeps exactly the rows whose records %s keeps', text => {
		const filter = parseFilter(text);
		const nodata = records(['2 123456789012 eni-0quiet - - - - - - - 1700000000 1700000060 - NODATA'])[0]!;
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add([noInterface, ...all, nodata]);
		const matches = rowFilter(filter, store.strings)!;
		const kept: string[] = [];
		for (const bucket of store.bucketsInWindow()) {
			for (let row = 0; row < bucket.table.size; row++) {
				if (matches(bucket.table, row)) {
					const flow = store.flowAt(bucket.table, row);
					kept.push(`${flow.src}>${flow.dst}`);
				}
			}
		}

		expect(kept.sort()).toEqual(
			[noInterface, ...all]
				.filter(record => matchesFilter(filter, record))
				.map(record => `${record.src}>${record.dst}`)
				.sort(),
		);
	});
});

describe('a filter compiled before more records arrive', () => {
	it('decides the new addresses too', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add([web]);
		const matches = rowFilter(parseFilter('10.0.0.0/24'), store.strings)!;
		store.add([ssh, dns]);
		const verdicts = store
			.bucketsInWindow()
			.flatMap(bucket =>
				Array.from({length: bucket.table.size}, (_, row) => [
					store.flowAt(bucket.table, row).src,
					matches(bucket.table, row),
				]),
			);
		expect(verdicts).toEqual([
			['203.0.113.7', false],
			['198.51.100.9', true],
			['10.0.2.7', true],
		]);
	});
});
