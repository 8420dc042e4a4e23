import {describe, expect, it} from 'vitest';
import {parseFilter} from '../../../source/engine/filter.js';
import {HORIZON_CEILING_MS, INITIAL_HORIZON_MS} from '../../../source/sources/insights/lateness.js';
import {busyWorld, closeWorlds, END, INTERVAL, MINUTE, Recorder, sortedKeys, sumOfMessageBytes, T0, until, type World} from './world.js';

closeWorlds();

describe('the Insights poller over a simulated VPC whose records arrive minutes late', () => {
	it('takes in every record exactly once, one batch per query, on the source clock', async () => {
		const w = await busyWorld();
		const poller = w.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(END);
		await poller.stop();

		const truth = w.visibleRecords();
		expect(truth.length).toBe(w.feed.delivered);
		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(truth));
		expect(recorder.batches.length).toBeLessThanOrEqual(w.queries.length);
		expect(recorder.ticks.at(-1)).toBeGreaterThan(END - INTERVAL);
		expect(recorder.statuses[0]).toEqual({kind: 'starting'});
		expect(recorder.statuses.some(status => status.kind === 'waiting')).toBe(true);
		expect(w.endpoint.runningQueries()).toBe(0);
	});

	it('learns how late the group is and keeps the horizon no wider than that, and counts what it costs', async () => {
		const w = await busyWorld();
		const poller = w.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(END);
		await poller.stop();

		// Records here arrive 2.5 to 6.5 minutes after their start.
		const {delayMs, horizonMs} = poller.lateness;
		expect(delayMs).toBeGreaterThan(5 * MINUTE);
		expect(delayMs).toBeLessThanOrEqual(6.5 * MINUTE);
		expect(horizonMs).toBe(Math.ceil((delayMs! * 1.25 + MINUTE) / 1000) * 1000);
		expect(horizonMs).toBeLessThan(INITIAL_HORIZON_MS);
		// Every poll after the first starts one horizon behind the previous one's end.
		const [first, second, third] = w.queries;
		expect(second!.startTime).toBeGreaterThanOrEqual(first!.endTime - Math.ceil(INITIAL_HORIZON_MS / 1000));
		expect(third!.startTime).toBe(second!.endTime - horizonOf(w, 2));
		const cost = recorder.lastCost!;
		expect(cost.queries).toBe(w.queries.length);
		expect(cost.recordsScanned).toBeGreaterThan(w.feed.delivered);
		expect(cost.bytesReceived).toBe(sumOfMessageBytes(w));
		expect(cost.bytesScanned).toBeGreaterThan(cost.bytesReceived);
		// The horizon is re-scanned on every poll: about (horizon + interval) / interval times what is new.
		expect(cost.bytesScanned / cost.bytesReceived).toBeLessThan((HORIZON_CEILING_MS + INTERVAL) / INTERVAL);
	});

	it('splits a full page by time until every record is read', async () => {
		const w = await busyWorld({limits: {maxQueryRows: 50}}, 4);
		const poller = w.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(T0 + 11 * MINUTE);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		const halves = w.queries.filter((query, i) => i > 0 && query.startTime === w.queries[i - 1]!.startTime && query.endTime < w.queries[i - 1]!.endTime);
		expect(halves.length).toBeGreaterThan(10);
		expect(poller.overflow).toBe(0);
		expect(w.endpoint.runningQueries()).toBe(0);
	});

	it('stops the query in flight when stopped, leaving nothing running', async () => {
		const w = await busyWorld({limits: {scheduledPolls: 1_000_000}});
		const poller = w.poller();
		poller.start(new Recorder());
		await w.time.runUntil(T0 + MINUTE);
		expect(w.endpoint.runningQueries()).toBe(1);
		await poller.stop();
		expect(w.endpoint.runningQueries()).toBe(0);
	});

	it('never has more than one query in flight, and stops the one a filter change abandons', async () => {
		const w = await busyWorld({limits: {scheduledPolls: 1_000_000}});
		const poller = w.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		const atMostOne = () => expect(w.endpoint.runningQueries()).toBeLessThanOrEqual(1);
		await until(() => w.endpoint.runningQueries() === 1, atMostOne);
		poller.setFilter(parseFilter('reject'));
		await until(() => w.queries.length === 2 && w.endpoint.runningQueries() === 1, atMostOne);
		expect(w.queries[1]!.queryString).toContain('action = "REJECT"');
		await poller.stop();
		expect(w.endpoint.runningQueries()).toBe(0);
		expect(recorder.received).toEqual([]);
	});
});

describe('the first poll', () => {
	it('covers the window, or --since when it reaches further back', async () => {
		const w = await busyWorld();
		const poller = w.poller({windowMs: 5 * MINUTE, sinceMs: 10 * MINUTE});
		poller.start(new Recorder());
		await w.time.runUntil(T0 + 2 * MINUTE);
		await poller.stop();

		expect(w.queries[0]).toMatchObject({startTime: Math.floor((T0 - 10 * MINUTE) / 1000), endTime: Math.floor(T0 / 1000)});
		for (const query of w.queries.slice(1)) {
			expect(query.startTime).toBeGreaterThanOrEqual(Math.floor((T0 - 5 * MINUTE) / 1000));
		}
	});
});

function horizonOf(w: World, poll: number): number {
	return w.queries[poll - 1]!.endTime - w.queries[poll]!.startTime;
}
