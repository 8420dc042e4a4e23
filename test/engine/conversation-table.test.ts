import {describe, expect, it} from 'vitest';
import {ConversationTable} from '../../source/engine/conversation-table.js';
import {FlowStore} from '../../source/engine/store.js';
import {records, v2} from '../helpers/lines.js';

function filled(rows: number): ConversationTable {
	const table = new ConversationTable();
	for (let n = 0; n < rows; n++) {
		table.accumulate(table.rowOf(0, n, n + 1, 443, 50_000 + n, 6, 1), 100, 1, 1, 10, 20, 0);
	}

	return table;
}

describe('a conversation table given back its room', () => {
	it.each([70, 100, 1000])('keeps every row of %i and finds each one after trimming', rows => {
		const table = filled(rows);
		table.trim();
		expect(table.eni.length).toBe(rows);
		for (let n = 0; n < rows; n++) {
			expect(table.find(0, n, n + 1, 443, 50_000 + n, 6, 1)).toBe(n);
		}

		expect(table.find(0, rows, rows + 1, 443, 50_000 + rows, 6, 1)).toBe(-1);
	});

	it('takes a late row after trimming and sums into the old ones', () => {
		const table = filled(100);
		table.trim();
		const late = table.rowOf(0, 500, 501, 443, 60_000, 6, 1);
		table.accumulate(late, 7, 1, 1, 10, 20, 0);
		table.accumulate(table.rowOf(0, 3, 4, 443, 50_003, 6, 1), 5, 1, 1, 10, 20, 0);
		expect(late).toBe(100);
		expect(table.bytes[late]).toBe(7);
		expect(table.bytes[3]).toBe(105);
		expect(table.find(0, 99, 100, 443, 50_099, 6, 1)).toBe(99);
	});

	it('hands back the room it leaves as an empty table, which sums from zero', () => {
		const table = filled(70);
		const spare = table.trim()!;
		expect(spare.size).toBe(0);
		expect(spare.eni.length).toBe(128);
		expect(spare.find(0, 3, 4, 443, 50_003, 6, 1)).toBe(-1);
		const row = spare.rowOf(0, 3, 4, 443, 50_003, 6, 1);
		spare.accumulate(row, 5, 1, 1, 30, 40, 2);
		expect([spare.bytes[row], spare.packets[row], spare.flows[row], spare.tcpFlags[row]]).toEqual([5, 1, 1, 2]);
		expect([spare.first[row], spare.last[row]]).toEqual([30, 40]);
		expect(table.bytes[3]).toBe(100);
		expect(table.find(0, 3, 4, 443, 50_003, 6, 1)).toBe(3);
	});

	it('hands back nothing when it has no room to give', () => {
		expect(filled(64).trim()).toBeUndefined();
	});

	it('can be trimmed empty and grow again', () => {
		const table = new ConversationTable();
		table.trim();
		expect(table.rowOf(1, 2, 3, 22, 50_000, 6, 2)).toBe(0);
		expect(table.find(1, 2, 3, 22, 50_000, 6, 2)).toBe(0);
	});
});

describe("a conversation's times", () => {
	it('keep whole seconds as they came, the earliest start and the latest end', () => {
		const table = new ConversationTable();
		const row = table.rowOf(0, 1, 2, 443, 50_000, 6, 1);
		table.accumulate(row, 1, 1, 1, 1_700_000_060, 1_700_000_120, 0);
		table.accumulate(row, 1, 1, 1, 1_700_000_000, 1_700_000_059, 0);
		table.accumulate(row, 1, 1, 1, 1_700_000_030, 4_102_444_800, 0);
		expect([table.first[row], table.last[row]]).toEqual([1_700_000_000, 4_102_444_800]);
	});

	it("are a store's conversation's earliest start and latest end, across its records", () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(
			records([
				v2({start: 1_700_000_010, end: 1_700_000_050}),
				v2({start: 1_700_000_001, end: 1_700_000_030}),
				v2({start: 1_700_000_020, end: 1_700_000_059}),
			]),
		);
		expect([...store.flows()].map(({first, last, flows}) => ({first, last, flows}))).toEqual([
			{first: 1_700_000_001, last: 1_700_000_059, flows: 3},
		]);
	});

	it('widen a time with a fraction to whole seconds: the start down, the end up', () => {
		const table = new ConversationTable();
		const row = table.rowOf(0, 1, 2, 443, 50_000, 6, 1);
		table.accumulate(row, 1, 1, 1, 1_700_000_000.5, 1_700_000_000.25, 0);
		expect([table.first[row], table.last[row]]).toEqual([1_700_000_000, 1_700_000_001]);
	});
});

describe('a store whose records moved on to a later bucket', () => {
	it('keeps the earlier bucket at the size of its rows, and still sums a late record into it', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		const minute = 1_700_000_040;
		store.add(
			records(Array.from({length: 70}, (_, n) => v2({srcaddr: `10.0.0.${n + 1}`, start: minute, end: minute + 10}))),
		);
		store.add(records([v2({start: minute + 60, end: minute + 70})]));
		const [earlier] = store.bucketsInWindow();
		expect(earlier!.table.size).toBe(70);
		expect(earlier!.table.eni.length).toBe(70);
		store.add(records([v2({srcaddr: '10.0.0.1', bytes: 5, start: minute + 1, end: minute + 11})]));
		expect(earlier!.table.size).toBe(70);
		expect([...store.flows()].filter(flow => flow.src === '10.0.0.1').map(flow => flow.flows)).toEqual([2]);
	});

	it('fills the room the earlier bucket gave back, its sums starting from zero', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		const minute = 1_700_000_040;
		const at = (start: number, n: number) => v2({srcaddr: `10.0.0.${n + 1}`, bytes: 1000 + n, start, end: start + 10});
		store.add(records(Array.from({length: 70}, (_, n) => at(minute, n))));
		store.add(records(Array.from({length: 70}, (_, n) => at(minute + 60, n))));
		store.add(records([at(minute + 120, 0)]));
		const [first, second] = store.bucketsInWindow();
		expect(second!.table.size).toBe(70);
		expect(second!.table.eni.length).toBe(70);
		for (const {table} of [first!, second!]) {
			expect(Array.from(table.bytes)).toEqual(Array.from({length: 70}, (_, n) => 1000 + n));
			expect(Array.from(table.flows)).toEqual(Array.from({length: 70}, () => 1));
		}

		expect(store.bucketsInWindow()[2]!.table.eni.length).toBe(128);
	});
});
