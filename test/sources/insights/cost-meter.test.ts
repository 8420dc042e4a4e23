import {describe, expect, it} from 'vitest';
import {CostMeter} from '../../../source/sources/insights/cost-meter.js';

describe('the cost meter', () => {
	it('adds up what every query scanned, whatever it ended as, and what was received', () => {
		const meter = new CostMeter();
		expect(meter.totals).toEqual({queries: 0, bytesScanned: 0, recordsScanned: 0, recordsMatched: 0, bytesReceived: 0});
		meter.query({bytesScanned: 1000, recordsScanned: 10, recordsMatched: 4});
		meter.query({bytesScanned: 500, recordsScanned: 5, recordsMatched: 5});
		meter.received(300);
		meter.received(200);
		expect(meter.totals).toEqual({
			queries: 2,
			bytesScanned: 1500,
			recordsScanned: 15,
			recordsMatched: 9,
			bytesReceived: 500,
		});
	});

	it('counts a query that reported no statistics, as scanning nothing', () => {
		const meter = new CostMeter();
		meter.query(undefined);
		meter.query({});
		expect(meter.totals).toEqual({queries: 2, bytesScanned: 0, recordsScanned: 0, recordsMatched: 0, bytesReceived: 0});
	});

	it('tells whoever watches each time a query ends or records come in, so a long poll shows its progress', () => {
		const meter = new CostMeter();
		const told: number[] = [];
		meter.watch(cost => told.push(cost.queries * 1000 + cost.bytesReceived));
		meter.query({bytesScanned: 1000});
		meter.received(5);
		meter.query({bytesScanned: 1000});
		expect(told).toEqual([1000, 1005, 2005]);
	});
});
