import {describe, expect, it} from 'vitest';
import {FlowStore} from '../source/engine/store.js';
import {EMPTY_FILTER} from '../source/engine/filter.js';
import {computeViews, REPORT_SECTIONS} from '../source/engine/views.js';
import {ParseStats} from '../source/flowlog/decoder.js';
import type {Finding} from '../source/diagnosis/finding.js';
import {buildReport, renderReportText} from '../source/report.js';
import {summarizedNote} from '../source/run-once.js';
import {records, v2} from './helpers/lines.js';

function report(store: FlowStore) {
	return buildReport(store, new ParseStats(), computeViews(store, EMPTY_FILTER, {sections: REPORT_SECTIONS}), []);
}

describe('the --once report under the memory bound', () => {
	const lines = Array.from({length: 20}, (_, i) => v2({srcaddr: `198.51.100.${i}`, dstport: 1 + i, action: 'REJECT'}));

	it('says how many records were summarized, and only when some were', () => {
		const bounded = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, maxFlows: 4});
		bounded.add(records(lines));
		expect(report(bounded).summarized).toEqual({records: bounded.summarized});
		expect(bounded.summarized).toBeGreaterThan(0);
		expect(summarizedNote(bounded)).toBe(
			`${bounded.summarized} records summarized past the memory bound (4 conversations): ` +
				"the smallest conversations lost their ports or addresses; totals and the top lists' sums are exact",
		);

		const roomy = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		roomy.add(records(lines));
		expect(report(roomy)).not.toHaveProperty('summarized');
		expect(summarizedNote(roomy)).toBeUndefined();
	});
});

describe('sums past 2^53', () => {
	it('are flagged as inexact, and only then', () => {
		const huge = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		huge.add(records([1, 2, 3].map(i => v2({srcaddr: `10.0.0.${i}`, bytes: 2 ** 52}))));
		expect(report(huge).inexactSums).toBe(true);
		const exact = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		exact.add(records([v2({bytes: Number.MAX_SAFE_INTEGER})]));
		expect(report(exact)).not.toHaveProperty('inexactSums');
		expect(report(exact).topTalkers[0]!.bytes).toBe(Number.MAX_SAFE_INTEGER);
	});
});

describe('the text report', () => {
	it("names a finding's interface and its kind when the configuration was read, and only then", () => {
		const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
		store.add(records([v2({action: 'REJECT'})]));
		const finding: Finding = {
			id: 'a',
			kind: 'inbound-rejected',
			severity: 'warning',
			eni: 'eni-0db',
			count: 1,
			confidence: 'high',
			why: 'every request refused',
			summary: 'eni-0db (db) refuses TCP 5432',
			advice: 'Add the rule.',
			firstSeen: 0,
			lastSeen: 0,
			evidence: [],
			filter: 'eni-0db',
		};
		const text = (found: Finding) =>
			renderReportText(
				buildReport(store, new ParseStats(), computeViews(store, EMPTY_FILTER, {sections: REPORT_SECTIONS}), [found]),
			);
		expect(text({...finding, name: 'shop-db', type: 'database'})).toContain(
			'eni-0db (db) refuses TCP 5432\n    interface: eni-0db (database · shop-db)\n    why:',
		);
		expect(text(finding)).not.toContain('interface:');
	});
});
