import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER, parseFilter} from '../../source/engine/filter.js';
import {FlowStore} from '../../source/engine/store.js';
import {computeViews} from '../../source/engine/views.js';
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

	it('cut to the limit', () => {
		expect(computeViews(traffic, EMPTY_FILTER, {limit: 2}).talkers.pair).toHaveLength(2);
	});
});

describe('rejected flows', () => {
	const views = computeViews(traffic, EMPTY_FILTER);

	it('by source, with distinct destination ports and interfaces', () => {
		expect(views.rejectsBySource).toEqual([
			{src: '198.51.100.9', flows: 3, packets: 3, bytes: 180, ports: 2, enis: 2, lastSeen: T + 150},
			{src: '192.0.2.1', flows: 1, packets: 1, bytes: 40, ports: 1, enis: 1, lastSeen: T + 60},
		]);
		expect(views.rejectTotals.flows).toBe(4);
	});

	it('by destination and port', () => {
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

	it('by interface, and the most recent records', () => {
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

describe('protocols and services', () => {
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

describe('trend', () => {
	it('has one point per bucket, empty ones included', () => {
		const trend = computeViews(traffic, EMPTY_FILTER).trend;
		expect(trend.map(point => [point.start - T + 20, point.rejects])).toEqual([
			[0, 3],
			[60, 0],
			[120, 1],
		]);
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
