import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {FlowStore} from '../../source/engine/store.js';
import {computeViews, METRICS, type Metric} from '../../source/engine/views.js';
import {records, v2} from '../helpers/lines.js';
import {fuzz} from './settings.js';

const T = 1_700_000_000;

/** Few addresses and many ports: pairs recur across buckets while conversations pass any small bound. */
const line = fc
	.record({
		minute: fc.nat(4),
		src: fc.nat(11),
		dst: fc.nat(5),
		srcport: fc.constantFrom(22, 443, 40_000, 51_515, 60_001),
		dstport: fc.integer({min: 1, max: 40}),
		bytes: fc.integer({min: 1, max: 1_000_000}),
		packets: fc.integer({min: 1, max: 100}),
		reject: fc.boolean(),
	})
	.map(({minute, src, dst, srcport, dstport, bytes, packets, reject}) =>
		v2({
			srcaddr: `198.51.100.${src}`,
			dstaddr: `10.0.0.${dst}`,
			srcport,
			dstport,
			bytes,
			packets,
			start: T + minute * 60,
			end: T + minute * 60 + 30,
			action: reject ? 'REJECT' : 'ACCEPT',
		}),
	);

/** What the top lists rank by, and nothing of the detail the bound may summarize (ports, interfaces). */
function ranked(store: FlowStore, metric: Metric, limit: number) {
	const views = computeViews(store, EMPTY_FILTER, {metric, limit});
	return {
		totals: views.totals,
		rejectTotals: views.rejectTotals,
		talkers: views.talkers,
		rejectsBySource: views.rejectsBySource.map(({src, bytes, packets, flows, lastSeen}) => ({
			src,
			bytes,
			packets,
			flows,
			lastSeen,
		})),
		rejectsByEni: views.rejectsByEni,
		protocols: views.protocols,
	};
}

describe('fuzz: the top lists past the memory bound', () => {
	it('are the lists without it, for every pair however small it was when its detail was folded', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(line, {minLength: 1, maxLength: 40}), {minLength: 1, maxLength: 6}),
				fc.integer({min: 2, max: 12}),
				fc.constantFrom(...METRICS),
				fc.integer({min: 1, max: 6}),
				fc.boolean(),
				(batches, maxFlows, metric, limit, inRanges) => {
					const options = {windowSeconds: Number.POSITIVE_INFINITY};
					const whole = new FlowStore(options);
					for (const batch of batches) {
						whole.add(records(batch));
					}

					// Read as one store, or as ranges merged in order the way several threads read a file.
					const bounded = new FlowStore({...options, maxFlows});
					for (const batch of batches) {
						if (inRanges) {
							const range = new FlowStore({...options, maxFlows});
							range.add(records(batch));
							bounded.absorb(range.part());
						} else {
							bounded.add(records(batch));
						}
					}

					expect(ranked(bounded, metric, limit)).toEqual(ranked(whole, metric, limit));
				},
			),
			fuzz(300),
		);
	});

	it('fold detail in those runs, so the property is tested past the bound', () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 2});
		store.add(records(fc.sample(line, {seed: 1, numRuns: 200})));
		expect(store.summarized).toBeGreaterThan(0);
		expect(store.bucketsInWindow().some(bucket => bucket.folded.size > 0)).toBe(true);
	});
});
