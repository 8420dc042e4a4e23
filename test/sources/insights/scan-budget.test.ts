import {describe, expect, it} from 'vitest';
import {ScanBudget} from '../../../source/sources/insights/scan-budget.js';

const GB = 1e9;
/** Logs Insights' price in most regions, dollars per GB scanned. */
const PRICE = 0.005;

describe('--budget', () => {
	it('keeps the interval asked for before any poll was measured, and without a budget', () => {
		expect(new ScanBudget(1, PRICE).spacing(10_000)).toEqual({intervalMs: 10_000});
		const unlimited = new ScanBudget(Number.POSITIVE_INFINITY, PRICE);
		unlimited.scanned(1000 * GB);
		expect(unlimited.spacing(10_000)).toEqual({intervalMs: 10_000});
	});

	it('keeps the interval while the polls cost no more an hour than the budget, to the cent', () => {
		// 1 GB a poll is half a cent; a poll a minute is 60 polls: 30 cents an hour.
		const budget = new ScanBudget(0.3, PRICE);
		budget.scanned(GB);
		expect(budget.spacing(60_000)).toEqual({intervalMs: 60_000});
	});

	it('spaces polls out to what the budget pays for, and says what they would have cost', () => {
		const budget = new ScanBudget(0.15, PRICE);
		budget.scanned(GB);
		// Half the budget the 60 polls need: one poll every two minutes.
		expect(budget.spacing(60_000)).toEqual({intervalMs: 120_000, wouldCostPerHour: 0.3});
	});

	it('rounds the stretched interval up to a whole second', () => {
		const budget = new ScanBudget(0.07, PRICE);
		budget.scanned(GB);
		// 0.005 / 0.07 of an hour is 257.14 s.
		expect(budget.spacing(10_000).intervalMs).toBe(258_000);
	});

	it('averages the last twelve polls, so an old expensive poll stops counting', () => {
		const budget = new ScanBudget(0.3, PRICE);
		budget.scanned(13 * GB);
		for (let poll = 0; poll < 11; poll++) {
			budget.scanned(GB);
		}

		// (13 + 11) / 12 = 2 GB a poll: 60 cents an hour at a poll a minute.
		expect(budget.spacing(60_000)).toEqual({intervalMs: 120_000, wouldCostPerHour: 0.6});
		budget.scanned(GB);
		expect(budget.spacing(60_000)).toEqual({intervalMs: 60_000});
	});
});
