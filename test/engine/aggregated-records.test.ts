import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {type AggregatedRecords, FlowStore} from '../../source/engine/store.js';
import {computeViews} from '../../source/engine/views.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {records, v2} from '../helpers/lines.js';

const T = 1_700_000_040;

/** What `stats sum(bytes), sum(packets), count(*), min(start), max(end) by <every field>, bin(1m)` makes of records. */
function grouped(list: readonly FlowRecord[]): AggregatedRecords[] {
	const groups = new Map<string, AggregatedRecords & {bytes: number; packets: number; start: number; end: number}>();
	for (const record of list) {
		const minute = Math.floor((record.start ?? 0) / 60);
		const {bytes, packets, start, end, ...key} = record;
		const id = JSON.stringify([minute, key]);
		const group = groups.get(id);
		if (group) {
			groups.set(id, {
				...group,
				records: group.records + 1,
				bytes: group.bytes + (bytes ?? 0),
				packets: group.packets + (packets ?? 0),
				start: Math.min(group.start, start ?? 0),
				end: Math.max(group.end, end ?? 0),
			});
		} else {
			groups.set(id, {
				...record,
				records: 1,
				bytes: bytes ?? 0,
				packets: packets ?? 0,
				start: start ?? 0,
				end: end ?? 0,
			});
		}
	}

	return [...groups.values()];
}

const LINES = [
	v2({start: T, end: T + 5, srcport: 40_001, bytes: 100}),
	v2({start: T + 10, end: T + 15, srcport: 40_002, bytes: 200}),
	v2({start: T + 20, end: T + 25, srcport: 40_001, bytes: 300}),
	v2({start: T + 70, end: T + 75, srcaddr: '10.0.3.3', bytes: 50, packets: 1}),
	v2({start: T + 30, end: T + 31, srcaddr: '198.51.100.7', dstport: 22, action: 'REJECT', bytes: 40, packets: 1}),
	v2({start: T + 32, end: T + 33, srcaddr: '198.51.100.7', dstport: 22, action: 'REJECT', bytes: 40, packets: 1}),
	v2({start: T + 34, end: T + 35, srcaddr: '198.51.100.7', dstport: 23, action: 'REJECT', bytes: 40, packets: 1}),
	v2({start: T + 60, end: T + 119, 'interface-id': 'eni-0bbb', 'log-status': 'NODATA'}),
];

describe('rows of stats queries in the store', () => {
	it('give the views, counts and profiles the records they stand for give', () => {
		const raw = new FlowStore();
		raw.add(records(LINES));
		const aggregated = new FlowStore();
		const rows = grouped(records(LINES));
		expect(rows.length).toBeLessThan(LINES.length);
		aggregated.addAggregated(rows);

		// Recent rejects are the one list of records rather than sums: a row of alike records stays one row there.
		const {recentRejects, ...views} = computeViews(aggregated, EMPTY_FILTER);
		const {recentRejects: rawRejects, ...rawViews} = computeViews(raw, EMPTY_FILTER);
		expect(views).toEqual(rawViews);
		expect(recentRejects.map(reject => [reject.dstPort, (reject as AggregatedRecords).records])).toEqual([
			[23, 1],
			[22, 2],
		]);
		expect(rawRejects.map(reject => reject.dstPort)).toEqual([23, 22, 22]);
		expect(aggregated.windowCounts()).toEqual(raw.windowCounts());
		expect(aggregated.totals).toEqual(raw.totals);
		expect([...aggregated.profiles.all()]).toEqual([...raw.profiles.all()]);
		expect(aggregated.bucketsInWindow().map(bucket => bucket.gaps.part())).toEqual(
			raw.bucketsInWindow().map(bucket => bucket.gaps.part()),
		);
	});

	it('are replaced whole by the next poll after clear()', () => {
		const store = new FlowStore();
		store.addAggregated(grouped(records(LINES)));
		const version = store.version;
		store.clear();
		expect(store.version).toBeGreaterThan(version);
		expect(store.size).toBe(0);
		expect(store.windowCounts()).toEqual({ok: 0, nodata: 0, skipdata: 0});
		expect([...store.profiles.all()]).toEqual([]);
		expect(store.recentRejects()).toEqual([]);
		store.addAggregated(grouped(records(LINES.slice(0, 1))));
		expect(computeViews(store, EMPTY_FILTER).totals).toEqual({bytes: 100, packets: 10, flows: 1});
	});
});
