import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {FlowStore, partBuffers, type StoreOptions} from '../../source/engine/store.js';
import {computeViews} from '../../source/engine/views.js';
import {parseFormatString, formatLine} from '../../source/flowlog/format.js';
import {records} from '../helpers/lines.js';
import {fuzz} from '../fuzz/settings.js';

/**
 * A file read in ranges on several threads is one store per range, merged: whatever the records
 * and wherever the file is cut, the merged store must read exactly as the store of the whole.
 */

const FORMAT = parseFormatString(
	'version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction',
);
const T = 1_700_000_000;

// Few values, so conversations repeat and buckets are shared across the cut. At most four
// addresses per family: an interface's address tally is a four-counter sketch, exact up to four,
// and an approximation (order-dependent, in one pass too) past them.
const line = fc
	.record({
		eni: fc.constantFrom('eni-0aaa', 'eni-0bbb', 'eni-0ccc'),
		ends: fc.oneof(
			fc.tuple(fc.constantFrom('10.0.0.1', '10.0.0.2', '203.0.113.9'), fc.constantFrom('10.0.0.1', '10.0.0.3')),
			fc.tuple(fc.constant('2001:db8::1'), fc.constant('2001:db8::2')),
		),
		srcPort: fc.constantFrom(443, 22, 40_000, 51_515),
		dstPort: fc.constantFrom(443, 5432, 33_000),
		protocol: fc.constantFrom(6, 17, 1),
		bytes: fc.integer({min: 0, max: 1_000_000}),
		minute: fc.integer({min: 0, max: 180}),
		action: fc.constantFrom('ACCEPT', 'REJECT'),
		status: fc.constantFrom('OK', 'OK', 'OK', 'NODATA'),
		direction: fc.constantFrom('ingress', 'egress', undefined),
	})
	.map(r =>
		formatLine(
			{
				version: 5,
				'interface-id': r.eni,
				srcaddr: r.ends[0],
				dstaddr: r.ends[1],
				srcport: r.srcPort,
				dstport: r.dstPort,
				protocol: r.protocol,
				packets: 1 + (r.bytes % 7),
				bytes: r.bytes,
				start: T + r.minute * 60,
				end: T + r.minute * 60 + 59,
				action: r.action,
				'log-status': r.status,
				'flow-direction': r.direction,
			},
			FORMAT,
		),
	);

/** Everything a report or a pane reads from a store. */
function reading(store: FlowStore) {
	const flows = [...store.flows()].map(flow => JSON.stringify(flow)).sort();
	const profiles = [...store.profiles.all()].map(profile => ({...profile})).sort((a, b) => a.eni.localeCompare(b.eni));
	return {
		views: computeViews(store, EMPTY_FILTER, {limit: 1000}),
		flows,
		profiles,
		recentRejects: store.recentRejects(),
		totals: store.totals,
		windowCounts: store.windowCounts(),
		bounds: store.dataBounds(),
		bucketSeconds: store.bucketSeconds,
		size: store.size,
		summarized: store.summarized,
	};
}

function merged(parts: string[][], options: StoreOptions): FlowStore {
	const [first, ...rest] = parts.map(part => {
		const store = new FlowStore(options);
		store.add(records(part, FORMAT));
		return store;
	});
	for (const store of rest) {
		// As a worker sends it: a structured clone.
		first!.absorb(structuredClone(store.part()));
	}

	return first!;
}

function cuts(length: number) {
	return fc.uniqueArray(fc.integer({min: 0, max: length}), {maxLength: 3}).map(points => points.sort((a, b) => a - b));
}

function split<T>(items: readonly T[], points: readonly number[]): T[][] {
	return [0, ...points].map((start, i) => items.slice(start, points[i] ?? items.length));
}

describe('stores read in ranges and merged', () => {
	it('read exactly as one store of the whole, wherever the input is cut', () => {
		const options = {windowSeconds: Number.POSITIVE_INFINITY};
		fc.assert(
			fc.property(
				fc.array(line, {maxLength: 300}).chain(lines => fc.tuple(fc.constant(lines), cuts(lines.length))),
				([lines, points]) => {
					const whole = new FlowStore(options);
					whole.add(records(lines, FORMAT));
					expect(reading(merged(split(lines, points), options))).toEqual(reading(whole));
				},
			),
			fuzz(150),
		);
	});

	it('agree on the bucket width when a range had to widen its buckets and another did not', () => {
		const options = {windowSeconds: Number.POSITIVE_INFINITY, maxBuckets: 8};
		fc.assert(
			fc.property(
				fc
					.array(line, {minLength: 20, maxLength: 200})
					.chain(lines => fc.tuple(fc.constant(lines), cuts(lines.length))),
				([lines, points]) => {
					const whole = new FlowStore(options);
					whole.add(records(lines, FORMAT));
					expect(reading(merged(split(lines, points), options))).toEqual(reading(whole));
				},
			),
			fuzz(100),
		);
	});

	it('keep to the memory bound: past it conversations are summarized, the totals stay exact', () => {
		const lines = Array.from({length: 400}, (_, i) =>
			formatLine(
				{
					version: 5,
					'interface-id': 'eni-0aaa',
					srcaddr: `10.1.${i >> 8}.${i & 255}`,
					dstaddr: '10.0.0.1',
					srcport: 40_000 + i,
					dstport: 443,
					protocol: 6,
					packets: 1,
					bytes: 100,
					start: T,
					end: T + 59,
					action: 'REJECT',
					'log-status': 'OK',
					'flow-direction': 'ingress',
				},
				FORMAT,
			),
		);
		const halves = split(lines, [200]).map(part => {
			const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 50});
			store.add(records(part, FORMAT));
			return store;
		});
		halves[0]!.raiseFlowLimit(100);
		halves[0]!.absorb(structuredClone(halves[1]!.part()));
		const views = computeViews(halves[0]!, EMPTY_FILTER);
		expect(views.totals).toEqual({bytes: 40_000, packets: 400, flows: 400});
		// As one store with the whole bound: full detail up to it, a quarter more without ports,
		// then one row per interface, protocol and action.
		expect(halves[0]!.size).toBeLessThanOrEqual(125 + 1);
		const coarse = [...halves[0]!.flows()].filter(flow => flow.detail !== 'exact');
		expect(halves[0]!.summarized).toBe(coarse.reduce((sum, flow) => sum + flow.flows, 0));
		expect(halves[0]!.summarized).toBeGreaterThan(0);
	});
});

describe('what a range counted beside its conversations', () => {
	const at = (minute: number, status = 'OK') =>
		formatLine(
			{
				version: 5,
				'interface-id': 'eni-0aaa',
				srcaddr: status === 'OK' ? `10.1.0.${minute}` : undefined,
				dstaddr: status === 'OK' ? '10.0.0.1' : undefined,
				packets: status === 'OK' ? 1 : undefined,
				bytes: status === 'OK' ? 100 : undefined,
				start: T + minute * 60,
				end: T + minute * 60 + 59,
				'log-status': status,
			},
			FORMAT,
		);

	it('adds up through a merge: skipped records, records too old for the window, and the clock stays at the latest', () => {
		const later = new FlowStore({windowSeconds: 5 * 60});
		later.add(records([at(20), at(21, 'SKIPDATA')], FORMAT));
		const earlier = new FlowStore({windowSeconds: 5 * 60});
		earlier.add(records([at(10), at(11, 'SKIPDATA')], FORMAT));
		earlier.add(records([at(1)], FORMAT));
		expect(earlier.tooOld).toBe(1);
		const versionBefore = later.version;
		later.absorb(structuredClone(earlier.part()));
		expect(later.totals).toEqual({ok: 3, nodata: 0, skipdata: 2});
		expect(later.tooOld).toBe(1);
		expect(later.now).toBe(T + 21 * 60 + 59);
		// Views cache on the version: a merge moves it on.
		expect(later.version).toBeGreaterThan(versionBefore);
	});

	it('stays in the window counts when buckets are shared in a merge, or widen', () => {
		const first = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxBuckets: 2});
		first.add(records([at(1, 'SKIPDATA'), at(2)], FORMAT));
		const second = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		second.add(records([at(1, 'SKIPDATA')], FORMAT));
		first.absorb(structuredClone(second.part()));
		expect(first.windowCounts()).toEqual({ok: 1, nodata: 0, skipdata: 2});
		first.add(records([at(3)], FORMAT));
		expect(first.bucketSeconds).toBe(120);
		expect(first.windowCounts()).toEqual({ok: 2, nodata: 0, skipdata: 2});
	});

	it('is summed row by row, within the memory bound, when taking a later range whole would pass it', () => {
		const line = (minute: number, host: number) =>
			formatLine(
				{
					version: 5,
					'interface-id': 'eni-0aaa',
					srcaddr: `10.1.${host >> 8}.${host & 255}`,
					dstaddr: '10.0.0.1',
					srcport: 50_000,
					dstport: 22,
					protocol: 6,
					packets: 1,
					bytes: 100,
					start: T + minute * 60,
					end: T + minute * 60 + 59,
					action: 'REJECT',
					'log-status': 'OK',
				},
				FORMAT,
			);
		const first = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 100});
		first.add(
			records(
				Array.from({length: 80}, (_, i) => line(0, i)),
				FORMAT,
			),
		);
		const second = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 100});
		second.add(
			records(
				Array.from({length: 60}, (_, i) => line(1, 100 + i)),
				FORMAT,
			),
		);
		first.absorb(structuredClone(second.part()));
		expect(first.summarized).toBeGreaterThan(0);
		expect(first.size).toBeLessThanOrEqual(100 * 1.25 + 2);
		expect(computeViews(first, EMPTY_FILTER).totals.flows).toBe(140);
	});
});

describe('a part handed to another thread', () => {
	const reject = (i: number) =>
		formatLine(
			{
				version: 5,
				'interface-id': 'eni-0aaa',
				srcaddr: `198.51.100.${i % 250}`,
				dstaddr: '10.0.0.1',
				srcport: 50_000,
				dstport: i,
				protocol: 6,
				packets: 1,
				bytes: 40,
				start: T + (i % 3) * 60,
				end: T + (i % 3) * 60 + 1,
				action: 'REJECT',
				'log-status': 'OK',
			},
			FORMAT,
		);

	it('moves its columns rather than copying them, and reads there as here', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(
			records(
				Array.from({length: 20}, (_, i) => reject(i)),
				FORMAT,
			),
		);
		const expected = computeViews(store, EMPTY_FILTER);
		const part = store.part();
		const sent = structuredClone(part, {transfer: partBuffers(part)});
		expect(part.buckets.flatMap(({rows}) => [rows.src, rows.bytes].map(column => column.byteLength))).toEqual(
			Array.from({length: 6}, () => 0),
		);
		const there = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		there.absorb(sent);
		expect(computeViews(there, EMPTY_FILTER)).toEqual(expected);
	});

	it('carries the most recent rejects in order, after the store kept only the latest of them', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(
			records(
				Array.from({length: 250}, (_, i) => reject(i)),
				FORMAT,
			),
		);
		const there = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		there.absorb(structuredClone(store.part()));
		expect(there.recentRejects()).toEqual(store.recentRejects());
	});

	it('is widened to when its buckets are wider than ours', () => {
		const wide = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxBuckets: 2});
		wide.add(
			records(
				[0, 1, 2].map(i => reject(i)),
				FORMAT,
			),
		);
		const narrow = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		narrow.add(records([reject(1)], FORMAT));
		narrow.absorb(structuredClone(wide.part()));
		expect(narrow.bucketSeconds).toBe(wide.bucketSeconds);
		expect(narrow.bucketSeconds).toBeGreaterThan(60);
	});
});
