import {describe, expect, it} from 'vitest';
import {HeaviestPairs, type PairRows, partitionOf} from '../../source/engine/heaviest-pairs.js';
import type {SumTable} from '../../source/engine/sum-table.js';

// 256 partitions: few enough that a test's pairs share them.
const BITS = 8;

type Row = readonly [src: number, dst: number, bytes: number];

const byBytes = (table: SumTable) => table.bytes;

function rowsOf(rows: readonly Row[]): PairRows {
	return visit => {
		for (const [src, dst, bytes] of rows) {
			visit(src, dst, bytes, 1, 1);
		}
	};
}

function heaviest(rows: readonly Row[], limit: number, everything = false): SumTable {
	const pairs = new HeaviestPairs(BITS);
	for (const [src, dst, bytes] of rows) {
		pairs.add(src, dst, bytes);
	}

	return pairs.exact(limit, byBytes, rowsOf(rows), everything);
}

/** The best pairs as `src>dst bytes`, largest first, equal ones by source then destination. */
function best(table: SumTable, limit: number): string[] {
	return table
		.top(table.bytes, limit, (x, y) => table.a[x]! - table.a[y]! || table.b[x]! - table.b[y]!)
		.map(row => `${table.a[row]}>${table.b[row]} ${table.bytes[row]}`);
}

/** Every pair summed, the plain way. */
function naiveBest(rows: readonly Row[], limit: number): string[] {
	const sums = new Map<string, [number, number, number]>();
	for (const [src, dst, bytes] of rows) {
		const sum = sums.get(`${src}>${dst}`) ?? [src, dst, 0];
		sum[2] += bytes;
		sums.set(`${src}>${dst}`, sum);
	}

	return [...sums.values()]
		.sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1])
		.slice(0, limit)
		.map(([src, dst, bytes]) => `${src}>${dst} ${bytes}`);
}

/** `count` pairs that fall in `partition`, none of them in `taken`. */
function pairsIn(partition: number, count: number, taken: Set<string>): Array<[number, number]> {
	const found: Array<[number, number]> = [];
	for (let src = 100; found.length < count; src++) {
		if (partitionOf(src, 7, BITS) === partition && !taken.has(`${src}>7`)) {
			found.push([src, 7]);
			taken.add(`${src}>7`);
		}
	}

	return found;
}

describe('the heaviest pairs', () => {
	it('finds a heavy pair alone in its partition beside partitions of many lighter pairs', () => {
		const heavy: Row = [1, 2, 100];
		const own = partitionOf(1, 2, BITS);
		const taken = new Set(['1>2']);
		// Eight partitions of five pairs each, 150 bytes a partition: all heavier than the heavy pair's own.
		const others = Array.from({length: 8}, (_, index) => (own + 1 + index) % 2 ** BITS);
		const light = others.flatMap(partition => pairsIn(partition, 5, taken).map(([src, dst]): Row => [src, dst, 30]));
		const rows = [...light, heavy];
		expect(best(heaviest(rows, 1), 1)).toEqual(['1>2 100']);
	});

	it('sums only the pairs that may make the list, and those exactly', () => {
		const rows: Row[] = [];
		for (let index = 0; index < 3000; index++) {
			// A thousand pairs seen three times each: twenty heavy ones, two by two as heavy, and light ones.
			const src = index % 1000;
			const bytes = src < 20 ? 1000 - 50 * Math.floor(src / 2) : (index % 5) + 1;
			rows.push([src, 1 + (src % 3), bytes]);
		}

		for (const limit of [1, 3, 10]) {
			const table = heaviest(rows, limit);
			expect(best(table, limit)).toEqual(naiveBest(rows, limit));
			expect(table.size).toBeLessThan(new Set(rows.map(([src, dst]) => `${src}>${dst}`)).size);
		}
	});

	it('sums every pair when asked, or when the list is longer than there are pairs', () => {
		const rows: Row[] = [
			[1, 2, 5],
			[3, 4, 0],
			[1, 2, 5],
		];
		expect(heaviest(rows, 1, true).size).toBe(2);
		expect(best(heaviest(rows, 10), 10)).toEqual(['1>2 10', '3>4 0']);
	});

	it('sums none for an empty list', () => {
		expect(heaviest([[1, 2, 5]], 0).size).toBe(0);
	});
});
