import {describe, expect, it} from 'vitest';
import {DEMO_LOG_GROUP} from '../../../source/demo/feed/feed.js';
import {CostMeter} from '../../../source/sources/insights/cost-meter.js';
import {QueryRunner} from '../../../source/sources/insights/query-runner.js';
import {RECORDS_QUERY} from '../../../source/sources/insights/query.js';
import {HORIZON_CEILING_MS, INITIAL_HORIZON_MS} from '../../../source/sources/insights/lateness.js';
import {
	busyWorld,
	closeWorlds,
	END,
	INTERVAL,
	MINUTE,
	Recorder,
	sortedKeys,
	sumOfMessageBytes,
	T0,
	until,
} from './world.js';

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
		const cost = recorder.lastCost!;
		expect(cost.queries).toBe(w.queries.length);
		expect(cost.recordsScanned).toBeGreaterThan(w.feed.delivered);
		expect(cost.bytesReceived).toBe(sumOfMessageBytes(w));
		expect(cost.bytesScanned).toBeGreaterThan(cost.bytesReceived);
		// The horizon is re-scanned on every poll: about (horizon + interval) / interval times what is new.
		expect(cost.bytesScanned / cost.bytesReceived).toBeLessThan((HORIZON_CEILING_MS + INTERVAL) / INTERVAL);
	});

	it("starts each poll one horizon, as learned so far, behind the previous poll's end", async () => {
		const w = await busyWorld();
		const poller = w.poller();
		poller.start(new Recorder());
		// Before any record, the horizon is the initial one; after each poll, the one that poll taught.
		const horizons = [INITIAL_HORIZON_MS];
		for (let poll = 1; poll <= 4; poll++) {
			await w.time.runUntil(T0 + (poll - 1) * INTERVAL + 1000);
			expect(w.queries).toHaveLength(poll);
			horizons.push(poller.lateness.horizonMs);
		}

		await poller.stop();
		expect(new Set(horizons).size).toBeGreaterThan(1);
		for (let poll = 1; poll < 4; poll++) {
			expect(w.queries[poll]!.startTime).toBe(w.queries[poll - 1]!.endTime - horizons[poll]! / 1000);
		}
	});

	it('splits a full page by time until every record is read', async () => {
		const w = await busyWorld({limits: {maxQueryRows: 50}}, 4);
		const poller = w.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(T0 + 11 * MINUTE);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		const halves = w.queries.filter(
			(query, i) =>
				i > 0 && query.startTime === w.queries[i - 1]!.startTime && query.endTime < w.queries[i - 1]!.endTime,
		);
		expect(halves.length).toBeGreaterThan(10);
		expect(poller.overflow).toBe(0);
		expect(w.endpoint.runningQueries()).toBe(0);
	}, 60_000);

	it('stops the query in flight when stopped, leaving nothing running', async () => {
		const w = await busyWorld({limits: {scheduledPolls: 1_000_000}});
		const poller = w.poller();
		poller.start(new Recorder());
		await w.time.runUntil(T0 + MINUTE);
		expect(w.endpoint.runningQueries()).toBe(1);
		await poller.stop();
		expect(w.endpoint.runningQueries()).toBe(0);
	});

	it('never has more than one query in flight', async () => {
		const w = await busyWorld({limits: {maxQueryRows: 50}}, 4);
		const poller = w.poller();
		const atMostOne = () => expect(w.endpoint.runningQueries()).toBeLessThanOrEqual(1);
		poller.start(new Recorder());
		const running = w.time.runUntil(T0 + 11 * MINUTE);
		await until(() => w.queries.length > 20, atMostOne);
		await running;
		await poller.stop();
		expect(w.endpoint.runningQueries()).toBe(0);
	}, 60_000);
});

describe('the first poll', () => {
	it('covers the window, and no later poll reaches back past it', async () => {
		const w = await busyWorld();
		const poller = w.poller({windowMs: 5 * MINUTE});
		poller.start(new Recorder());
		await w.time.runUntil(T0 + 2 * MINUTE);
		await poller.stop();

		expect(w.queries[0]).toMatchObject({
			startTime: Math.floor((T0 - 5 * MINUTE) / 1000),
			endTime: Math.floor(T0 / 1000),
		});
		for (const query of w.queries.slice(1)) {
			expect(query.startTime).toBeGreaterThanOrEqual(Math.floor((T0 - 5 * MINUTE) / 1000));
		}
	});
});

describe('a query over an impossible time range', () => {
	it('is never sent, and the problem says flowtop built it', async () => {
		const w = await busyWorld();
		const runner = new QueryRunner({
			client: w.client,
			logGroups: [DEMO_LOG_GROUP],
			timing: w.time,
			cost: new CostMeter(),
			context: {logGroups: [DEMO_LOG_GROUP], endpoint: w.endpoint.url, region: undefined, profile: undefined},
		});
		const hooks = {piece() {}, retrying() {}};
		for (const range of [
			{from: Number.NaN, to: 10},
			{from: 10, to: 5},
			{from: -1, to: 5},
			{from: 1.5, to: 5},
		]) {
			await expect(runner.run(range, RECORDS_QUERY, new AbortController().signal, hooks)).rejects.toMatchObject({
				kind: 'query-refused',
				message: expect.stringMatching(/^flowtop built a query over an impossible time range .* a bug in flowtop/),
			});
		}

		expect(w.queries).toEqual([]);
	});
});
