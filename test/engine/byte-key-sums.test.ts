import {describe, expect, it} from 'vitest';
import {ByteKeySums} from '../../source/engine/byte-key-sums.js';

describe('sums keyed by bytes', () => {
	it('finds each key again among many, and starts afresh when cleared', () => {
		const table = new ByteKeySums(2);
		const data = Buffer.from(Array.from({length: 5000}, (_, i) => `key-${i}|`).join(''), 'latin1');
		const keys: Array<[number, number]> = [];
		for (let start = 0; start < data.length; ) {
			const end = data.indexOf('|', start);
			keys.push([start, end]);
			start = end + 1;
		}

		for (const round of [1, 2]) {
			for (const [index, [start, end]] of keys.entries()) {
				const at = table.entry(data, start, end) * 2;
				table.sums[at]! += index;
				table.sums[at + 1]! += round;
			}
		}

		expect(table.size).toBe(5000);
		const entry = table.entry(data, keys[4321]![0], keys[4321]![1]);
		expect(table.arena.toString('latin1', table.keyStart[entry]!, table.keyStart[entry + 1]!)).toBe('key-4321');
		expect([table.sums[entry * 2], table.sums[entry * 2 + 1]]).toEqual([2 * 4321, 3]);
		table.clear();
		expect(table.size).toBe(0);
		const again = table.entry(data, keys[7]![0], keys[7]![1]);
		expect([again, table.sums[0], table.sums[1]]).toEqual([0, 0, 0]);
	});
});
