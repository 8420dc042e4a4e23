import {describe, expect, it} from 'vitest';
import {distinctPairs} from '../../source/engine/distinct-pairs.js';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {FlowStore} from '../../source/engine/store.js';
import {computeViews} from '../../source/engine/views.js';
import {records, v2} from '../helpers/lines.js';

const address = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** `pairs` address pairs, each talking on `ports` service ports (a conversation each), over two minutes. */
function storeOf(pairs: number, ports: number, options = {}): FlowStore {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, ...options});
	const lines: string[] = [];
	for (let pair = 0; pair < pairs; pair++) {
		for (let port = 0; port < ports; port++) {
			const start = 1_700_000_000 + (pair % 2) * 60;
			lines.push(v2({srcaddr: address(pair), dstaddr: address(pair + 1), dstport: 100 + port, start, end: start + 10}));
		}
	}

	store.add(records(lines));
	return store;
}

describe('the distinct address pairs of a store, estimated', () => {
	it('counts each pair once however many conversations it has, within a percent', () => {
		const store = storeOf(20_000, 3);
		expect(store.size).toBe(60_000);
		const estimate = distinctPairs(store.bucketsInWindow());
		expect(Math.abs(estimate - 20_000)).toBeLessThan(200);
	});

	it('says exactly how many a small store has', () => {
		expect(distinctPairs(storeOf(7, 2).bucketsInWindow())).toBe(7);
		expect(distinctPairs(new FlowStore().bucketsInWindow())).toBe(0);
	});

	it('counts the pairs the memory bound folded into sums by address', () => {
		const store = storeOf(2000, 1, {maxFlows: 500});
		expect(store.summarized).toBeGreaterThan(0);
		const estimate = distinctPairs(store.bucketsInWindow());
		expect(Math.abs(estimate - 2000)).toBeLessThan(20);
	});

	it('sizes the views to the pairs: the same top talkers as a table grown from empty', () => {
		const store = storeOf(3000, 2);
		const unfiltered = computeViews(store, EMPTY_FILTER, {limit: 5}).talkers.pair;
		// Every record is accepted: the filter keeps them all, in a table grown from empty.
		const filtered = computeViews(store, {...EMPTY_FILTER, actions: ['ACCEPT']}, {limit: 5}).talkers.pair;
		expect(unfiltered).toEqual(filtered);
		expect(unfiltered).toHaveLength(5);
	});
});
