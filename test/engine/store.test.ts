import {describe, expect, it} from 'vitest';
import {FlowStore} from '../../source/engine/store.js';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {computeViews} from '../../source/engine/views.js';
import {records, v2} from '../helpers/lines.js';
import {parseFormatString} from '../../source/flowlog/format.js';

const T = 1_700_000_000;

function at(minute: number, values: Parameters<typeof v2>[0] = {}): string {
	return v2({start: T + minute * 60, end: T + minute * 60 + 59, ...values});
}

function flowsOf(store: FlowStore) {
	return [...store.flows()].map(flow => ({
		src: flow.src,
		dst: flow.dst,
		srcPort: flow.srcPort,
		dstPort: flow.dstPort,
		flows: flow.flows,
		bytes: flow.bytes,
		detail: flow.detail,
	}));
}

describe('the window', () => {
	it('drops buckets that fall out as newer records arrive, keeping the totals', () => {
		const store = new FlowStore({windowSeconds: 5 * 60});
		store.add(records([at(0, {bytes: 1}), at(1, {bytes: 2})]));
		store.add(records([at(10, {bytes: 4})]));
		expect([...store.flows()].map(flow => flow.bytes)).toEqual([4]);
		expect(store.totals.ok).toBe(3);
	});

	it('lets a bucket go once its last second is older than the window, and keeps a record from the first second of the window', () => {
		// Buckets are whole minutes: T - 20 starts one.
		const store = new FlowStore({windowSeconds: 2 * 60});
		store.add(records([v2({start: T - 20, end: T + 10}), v2({start: T + 40, end: T + 100})]));
		store.advanceTo(T + 160);
		expect(store.bucketsInWindow().map(bucket => bucket.start - T)).toEqual([40]);
		store.add(records([v2({start: T + 40, end: T + 41, bytes: 7})]));
		expect(store.tooOld).toBe(0);
	});

	it('keeps its buckets oldest first, whatever order the records came in', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(records([at(2), at(0), at(1)]));
		expect(store.bucketsInWindow().map(bucket => (bucket.start - (T - 20)) / 60)).toEqual([0, 1, 2]);
	});

	it('counts a record older than the window without keeping it', () => {
		const store = new FlowStore({windowSeconds: 5 * 60});
		store.add(records([at(10)]));
		store.add(records([at(1)]));
		expect(store.tooOld).toBe(1);
		expect(store.totals.ok).toBe(2);
		expect(store.size).toBe(1);
	});

	it('slides with the clock while no records arrive', () => {
		const store = new FlowStore({windowSeconds: 5 * 60});
		store.add(records([at(0)]));
		store.advanceTo(T + 4 * 60);
		expect(store.size).toBe(1);
		store.advanceTo(T + 7 * 60);
		expect(store.size).toBe(0);
	});

	it('keeps everything when the window is unbounded, widening buckets instead of growing them', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxBuckets: 4});
		store.add(records(Array.from({length: 10}, (_, minute) => at(minute, {bytes: 1}))));
		expect(store.bucketsInWindow().length).toBeLessThanOrEqual(4);
		expect(store.bucketSeconds).toBe(240);
		expect([...store.flows()].reduce((sum, flow) => sum + flow.bytes, 0)).toBe(10);
		expect(store.dataBounds()).toEqual({start: T, end: T + 9 * 60 + 59});
	});

	it('spans at most maxBuckets of time, however far apart two records lie', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(
			records([
				v2({start: 946_684_800, end: 946_684_860}),
				at(0),
				v2({start: Math.floor(Date.now() / 1000) - 60, end: Math.floor(Date.now() / 1000)}),
			]),
		);
		const buckets = store.bucketsInWindow();
		expect((buckets.at(-1)!.start - buckets[0]!.start) / store.bucketSeconds).toBeLessThan(1440);
		expect(store.totals.ok).toBe(3);
	});

	it('counts NODATA and SKIPDATA, and aggregates neither', () => {
		const store = new FlowStore();
		store.add(
			records([
				at(0),
				'2 123456789012 eni-0aaa - - - - - - - 1700000000 1700000060 - NODATA',
				'2 123456789012 eni-0aaa - - - - - - - 1700000000 1700000060 - SKIPDATA',
			]),
		);
		expect(store.totals).toEqual({ok: 1, nodata: 1, skipdata: 1});
		expect(store.windowCounts()).toEqual({ok: 1, nodata: 1, skipdata: 1});
		expect(store.size).toBe(1);
	});
});

describe('conversations', () => {
	it("fold an accepted client's ephemeral ports into one aggregate per service", () => {
		const store = new FlowStore();
		store.add(
			records([
				at(0, {srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', srcport: 40_001, dstport: 443}),
				at(0, {srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', srcport: 40_002, dstport: 443}),
				at(0, {srcaddr: '10.0.2.9', dstaddr: '10.0.1.5', srcport: 443, dstport: 40_001}),
				// The first port of the ephemeral range is a client's too.
				at(0, {srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', srcport: 1024, dstport: 443}),
			]),
		);
		expect(flowsOf(store)).toEqual([
			{src: '10.0.1.5', dst: '10.0.2.9', srcPort: undefined, dstPort: 443, flows: 3, bytes: 3000, detail: 'exact'},
			{src: '10.0.2.9', dst: '10.0.1.5', srcPort: 443, dstPort: undefined, flows: 1, bytes: 1000, detail: 'exact'},
		]);
	});

	it('keep both ports of rejected records: they are the evidence', () => {
		const store = new FlowStore();
		store.add(
			records([
				at(0, {srcaddr: '10.0.2.9', dstaddr: '10.0.1.5', srcport: 8080, dstport: 40_001, action: 'REJECT'}),
				at(0, {srcaddr: '10.0.2.9', dstaddr: '10.0.1.5', srcport: 8080, dstport: 40_002, action: 'REJECT'}),
			]),
		);
		expect(flowsOf(store).map(flow => flow.dstPort)).toEqual([40_001, 40_002]);
	});

	it('lose their ports past the memory bound, and the smallest their addresses at a quarter more, with totals still exact', () => {
		const store = new FlowStore({maxFlows: 2});
		store.add(
			records([1, 2, 3, 4].map(i => at(0, {srcaddr: `10.0.0.${i}`, dstport: 22, bytes: 100 * i, action: 'REJECT'}))),
		);
		expect(flowsOf(store).map(flow => [flow.src, flow.detail])).toEqual([
			[undefined, 'addresses'],
			['10.0.0.3', 'ports'],
			['10.0.0.4', 'ports'],
		]);
		expect(store.summarized).toBe(4);
		expect([...store.flows()].reduce((sum, flow) => sum + flow.flows, 0)).toBe(4);
		expect([...store.flows()].reduce((sum, flow) => sum + flow.bytes, 0)).toBe(1000);
	});

	describe('past a quarter more than the bound, keep their addresses in turn', () => {
		// A bound of 10 keeps 5 rows whole when the 13th row makes room: the biggest pair by bytes, by
		// records, and the most rejected source, in turn, each at the cost of its rows.
		const kept = (lines: string[]) => {
			const store = new FlowStore({maxFlows: 10});
			store.add(records(lines));
			expect(store.summarized).toBeGreaterThan(0);
			return flowsOf(store)
				.filter(flow => flow.detail !== 'addresses')
				.map(flow => `${flow.src}>${flow.dst}`)
				.sort();
		};

		const small = (count: number) =>
			Array.from({length: count}, (_, i) =>
				at(0, {srcaddr: `10.9.0.${i}`, dstaddr: '10.0.0.1', bytes: 20, packets: 1}),
			);

		it('a pair top by bytes and by records is taken once, leaving room for the next by bytes', () => {
			const lines = [
				at(0, {srcaddr: '10.0.0.10', dstaddr: '10.0.0.1', bytes: 9000}),
				...Array.from({length: 8}, () => at(0, {srcaddr: '10.0.0.10', dstaddr: '10.0.0.1', bytes: 0})),
				at(0, {srcaddr: '10.0.0.20', dstaddr: '10.0.0.1', bytes: 5000}),
				...[1, 2, 3].map(i =>
					at(0, {srcaddr: '198.51.100.7', dstaddr: `10.0.1.${i}`, bytes: 10, action: 'REJECT', dstport: 22}),
				),
				...[1, 2, 3].map(i =>
					at(0, {srcaddr: '198.51.100.7', dstaddr: `10.0.1.${i}`, bytes: 10, action: 'REJECT', dstport: 22}),
				),
				...small(8),
			];
			expect(kept(lines)).toEqual([
				'10.0.0.10>10.0.0.1',
				'10.0.0.20>10.0.0.1',
				'198.51.100.7>10.0.1.1',
				'198.51.100.7>10.0.1.2',
				'198.51.100.7>10.0.1.3',
			]);
		});

		it('the most rejected source keeps its rejected conversations, not its accepted ones, though each pair is small', () => {
			const lines = [
				at(0, {srcaddr: '10.0.0.10', dstaddr: '10.0.0.1', bytes: 9000}),
				...Array.from({length: 8}, () => at(0, {srcaddr: '10.0.0.10', dstaddr: '10.0.0.1', bytes: 0})),
				at(0, {srcaddr: '10.0.0.20', dstaddr: '10.0.0.1', bytes: 5000}),
				...[1, 2, 3, 4].flatMap(i =>
					[1, 2].map(() =>
						at(0, {srcaddr: '198.51.100.7', dstaddr: `10.0.1.${i}`, bytes: 10, action: 'REJECT', dstport: 22}),
					),
				),
				at(0, {srcaddr: '198.51.100.7', dstaddr: '10.0.0.2', bytes: 20}),
				...small(6),
			];
			expect(kept(lines)).toEqual([
				'10.0.0.10>10.0.0.1',
				'198.51.100.7>10.0.1.1',
				'198.51.100.7>10.0.1.2',
				'198.51.100.7>10.0.1.3',
				'198.51.100.7>10.0.1.4',
			]);
		});
	});

	it('seen again past the memory bound, sum into the row they have, in full detail', () => {
		const store = new FlowStore({maxFlows: 2});
		store.add(records([at(0, {srcaddr: '10.0.0.1'}), at(0, {srcaddr: '10.0.0.2'}), at(0, {srcaddr: '10.0.0.1'})]));
		expect(store.summarized).toBe(0);
		expect(flowsOf(store).map(flow => [flow.src, flow.flows, flow.detail])).toEqual([
			['10.0.0.1', 2, 'exact'],
			['10.0.0.2', 1, 'exact'],
		]);
	});

	it('lose both ports past the bound, and all but the biggest by bytes and the first by records their addresses from exactly a quarter more', () => {
		const store = new FlowStore({maxFlows: 4});
		store.add(records([1, 2, 3, 4, 5].map(i => at(0, {srcaddr: `10.0.0.${i}`, bytes: 100 * i, action: 'REJECT'}))));
		expect(flowsOf(store).map(({src, srcPort, dstPort, detail}) => ({src, srcPort, dstPort, detail}))).toEqual([
			{src: '10.0.0.1', srcPort: 44_321, dstPort: 443, detail: 'exact'},
			{src: undefined, srcPort: undefined, dstPort: undefined, detail: 'addresses'},
			{src: '10.0.0.5', srcPort: undefined, dstPort: undefined, detail: 'ports'},
		]);
	});

	it('never span more bucket widths than maxBuckets, even two records that far apart', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxBuckets: 2});
		store.add(records([at(0), at(2)]));
		expect(computeViews(store, EMPTY_FILTER).trend.length).toBeLessThanOrEqual(2);
	});

	it('keep a top talker that arrives past the memory bound, and the sums the lists rank by, exact', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 40});
		const scan = Array.from({length: 490}, (_, i) =>
			at(i % 5, {
				srcaddr: `198.51.${i >> 8}.${i & 255}`,
				dstaddr: '10.0.0.9',
				srcport: 50_000,
				dstport: 1 + i,
				bytes: 40,
				packets: 1,
				action: 'REJECT',
			}),
		);
		const scanner = Array.from({length: 60}, (_, i) =>
			at(i % 5, {
				srcaddr: '203.0.113.66',
				dstaddr: '10.0.0.9',
				srcport: 50_000,
				dstport: 1000 + i,
				bytes: 40,
				packets: 1,
				action: 'REJECT',
			}),
		);
		const big = Array.from({length: 5}, (_, i) =>
			at(6 + i, {srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', bytes: 200_000_000}),
		);
		// The scanner keeps at it while the others try once each.
		store.add(
			records(
				scan.flatMap((line, i) =>
					i % 7 === 3 && i / 7 < scanner.length ? [line, scanner[Math.floor(i / 7)]!] : [line],
				),
			),
		);
		store.add(records(big));
		const views = computeViews(store, EMPTY_FILTER, {limit: 3});
		expect(views.talkers.pair[0]).toMatchObject({src: '10.0.1.5', dst: '10.0.2.9', bytes: 1_000_000_000, flows: 5});
		expect(views.rejectsBySource[0]).toMatchObject({src: '203.0.113.66', flows: 60, bytes: 2400});
		expect(views.totals).toEqual({bytes: 1_000_000_000 + 550 * 40, packets: 550 + 50, flows: 555});
		expect(store.summarized).toBeGreaterThan(0);
		// The bound, and one folded row per bucket, interface, protocol and action.
		expect(store.size).toBeLessThanOrEqual(40 * 1.25 + store.bucketsInWindow().length);
	});
});

describe('interface profiles', () => {
	it('take the own address from v5 flow-direction, even with a single peer', () => {
		const store = new FlowStore();
		store.add(
			records(
				[
					'10.0.1.5 10.0.9.9 ingress eni-0one',
					'10.0.9.9 10.0.1.5 egress eni-0one',
					'10.0.1.5 10.0.9.9 ingress eni-0one',
				],
				parseFormatString('srcaddr dstaddr flow-direction interface-id'),
			),
		);
		expect(store.profiles.get('eni-0one')!.own).toEqual(['10.0.9.9']);
	});

	it('keep an own address per family for a dual-stack interface', () => {
		const store = new FlowStore();
		store.add(
			records([
				at(0, {srcaddr: '10.0.1.5', dstaddr: '10.0.2.1'}),
				at(0, {srcaddr: '10.0.2.2', dstaddr: '10.0.1.5'}),
				at(0, {srcaddr: '10.0.1.5', dstaddr: '10.0.2.3'}),
				at(0, {srcaddr: '2001:db8::5', dstaddr: '2001:db8::1'}),
				at(0, {srcaddr: '2001:db8::2', dstaddr: '2001:db8::5'}),
				at(0, {srcaddr: '2001:db8::5', dstaddr: '2001:db8::3'}),
			]),
		);
		expect(store.profiles.get('eni-0aaa')!.own).toEqual(['10.0.1.5', '2001:db8::5']);
	});
});

describe('recent rejects', () => {
	it('are kept newest first, and bounded', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(records(Array.from({length: 250}, (_, i) => at(0, {action: 'REJECT', bytes: i}))));
		const recent = store.recentRejects();
		expect(recent).toHaveLength(200);
		expect(recent[0]!.bytes).toBe(249);
		expect(recent.at(-1)!.bytes).toBe(50);
	});

	it('leave with the window: a reject that started before it is gone, one that started on its first second stays', () => {
		const store = new FlowStore({windowSeconds: 2 * 60});
		store.add(
			records([
				v2({srcaddr: '198.51.100.1', action: 'REJECT', start: T, end: T + 100}),
				v2({srcaddr: '198.51.100.2', action: 'REJECT', start: T + 100, end: T + 110}),
			]),
		);
		store.advanceTo(T + 220);
		expect(store.recentRejects().map(record => record.src)).toEqual(['198.51.100.2']);
	});

	it('keep the interface, addresses and reject reason a record carried, and nothing for those it did not', () => {
		const store = new FlowStore();
		const format = parseFormatString('interface-id srcaddr dstaddr start end action log-status reject-reason');
		store.add(
			records([`eni-0a 198.51.100.1 10.0.0.5 ${T} ${T + 5} REJECT OK BPA`, `- - - ${T} ${T + 5} REJECT OK -`], format),
		);
		expect(store.recentRejects().map(({eni, src, dst, rejectReason}) => ({eni, src, dst, rejectReason}))).toEqual([
			{eni: undefined, src: undefined, dst: undefined, rejectReason: undefined},
			{eni: 'eni-0a', src: '198.51.100.1', dst: '10.0.0.5', rejectReason: 'BPA'},
		]);
	});
});

describe('interface gaps', () => {
	const skipped = (minute: number, eni = 'eni-0aaa') =>
		v2({
			'interface-id': eni,
			start: T + minute * 60,
			end: T + minute * 60 + 59,
			'log-status': 'SKIPDATA',
			srcaddr: '-',
			dstaddr: '-',
			srcport: '-',
			dstport: '-',
			protocol: '-',
			packets: '-',
			bytes: '-',
			action: '-',
		});

	function skippedOf(store: FlowStore): Array<[string, number]> {
		const sums = new Map<string, number>();
		for (const bucket of store.bucketsInWindow()) {
			for (const [eni, gap] of bucket.gaps.skipped) {
				sums.set(eni, (sums.get(eni) ?? 0) + gap.records);
			}
		}

		return [...sums];
	}

	it('keep the span an interface was silent, through a widening of buckets, and nothing for a record naming no interface', () => {
		const nodata = (minute: number, eni = 'eni-0aaa') =>
			`2 123456789012 ${eni} - - - - - - - ${T + minute * 60} ${T + minute * 60 + 59} - NODATA`;
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxBuckets: 2});
		store.add(records([nodata(1), nodata(0), nodata(3), nodata(2, '-')]));
		const gaps = store.bucketsInWindow().map(bucket => bucket.gaps.part());
		expect(gaps).toEqual([
			{skipped: [], silent: [['eni-0aaa', {records: 2, first: T, last: T + 119}]]},
			{skipped: [], silent: [['eni-0aaa', {records: 1, first: T + 180, last: T + 239}]]},
		]);
		expect(store.windowCounts()).toEqual({ok: 0, nodata: 4, skipdata: 0});
	});

	it('are kept per interface beside the conversations, through a merge of stores and a widening of buckets', () => {
		const first = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxBuckets: 2});
		first.add(records([skipped(0), skipped(1)]));
		const second = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		second.add(records([skipped(2), skipped(3, 'eni-0bbb')]));
		first.absorb(structuredClone(second.part()));
		expect(skippedOf(first)).toEqual([
			['eni-0aaa', 3],
			['eni-0bbb', 1],
		]);
	});
});

describe('a conversation read as an object', () => {
	const FORMAT = parseFormatString(
		'interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction',
	);
	const read = (line: string) => {
		const store = new FlowStore();
		store.add(records([line], FORMAT));
		const [flow] = [...store.flows()];
		return flow;
	};

	it('names the action and the flow-direction the record gave', () => {
		expect(read(`eni-0a 10.0.0.1 10.0.0.2 22 40001 6 1 10 ${T} ${T + 5} ACCEPT OK ingress`)).toMatchObject({
			action: 'ACCEPT',
			direction: 'inbound',
		});
		expect(read(`eni-0a 10.0.0.1 10.0.0.2 22 40001 6 1 10 ${T} ${T + 5} REJECT OK egress`)).toMatchObject({
			action: 'REJECT',
			direction: 'outbound',
		});
	});

	it('makes no interface profile of a record that names no interface', () => {
		const store = new FlowStore();
		store.add(records([`- 10.0.0.1 10.0.0.2 - - - 1 10 ${T} ${T} - OK -`], FORMAT));
		expect(store.profiles.size).toBe(0);
	});

	it('leaves out what the record did not carry', () => {
		expect(read(`- 10.0.0.1 - - - - 1 10 ${T} ${T} - OK -`)).toEqual({
			eni: undefined,
			src: '10.0.0.1',
			dst: undefined,
			srcPort: undefined,
			dstPort: undefined,
			protocol: undefined,
			action: undefined,
			direction: undefined,
			detail: 'exact',
			bytes: 10,
			packets: 1,
			flows: 1,
			first: T,
			last: T,
			tcpFlags: 0,
		});
	});

	it('spans the earliest start to the latest end of its records, whatever order they came in', () => {
		const store = new FlowStore();
		store.add(
			records([v2({start: T + 20, end: T + 30}), v2({start: T + 5, end: T + 50}), v2({start: T + 10, end: T + 40})]),
		);
		expect([...store.flows()].map(flow => [flow.first - T, flow.last - T, flow.flows])).toEqual([[5, 50, 3]]);
	});

	it('keeps port 0 and protocol 0, which are values and not absences', () => {
		expect(read(`eni-0a 10.0.0.1 10.0.0.2 0 0 0 1 10 ${T} ${T + 5} REJECT OK -`)).toMatchObject({
			srcPort: 0,
			dstPort: 0,
			protocol: 0,
		});
	});
});

describe('the clock and the bounds', () => {
	it('bounds a window of one instant record', () => {
		const store = new FlowStore();
		store.add(records([v2({start: T, end: T})]));
		expect(store.dataBounds()).toEqual({start: T, end: T});
		expect(new FlowStore().dataBounds()).toBeUndefined();
	});

	it('changes version only when the clock moves forward', () => {
		const store = new FlowStore();
		store.add(records([at(0)]));
		const {version} = store;
		store.advanceTo(store.now);
		store.advanceTo(store.now - 60);
		expect(store.version).toBe(version);
		store.advanceTo(store.now + 1);
		expect(store.version).toBeGreaterThan(version);
	});

	it('changes version on an add that folded conversations past the memory bound', () => {
		const store = new FlowStore({maxFlows: 2});
		store.add(records([at(0, {srcaddr: '10.0.0.1'}), at(0, {srcaddr: '10.0.0.2'})]));
		const before = store.version;
		store.add(records([at(0, {srcaddr: '10.0.0.3'})]));
		expect(store.bucketsInWindow()[0]!.folded.size).toBeGreaterThan(0);
		expect(store.version).toBeGreaterThan(before);
	});

	it('only ever raises its memory bound', () => {
		const store = new FlowStore({maxFlows: 100});
		store.raiseFlowLimit(50);
		expect(store.flowLimit).toBe(100);
		store.raiseFlowLimit(400);
		expect(store.flowLimit).toBe(400);
	});
});

describe('many conversations', () => {
	const many = (count: number, minute = 0) =>
		Array.from({length: count}, (_, i) =>
			at(minute, {srcaddr: `10.0.${i >> 8}.${i & 255}`, dstport: 22, action: 'REJECT'}),
		);

	it('sum a conversation seen again into its row, however many there are', () => {
		const store = new FlowStore();
		store.add(records(many(300)));
		store.add(records(many(300)));
		expect(store.size).toBe(300);
		expect([...store.flows()].every(flow => flow.flows === 2)).toBe(true);
	});

	it('are told apart by any one field, however many differ in that field only', () => {
		const apart = {
			dst: (i: number) => ({dstaddr: `10.1.${i >> 8}.${i & 255}`}),
			eni: (i: number) => ({'interface-id': `eni-${i}`}),
			dstport: (i: number) => ({dstport: 1 + i}),
			srcport: (i: number) => ({srcport: 1 + i}),
			protocol: (i: number) => ({protocol: i, srcport: 7, dstport: 7}),
		};
		for (const [field, value] of Object.entries(apart)) {
			const lines = Array.from({length: 256}, (_, i) => at(0, {action: 'REJECT', ...value(i)}));
			const store = new FlowStore();
			store.add(records([...lines, ...lines]));
			expect({field, size: store.size, twice: [...store.flows()].every(flow => flow.flows === 2)}).toEqual({
				field,
				size: 256,
				twice: true,
			});
		}
	});

	it('sum into their rows after a merge of stores, however many there are', () => {
		const first = new FlowStore();
		first.add(records(many(10, 5)));
		const second = new FlowStore();
		second.add(records(many(300)));
		first.absorb(structuredClone(second.part()));
		first.add(records(many(300)));
		expect(first.size).toBe(310);
		expect([...first.flows()].map(flow => flow.flows).sort()).toEqual([
			...Array.from({length: 10}, () => 1),
			...Array.from({length: 300}, () => 2),
		]);
	});
});

describe('the sums the memory bound folded by address', () => {
	/** What the lists rank: the sums by pair, by source and by destination, and the rejected sources. */
	const ranked = (store: FlowStore) => {
		const views = computeViews(store, EMPTY_FILTER, {limit: 10_000});
		return {talkers: views.talkers, rejectsBySource: views.rejectsBySource.map(({ports, enis, ...sums}) => sums)};
	};

	const whole = (lines: string[]) => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(records(lines));
		return store;
	};

	it('keep the latest time a folded source was rejected', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 2});
		const lines = [
			at(0, {srcaddr: '10.0.0.1', dstport: 22, action: 'REJECT', start: T + 10, end: T + 50}),
			at(0, {srcaddr: '10.0.0.1', dstport: 23, action: 'REJECT', start: T + 5, end: T + 30}),
			...[2, 3, 4].map(i => at(0, {srcaddr: `10.0.0.${i}`, dstport: 22, bytes: 5000, action: 'REJECT'})),
		];
		store.add(records(lines));
		expect(store.summarized).toBeGreaterThan(0);
		expect(ranked(store)).toEqual(ranked(whole(lines)));
		expect(computeViews(store, EMPTY_FILTER).rejectsBySource[0]).toMatchObject({src: '10.0.0.1', lastSeen: T + 50});
	});

	it('stay whole when buckets widen', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 2, maxBuckets: 2});
		const lines = [
			...[1, 2, 3, 4].map(i => at(0, {srcaddr: `10.0.0.${i}`, dstport: 22, bytes: 100 * i, action: 'REJECT'})),
			at(5, {srcaddr: '10.0.0.9', bytes: 50}),
		];
		store.add(records(lines));
		expect(store.bucketSeconds).toBeGreaterThan(60);
		expect(ranked(store)).toEqual(ranked(whole(lines)));
	});

	it('keep a pair with one address unknown, in the store that folded it and through a merge of stores', () => {
		// With no interface named, the first address is the first string the store keeps.
		const lines = [
			...[1, 2, 3, 4].map(i =>
				at(0, {
					'interface-id': undefined,
					srcaddr: undefined,
					dstaddr: `10.0.0.${i}`,
					bytes: 100 * i,
					action: 'REJECT',
				}),
			),
			...[1, 2, 3, 4].map(i =>
				at(0, {
					'interface-id': undefined,
					srcaddr: `10.0.0.${i}`,
					dstaddr: undefined,
					bytes: 100 * i,
					action: 'REJECT',
				}),
			),
		];
		const range = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 2});
		range.add(records(lines));
		expect(range.bucketsInWindow()[0]!.folded.size).toBeGreaterThan(0);
		expect(ranked(range)).toEqual(ranked(whole(lines)));
		const views = computeViews(range, EMPTY_FILTER);
		const sums = ['10.0.0.4 400', '10.0.0.3 300', '10.0.0.2 200', '10.0.0.1 100'];
		expect(views.talkers.src.map(row => `${row.src} ${row.bytes}`)).toEqual(sums);
		expect(views.talkers.dst.map(row => `${row.dst} ${row.bytes}`)).toEqual(sums);
		expect(views.talkers.pair).toEqual([]);
		expect(views.rejectsBySource.map(row => row.src)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
		const first = at(0, {'interface-id': 'eni-0first', srcaddr: '10.0.9.9', dstaddr: '10.0.9.8'});
		const merged = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 2});
		merged.add(records([first]));
		merged.absorb(structuredClone(range.part()));
		expect(ranked(merged)).toEqual(ranked(whole([first, ...lines])));
	});

	it('keep their addresses, as the interfaces do, when the store forgets the addresses that left the window', () => {
		const web = [
			...Array.from({length: 800}, (_, i) =>
				at(4, {
					srcaddr: `192.168.${i >> 8}.${i & 255}`,
					dstaddr: '10.0.2.9',
					bytes: 1 + i,
					action: i % 3 === 0 ? 'REJECT' : 'ACCEPT',
				}),
			),
			at(8, {srcaddr: '10.0.1.5', dstaddr: '10.0.2.9'}),
		];
		// A first record and a scan of 50 001 address pairs never seen again, a few minutes older (the
		// scan read when the bound had room for it): once the window lets go of them, the store forgets
		// their strings and renumbers the others.
		const scan = Array.from({length: 50_001}, (_, i) =>
			at(0, {
				'interface-id': 'eni-0scan',
				srcaddr: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
				dstaddr: `172.16.${(i >> 8) & 255}.${i & 255}`,
				action: 'REJECT',
			}),
		);
		const store = new FlowStore({windowSeconds: 5 * 60, maxFlows: 100});
		// The store's first strings stay in use, by a later conversation alone.
		const first = at(4, {'interface-id': undefined, srcaddr: '10.253.0.1', dstaddr: '10.253.0.2'});
		store.add(records([first]));
		store.add(
			records([
				at(0, {'interface-id': undefined, srcaddr: '10.255.0.1', dstaddr: '10.255.0.2'}),
				...[1, 2, 3].map(i => at(0, {'interface-id': 'eni-0old', srcaddr: '10.254.0.1', dstaddr: `10.254.1.${i}`})),
			]),
		);
		store.add(records(web.slice(0, -1)));
		expect(store.bucketsInWindow().at(-1)!.folded.size).toBeGreaterThan(0);
		store.raiseFlowLimit(100_000);
		store.add(records(scan));
		const before = store.strings.size;
		// The clock alone lets the scan go.
		store.advanceTo(T + 8 * 60);
		expect(store.strings.size).toBeLessThan(before / 10);
		store.add(records(web.slice(-1)));
		const reference = new FlowStore({windowSeconds: 5 * 60});
		reference.add(records([first, ...web]));
		expect(ranked(store)).toEqual(ranked(reference));
		expect(store.profiles.get('eni-0aaa')).toMatchObject({records: 801, own: ['10.0.2.9']});
		// An interface outlives the window's records: its own address, now in no conversation, stays.
		expect(store.profiles.get('eni-0old')).toMatchObject({records: 3, own: ['10.254.0.1']});
		expect([...store.profiles.all()].map(profile => profile.eni)).toEqual(['eni-0old', 'eni-0aaa', 'eni-0scan']);
	});
});
