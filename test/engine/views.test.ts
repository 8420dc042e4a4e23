import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER, parseFilter} from '../../source/engine/filter.js';
import {FlowStore} from '../../source/engine/store.js';
import {
	ALL_SECTIONS,
	computeViews,
	METRICS,
	type Metric,
	REPORT_SECTIONS,
	type Views,
} from '../../source/engine/views.js';
import {records, v2} from '../helpers/lines.js';

const T = 1_700_000_000;

function storeOf(lines: string[]): FlowStore {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	store.add(records(lines));
	return store;
}

const traffic = storeOf([
	v2({srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', bytes: 5000, packets: 5}),
	v2({srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', bytes: 1000, packets: 50, srcport: 40_002}),
	v2({srcaddr: '10.0.1.6', dstaddr: '10.0.2.9', bytes: 3000, packets: 3}),
	v2({srcaddr: '10.0.1.5', dstaddr: '10.0.3.3', bytes: 3000, packets: 1, protocol: 17, dstport: 53}),
	v2({
		'interface-id': 'eni-0bbb',
		srcaddr: '198.51.100.9',
		dstaddr: '10.0.2.9',
		dstport: 22,
		action: 'REJECT',
		bytes: 60,
		packets: 1,
	}),
	v2({
		'interface-id': 'eni-0bbb',
		srcaddr: '198.51.100.9',
		dstaddr: '10.0.2.9',
		dstport: 23,
		action: 'REJECT',
		bytes: 60,
		packets: 1,
		start: T + 120,
		end: T + 150,
	}),
	v2({
		'interface-id': 'eni-0ccc',
		srcaddr: '198.51.100.9',
		dstaddr: '10.0.2.8',
		dstport: 22,
		action: 'REJECT',
		bytes: 60,
		packets: 1,
	}),
	v2({srcaddr: '192.0.2.1', dstaddr: '10.0.2.9', dstport: 22, action: 'REJECT', bytes: 40, packets: 1}),
]);

describe('top talkers', () => {
	it('by pair, bytes descending, ties by source then destination', () => {
		const rows = computeViews(traffic, EMPTY_FILTER).talkers.pair.map(row => `${row.src}>${row.dst} ${row.bytes}`);
		expect(rows.slice(0, 3)).toEqual(['10.0.1.5>10.0.2.9 6000', '10.0.1.5>10.0.3.3 3000', '10.0.1.6>10.0.2.9 3000']);
	});

	it('by source and by destination', () => {
		const views = computeViews(traffic, EMPTY_FILTER);
		expect(views.talkers.src[0]).toMatchObject({src: '10.0.1.5', bytes: 9000, flows: 3});
		expect(views.talkers.dst[0]).toMatchObject({dst: '10.0.2.9', bytes: 9160, flows: 6});
	});

	it('by packets or flows when asked', () => {
		expect(computeViews(traffic, EMPTY_FILTER, {metric: 'packets'}).talkers.pair[0]).toMatchObject({
			src: '10.0.1.5',
			dst: '10.0.2.9',
			packets: 55,
		});
		expect(computeViews(traffic, EMPTY_FILTER, {metric: 'flows'}).talkers.src[0]).toMatchObject({
			src: '10.0.1.5',
			flows: 3,
		});
	});

	it('by each metric its own way', () => {
		const store = storeOf([
			v2({srcaddr: '10.0.0.1', bytes: 9000, packets: 1}),
			v2({srcaddr: '10.0.0.2', bytes: 100, packets: 500}),
			...[1, 2, 3].map(() => v2({srcaddr: '10.0.0.3', bytes: 100, packets: 1})),
		]);
		const first = (metric: Metric) => {
			const views = computeViews(store, EMPTY_FILTER, {metric});
			return `${views.metric}: ${views.talkers.src[0]!.src}`;
		};
		expect(METRICS.map(metric => first(metric))).toEqual(['bytes: 10.0.0.1', 'packets: 10.0.0.2', 'flows: 10.0.0.3']);
	});

	it('equal ones in the order of their addresses, source first', () => {
		const store = storeOf([
			v2({srcaddr: '10.0.0.2', dstaddr: '10.0.0.7', bytes: 100}),
			v2({srcaddr: '10.0.0.2', dstaddr: '10.0.9.9', bytes: 100}),
			v2({srcaddr: '10.0.0.2', dstaddr: '10.0.0.3', bytes: 100}),
			v2({srcaddr: '10.0.0.1', dstaddr: '10.0.9.9', bytes: 100}),
		]);
		expect(computeViews(store, EMPTY_FILTER).talkers.pair.map(row => `${row.src}>${row.dst}`)).toEqual([
			'10.0.0.1>10.0.9.9',
			'10.0.0.2>10.0.0.3',
			'10.0.0.2>10.0.0.7',
			'10.0.0.2>10.0.9.9',
		]);
	});

	it('cut to the limit', () => {
		expect(computeViews(traffic, EMPTY_FILTER, {limit: 2}).talkers.pair).toHaveLength(2);
	});
});

describe('rejected flows', () => {
	it('by source, with distinct destination ports and interfaces', () => {
		const views = computeViews(traffic, EMPTY_FILTER);
		expect(views.rejectsBySource).toEqual([
			{src: '198.51.100.9', flows: 3, packets: 3, bytes: 180, ports: 2, enis: 2, lastSeen: T + 150},
			{src: '192.0.2.1', flows: 1, packets: 1, bytes: 40, ports: 1, enis: 1, lastSeen: T + 60},
		]);
		expect(views.rejectTotals.flows).toBe(4);
	});

	it('by destination and port', () => {
		const views = computeViews(traffic, EMPTY_FILTER);
		expect(views.rejectsByTarget[0]).toEqual({
			dst: '10.0.2.9',
			port: 22,
			protocol: 6,
			flows: 2,
			packets: 2,
			bytes: 100,
			sources: 2,
		});
	});

	it('the most recent records, cut to the limit', () => {
		expect(computeViews(traffic, EMPTY_FILTER, {limit: 2}).recentRejects.map(record => record.src)).toEqual([
			'192.0.2.1',
			'198.51.100.9',
		]);
	});

	it('by interface, and the most recent records', () => {
		const views = computeViews(traffic, EMPTY_FILTER);
		expect(views.rejectsByEni.map(row => [row.eni, row.flows])).toEqual([
			['eni-0bbb', 2],
			['eni-0aaa', 1],
			['eni-0ccc', 1],
		]);
		expect(views.recentRejects.map(record => record.src)).toEqual([
			'192.0.2.1',
			'198.51.100.9',
			'198.51.100.9',
			'198.51.100.9',
		]);
	});
});

describe('rejected flows, counted among their own kind', () => {
	const scan = () =>
		storeOf([
			v2({'interface-id': 'eni-0aaa', srcaddr: '198.51.100.9', dstport: 22, action: 'REJECT'}),
			v2({'interface-id': 'eni-0bbb', srcaddr: '198.51.100.9', dstport: 23, action: 'REJECT'}),
			v2({'interface-id': 'eni-0ccc', srcaddr: '198.51.100.9', dstport: 25, action: 'REJECT'}),
			v2({'interface-id': 'eni-0ddd', srcaddr: '198.51.100.9', dstport: 80}),
		]);

	it('a source counts the ports and interfaces of its rejected records only', () => {
		expect(computeViews(scan(), EMPTY_FILTER).rejectsBySource).toMatchObject([
			{src: '198.51.100.9', flows: 3, ports: 3, enis: 3},
		]);
	});

	it('and of those the filter keeps', () => {
		expect(computeViews(scan(), parseFilter('port:22,23')).rejectsBySource).toMatchObject([
			{src: '198.51.100.9', flows: 2, ports: 2, enis: 2},
		]);
	});

	it('a rejected reply is listed under its service port, not the client port it was sent to', () => {
		const views = computeViews(
			storeOf([v2({srcaddr: '10.0.2.9', srcport: 443, dstaddr: '10.0.1.5', dstport: 50_001, action: 'REJECT'})]),
			EMPTY_FILTER,
		);
		expect(views.rejectsByTarget).toMatchObject([{dst: '10.0.1.5', port: 443, protocol: 6}]);
		expect(views.services.map(row => row.port)).toEqual([443]);
	});

	it('targets with as many records in the order of their address, port and protocol', () => {
		const store = storeOf(
			[
				['10.0.0.2', 22, 6],
				['10.0.0.1', 53, 17],
				['10.0.0.1', 53, 6],
				['10.0.0.1', 22, 6],
			].map(([dstaddr, dstport, protocol]) => v2({dstaddr, dstport, protocol, action: 'REJECT'})),
		);
		expect(
			computeViews(store, EMPTY_FILTER).rejectsByTarget.map(row => `${row.dst} ${row.port}/${row.protocol}`),
		).toEqual(['10.0.0.1 22/6', '10.0.0.1 53/6', '10.0.0.1 53/17', '10.0.0.2 22/6']);
	});

	it('by interface count every one of their records as rejected', () => {
		expect(computeViews(scan(), EMPTY_FILTER).rejectsByEni).toEqual(
			['eni-0aaa', 'eni-0bbb', 'eni-0ccc'].map(eni => ({eni, bytes: 1000, packets: 10, flows: 1, rejects: 1})),
		);
	});
});

describe('the interfaces', () => {
	it('the picker lists every one busiest first, equal ones by name, with its rejected records', () => {
		const store = storeOf([
			v2({'interface-id': 'eni-0b', bytes: 100}),
			v2({'interface-id': 'eni-0c', bytes: 500, action: 'REJECT'}),
			v2({'interface-id': 'eni-0c', bytes: 100, dstport: 22, action: 'REJECT'}),
			v2({'interface-id': 'eni-0a', bytes: 60, action: 'REJECT'}),
			v2({'interface-id': 'eni-0a', bytes: 40}),
		]);
		expect(computeViews(store, EMPTY_FILTER).enis).toEqual([
			{eni: 'eni-0c', bytes: 600, packets: 20, flows: 2, rejects: 2},
			{eni: 'eni-0a', bytes: 100, packets: 20, flows: 2, rejects: 1},
			{eni: 'eni-0b', bytes: 100, packets: 10, flows: 1, rejects: 0},
		]);
	});
});

describe('protocols and services', () => {
	it('busiest first by the metric, equal ones by number', () => {
		const store = storeOf([
			v2({protocol: 17, dstport: 53, bytes: 100, packets: 50}),
			v2({protocol: 6, bytes: 5000, packets: 10}),
			v2({protocol: 1, srcport: 0, dstport: 0, bytes: 100, packets: 5}),
		]);
		const order = (metric: 'bytes' | 'packets') =>
			computeViews(store, EMPTY_FILTER, {metric}).protocols.map(row => row.name);
		expect(order('bytes')).toEqual(['TCP', 'ICMP', 'UDP']);
		expect(order('packets')).toEqual(['UDP', 'TCP', 'ICMP']);
	});

	it('services as busy in the order of protocol, then port', () => {
		const store = storeOf([
			v2({protocol: 17, dstport: 53, bytes: 100}),
			v2({protocol: 6, dstport: 443, bytes: 100}),
			v2({protocol: 6, dstport: 22, bytes: 100}),
		]);
		expect(computeViews(store, EMPTY_FILTER).services.map(row => `${row.port}/${row.protocol}`)).toEqual([
			'22/6',
			'443/6',
			'53/17',
		]);
	});

	it('a service with no name is listed by its port, its requests and replies together', () => {
		const views = computeViews(
			storeOf([v2({srcport: 44_321, dstport: 7777}), v2({srcport: 7777, dstport: 44_321})]),
			EMPTY_FILTER,
		);
		expect(views.services).toEqual([{protocol: 6, port: 7777, name: undefined, bytes: 2000, packets: 20, flows: 2}]);
	});

	it('port 0 and protocol 0 are values like any other', () => {
		const views = computeViews(storeOf([v2({srcport: 0, dstport: 0, protocol: 0, action: 'REJECT'})]), EMPTY_FILTER);
		expect(views.protocols).toMatchObject([{protocol: 0, flows: 1}]);
		expect(views.services).toMatchObject([{protocol: 0, port: 0, flows: 1}]);
		expect(views.rejectsByTarget).toMatchObject([{port: 0, protocol: 0}]);
		expect(views.rejectsBySource).toMatchObject([{ports: 1}]);
	});

	it('name protocols and sum them', () => {
		expect(computeViews(traffic, EMPTY_FILTER).protocols).toEqual([
			{protocol: 6, name: 'TCP', bytes: 9220, packets: 62, flows: 7},
			{protocol: 17, name: 'UDP', bytes: 3000, packets: 1, flows: 1},
		]);
	});

	it('name well-known services by their port', () => {
		const services = computeViews(traffic, EMPTY_FILTER).services.map(row => `${row.name} ${row.port}/${row.protocol}`);
		expect(services).toEqual(['HTTPS 443/6', 'DNS 53/17', 'SSH 22/6', 'Telnet 23/6']);
	});
});

describe('totals and the trend', () => {
	it('sum everything, and the rejected records apart', () => {
		const views = computeViews(traffic, EMPTY_FILTER);
		expect(views.totals).toEqual({bytes: 12_220, packets: 63, flows: 8});
		expect(views.rejectTotals).toEqual({bytes: 220, packets: 4, flows: 4});
	});

	it('has one point per bucket, empty ones included', () => {
		const trend = computeViews(traffic, EMPTY_FILTER).trend;
		expect(trend.map(point => [point.start - T + 20, point.bytes, point.flows, point.rejects])).toEqual([
			[0, 12_160, 7, 3],
			[60, 0, 0, 0],
			[120, 60, 1, 1],
		]);
	});
});

describe('the window', () => {
	// A bucket's start: buckets are whole minutes.
	const B = T - 20;
	const rejectFrom = (host: number, start: number, end: number) =>
		v2({srcaddr: `198.51.100.${host}`, dstport: 22, action: 'REJECT', start, end});
	const minutes = () =>
		storeOf([rejectFrom(1, B + 10, B + 70), rejectFrom(2, B + 60, B + 90), rejectFrom(3, B + 130, B + 160)]);

	it('spans the earliest start to the latest end of the records', () => {
		expect(computeViews(minutes(), EMPTY_FILTER).window).toEqual({start: B + 10, end: B + 160});
		expect(computeViews(storeOf([v2({start: T, end: T})]), EMPTY_FILTER).window).toEqual({start: T, end: T});
	});

	it('is empty with no records: no span, no trend, nothing summed', () => {
		const views = computeViews(new FlowStore(), EMPTY_FILTER);
		expect(views.window).toBeUndefined();
		expect(views.talkers.pair).toEqual([]);
		expect(views.trend).toEqual([]);
		expect(views.totals).toEqual({bytes: 0, packets: 0, flows: 0});
	});

	it("looks at the newest seconds only when asked, up to the store's clock", () => {
		// The clock is at B+160: the window from B+100 overlaps the buckets from B+60 on, and lists the rejects started in it.
		const views = computeViews(minutes(), EMPTY_FILTER, {windowSeconds: 60});
		expect(views.trend.map(point => point.start - B)).toEqual([60, 120]);
		expect(views.recentRejects.map(record => record.src)).toEqual(['198.51.100.3']);
	});

	it('or up to where it is told to end, as when the clock runs ahead of late records', () => {
		// From B+60: not the bucket that ends there, nor a reject that started before it and ended after.
		const views = computeViews(minutes(), EMPTY_FILTER, {windowSeconds: 60, windowEnd: B + 120});
		expect(views.trend.map(point => point.start - B)).toEqual([60, 120]);
		expect(views.totals.flows).toBe(2);
		expect(views.recentRejects.map(record => record.src)).toEqual(['198.51.100.3', '198.51.100.2']);
	});
});

describe('records that leave fields out', () => {
	// No interface, so the first address is the first string the store keeps.
	const partial = () =>
		storeOf([
			v2({
				'interface-id': undefined,
				srcaddr: '10.0.0.1',
				dstaddr: '10.0.0.2',
				dstport: 22,
				action: 'REJECT',
				bytes: 40,
			}),
			v2({
				'interface-id': undefined,
				srcaddr: '10.0.0.2',
				dstaddr: '10.0.0.1',
				dstport: 23,
				action: 'REJECT',
				bytes: 60,
			}),
			v2({
				'interface-id': undefined,
				srcaddr: '10.0.0.2',
				dstaddr: '10.0.0.1',
				srcport: undefined,
				dstport: undefined,
				protocol: undefined,
				action: 'REJECT',
				bytes: 84,
			}),
			v2({srcaddr: undefined, dstaddr: '10.0.0.1', srcport: undefined, dstport: undefined, bytes: 1000}),
			v2({srcaddr: undefined, dstaddr: '10.0.0.2', dstport: 22, action: 'REJECT', bytes: 10}),
			v2({srcaddr: '10.0.0.3', dstaddr: undefined, protocol: undefined, srcport: 40_000, dstport: 8080, bytes: 500}),
		]);

	it('count toward the lists of what they carry', () => {
		const views = computeViews(partial(), EMPTY_FILTER);
		expect(views.talkers.pair.map(row => `${row.src}>${row.dst} ${row.bytes}`)).toEqual([
			'10.0.0.2>10.0.0.1 144',
			'10.0.0.1>10.0.0.2 40',
		]);
		expect(views.talkers.src.map(row => `${row.src} ${row.bytes}`)).toEqual([
			'10.0.0.3 500',
			'10.0.0.2 144',
			'10.0.0.1 40',
		]);
		expect(views.talkers.dst.map(row => `${row.dst} ${row.bytes}`)).toEqual(['10.0.0.1 1144', '10.0.0.2 50']);
		expect(views.protocols.map(row => row.protocol)).toEqual([6]);
		expect(views.services.map(row => `${row.port}/${row.protocol}`)).toEqual(['23/6', '22/6']);
		expect(views.enis.map(row => row.eni)).toEqual(['eni-0aaa']);
	});

	it('count their rejects by what they carry', () => {
		const views = computeViews(partial(), EMPTY_FILTER);
		expect(views.rejectsBySource).toMatchObject([
			{src: '10.0.0.2', flows: 2, ports: 1, enis: 0},
			{src: '10.0.0.1', flows: 1, ports: 1, enis: 0},
		]);
		expect(views.rejectsByTarget.map(row => [row.dst, row.port, row.protocol, row.sources])).toEqual([
			['10.0.0.2', 22, 6, 1],
			['10.0.0.1', undefined, undefined, 1],
			['10.0.0.1', 23, 6, 1],
		]);
		expect(views.rejectsByEni).toEqual([{eni: 'eni-0aaa', bytes: 10, packets: 10, flows: 1, rejects: 1}]);
	});

	it('are kept by a filter on what they carry', () => {
		expect(computeViews(partial(), parseFilter('10.0.0.1')).totals.flows).toBe(4);
	});

	it('count the ports of a rejected source that names no destination', () => {
		const views = computeViews(storeOf([v2({dstaddr: undefined, dstport: 22, action: 'REJECT'})]), EMPTY_FILTER);
		expect(views.rejectsBySource).toMatchObject([{src: '10.0.1.5', ports: 1, enis: 1}]);
		expect(views.rejectsByTarget).toEqual([]);
	});
});

describe('the sections asked for', () => {
	const listed = (views: Views) =>
		Object.entries({
			pairs: views.talkers.pair,
			sources: views.talkers.src,
			destinations: views.talkers.dst,
			rejects: [...views.rejectsBySource, ...views.rejectsByTarget, ...views.rejectsByEni],
			protocols: views.protocols,
			services: views.services,
			enis: views.enis,
		})
			.filter(([, rows]) => rows.length > 0)
			.map(([section]) => section);

	it('are all of them by default; the report asks for pairs, rejects and protocols, with the totals whole', () => {
		expect(listed(computeViews(traffic, EMPTY_FILTER))).toEqual([...ALL_SECTIONS]);
		const report = computeViews(traffic, EMPTY_FILTER, {sections: REPORT_SECTIONS});
		expect(listed(report)).toEqual(['pairs', 'rejects', 'protocols']);
		expect(report.totals).toEqual(computeViews(traffic, EMPTY_FILTER).totals);
		expect(report.trend).toEqual(computeViews(traffic, EMPTY_FILTER).trend);
	});

	it('leave out what the memory bound folded too', () => {
		expect(listed(computeViews(pastTheBound(), EMPTY_FILTER, {sections: new Set(['protocols'])}))).toEqual([
			'protocols',
		]);
	});
});

/** Four rejected sources where the bound keeps two conversations: the two smallest lose their addresses. */
function pastTheBound(): FlowStore {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 2});
	store.add(
		records([1, 2, 3, 4].map(i => v2({srcaddr: `10.0.0.${i}`, dstport: 22, bytes: 100 * i, action: 'REJECT'}))),
	);
	return store;
}

describe('past the memory bound', () => {
	it('the lists still rank the folded conversations by address', () => {
		const views = computeViews(pastTheBound(), EMPTY_FILTER);
		expect(views.talkers.src.map(row => `${row.src} ${row.bytes}`)).toEqual([
			'10.0.0.4 400',
			'10.0.0.3 300',
			'10.0.0.2 200',
			'10.0.0.1 100',
		]);
		expect(views.rejectsBySource.map(row => `${row.src} ${row.flows} ${row.lastSeen - T}`)).toEqual([
			'10.0.0.1 1 60',
			'10.0.0.2 1 60',
			'10.0.0.3 1 60',
			'10.0.0.4 1 60',
		]);
	});

	it('a pair light in memory and heavy on disk takes the top with both sums', () => {
		const spilled = mkdtempSync(join(tmpdir(), 'flowtop-views-test-'));
		try {
			const store = new FlowStore({
				windowSeconds: Number.POSITIVE_INFINITY,
				spill: {directory: () => spilled, writer: 'whole'},
			});
			store.add(
				records([
					v2({srcaddr: '10.0.0.1', dstaddr: '10.0.9.9', bytes: 10}),
					...Array.from({length: 12}, (_, i) => v2({srcaddr: `10.0.1.${i}`, dstaddr: '10.0.9.9', bytes: 500 - i})),
				]),
			);
			const {strings} = store;
			store.spill!.add(strings.find('10.0.0.1'), strings.find('10.0.9.9'), false, 1000, 1, 1, T + 60);
			store.spill!.flush();
			const [top] = computeViews(store, EMPTY_FILTER, {limit: 1}).talkers.pair;
			expect(top).toMatchObject({src: '10.0.0.1', bytes: 1010});
		} finally {
			rmSync(spilled, {recursive: true, force: true});
		}
	});

	it('a filter cannot see the folded ones, whose interface and ports are gone: the lists leave them out, the totals keep them', () => {
		const views = computeViews(pastTheBound(), parseFilter('eni-0aaa'));
		expect(views.talkers.src.map(row => row.src)).toEqual(['10.0.0.4', '10.0.0.3']);
		expect(views.totals.flows).toBe(4);
	});
});

describe('the filter', () => {
	it('narrows every view at once', () => {
		const views = computeViews(traffic, parseFilter('10.0.2.9 port:22'));
		expect(views.totals.flows).toBe(2);
		expect(views.talkers.pair.map(row => row.src)).toEqual(['198.51.100.9', '192.0.2.1']);
		expect(views.rejectsBySource.map(row => row.src)).toEqual(['192.0.2.1', '198.51.100.9']);
		expect(views.protocols).toHaveLength(1);
		expect(views.recentRejects).toHaveLength(2);
	});

	it("keeps a service's replies on a filter by its port", () => {
		const store = storeOf([v2({srcport: 443, dstport: 50_001}), v2({srcport: 50_001, dstport: 8080})]);
		expect(computeViews(store, parseFilter('port:443')).totals.flows).toBe(1);
	});

	it('narrows to one conversation with src: and dst:', () => {
		const views = computeViews(traffic, parseFilter('src:10.0.1.5 dst:10.0.2.9'));
		expect(views.talkers.pair.map(row => `${row.src}>${row.dst}`)).toEqual(['10.0.1.5>10.0.2.9']);
		expect(views.totals.flows).toBe(2);
	});

	it('leaves the ENI list whole, so the picker can widen a narrowed view', () => {
		expect(computeViews(traffic, parseFilter('eni-0ccc')).enis.map(row => row.eni)).toEqual([
			'eni-0aaa',
			'eni-0bbb',
			'eni-0ccc',
		]);
	});
});

describe('lists hundreds of rows long', () => {
	// A scan of 300 ports of one host, each port on its own interface, tried by two sources.
	const scan = () =>
		storeOf(
			Array.from({length: 300}, (_, i) =>
				[i, (i + 1) % 300].map(from =>
					v2({
						'interface-id': `eni-${i}`,
						srcaddr: `198.51.${from >> 8}.${from & 255}`,
						dstaddr: '10.0.0.9',
						dstport: 1000 + i,
						action: 'REJECT',
					}),
				),
			).flat(),
		);

	it('keep the counts of every row apart', () => {
		const views = computeViews(scan(), EMPTY_FILTER, {limit: 300});
		expect(views.rejectsByTarget).toHaveLength(300);
		expect(views.rejectsByTarget.filter(row => row.flows !== 2 || row.sources !== 2)).toEqual([]);
		expect(views.rejectsBySource).toHaveLength(300);
		expect(
			views.rejectsBySource.filter(
				row => row.flows !== 2 || row.ports !== 2 || row.enis !== 2 || row.lastSeen !== T + 60,
			),
		).toEqual([]);
		expect(views.enis).toHaveLength(300);
		expect(views.enis.filter(row => row.flows !== 2 || row.rejects !== 2)).toEqual([]);
	});
});
