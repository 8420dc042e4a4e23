import {describe, expect, it} from 'vitest';
import {AWS_LIKE_DELIVERY, DEMO_LOG_GROUP} from '../../../source/demo/feed/feed.js';
import {CostMeter} from '../../../source/sources/insights/cost-meter.js';
import {MAX_IN_FLIGHT, QueryRunner} from '../../../source/sources/insights/query-runner.js';
import {RECORDS_QUERY} from '../../../source/sources/insights/query.js';
import {INITIAL_MARGIN_MS, MARGIN_FLOOR_MS} from '../../../source/sources/insights/searchable-margin.js';
import {HORIZON_CEILING_MS, INITIAL_HORIZON_MS} from '../../../source/sources/insights/lateness.js';
import {
	busyWorld,
	closeWorlds,
	countCalls,
	ingestionWindowOf,
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
	}, 20_000);

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

	it('asks each poll for what reached CloudWatch since the previous one, over @timestamps one reported horizon further back', async () => {
		const w = await busyWorld();
		const poller = w.poller();
		poller.start(new Recorder());
		// Here the horizon is the one the poller reports: poller-watermarks.test.ts pins its value, from a record of known delay.
		// Before any record, the horizon is the initial one; after each poll, the one that poll taught.
		const horizons = [INITIAL_HORIZON_MS];
		for (let poll = 1; poll <= 5; poll++) {
			await w.time.runUntil(T0 + (poll - 1) * INTERVAL + 1000);
			horizons.push(poller.lateness.horizonMs);
		}

		await poller.stop();
		expect(poller.newRecordsBy).toBe('ingestion');
		// The first poll cannot know yet whether the endpoint gives @ingestionTime: it asks for every record.
		expect(w.queries[0]!.queryString).toBe(RECORDS_QUERY);
		// Re-checks of closed windows count records; the polls fetch them.
		const polls = w.queries.slice(1).filter(query => query.queryString.startsWith(RECORDS_QUERY));
		const windows = polls.map(query => ({query, window: ingestionWindowOf(query.queryString)}));
		expect(windows).toHaveLength(4);
		for (const [i, {query, window}] of windows.entries()) {
			const pollAt = T0 + (i + 1) * INTERVAL;
			expect(pollAt - window.upTo).toBeGreaterThanOrEqual(MARGIN_FLOOR_MS);
			expect(pollAt - window.upTo).toBeLessThanOrEqual(INITIAL_MARGIN_MS);
			expect(window.after).toBe(i === 0 ? T0 - INITIAL_MARGIN_MS : windows[i - 1]!.window.upTo);
			expect(query.startTime).toBe(Math.floor((window.after - horizons[i + 1]!) / 1000));
			expect(query.endTime).toBe(Math.floor(pollAt / 1000));
		}
	});

	it('splits a query that matched more than its limit by time, reading each through pages, until every record is read', async () => {
		const w = await busyWorld({}, 4);
		const poller = w.poller({queryLimit: 50, pageSize: 20});
		const recorder = new Recorder();
		const pages = countCalls(w, 'GetQueryResults', input => input.nextToken !== undefined);
		poller.start(recorder);
		await w.time.runUntil(T0 + 11 * MINUTE);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		const first = w.queries.filter(query => query.queryString === w.queries[0]!.queryString);
		expect(first.length).toBeGreaterThan(10);
		expect(pages.count).toBeGreaterThan(10);
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

	it('never has more than two queries in flight, and has two while a split query runs its halves', async () => {
		const w = await busyWorld({limits: {scheduledPolls: 3}}, 4);
		const poller = w.poller({queryLimit: 50});
		let most = 0;
		const atMostTwo = () => {
			most = Math.max(most, w.endpoint.runningQueries());
			expect(w.endpoint.runningQueries()).toBeLessThanOrEqual(MAX_IN_FLIGHT);
		};
		poller.start(new Recorder());
		const running = w.time.runUntil(T0 + 11 * MINUTE);
		await until(() => w.queries.length > 20, atMostTwo);
		await running;
		await poller.stop();
		expect(MAX_IN_FLIGHT).toBe(2);
		expect(most).toBe(2);
		expect(w.endpoint.runningQueries()).toBe(0);
	}, 60_000);
});

describe('records CloudWatch took in but could not search yet', () => {
	it('are found by a re-check of the closed window, counted once, and widen the margin to their measured lag', async () => {
		const searchableAfterMs = 45_000;
		const w = await busyWorld({delivery: {...AWS_LIKE_DELIVERY, searchableAfterMs}});
		const lines: string[] = [];
		const poller = w.poller({debug: line => lines.push(line)});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(END + 3 * MINUTE);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		const late = lines.map(line => /(\d+) found late/.exec(line)).filter(match => match !== null);
		expect(late.some(match => Number(match[1]) > 0)).toBe(true);
		// The lag measured is at least the margin it beat (30 s) and below the real one (45 s), with room on top.
		expect(poller.lateness.marginMs).toBeGreaterThanOrEqual(searchableAfterMs);
		expect(poller.lateness.marginMs).toBeLessThanOrEqual(1.5 * searchableAfterMs);
		// Once the margin covers the lag, re-checks find nothing more.
		expect(Number(late.at(-1)![1])).toBe(0);
	}, 30_000);

	it('are, with no lag at all, never re-fetched: re-checks count, and the margin shrinks to its floor', async () => {
		const w = await busyWorld();
		const lines: string[] = [];
		const poller = w.poller({debug: line => lines.push(line)});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(END);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		const rechecks = lines.filter(line => line.startsWith('re-check'));
		expect(rechecks.length).toBeGreaterThan(3);
		expect(rechecks.every(line => line.includes(' 0 found late'))).toBe(true);
		expect(poller.lateness.marginMs).toBe(MARGIN_FLOOR_MS);
		// Each re-check is one count query: nothing is fetched twice.
		const fetches = w.queries.filter(query => query.queryString.startsWith(RECORDS_QUERY));
		expect(w.queries.length - fetches.length).toBe(rechecks.length);
	});
});

describe('--budget', () => {
	const polls = (recorder: Recorder) =>
		recorder.statuses.flatMap(status => (status.kind === 'polling' ? [status.since] : []));

	it('spaces polls out when the bytes they scan would cost more an hour than the budget, and says so', async () => {
		const w = await busyWorld();
		// At $1,000 a GB a poll of this VPC costs about $0.2: sixty an hour would be over $10.
		const poller = w.poller({budget: {dollarsPerHour: 3, pricePerGb: 1000}});
		const recorder = new Recorder();
		poller.start(recorder);
		// Long enough for the spaced-out polls to take the last deliveries.
		await w.time.runUntil(END + 10 * MINUTE);
		await poller.stop();

		const notes = recorder.messages('waiting').filter(note => note.startsWith('polling every'));
		expect(notes.length).toBeGreaterThan(0);
		expect(notes[0]).toMatch(
			/^polling every \d+m(\d+s)?, not 1m: the scans would cost \$\d+\.\d\/h, over the \$3\.0\/h --budget$/,
		);
		const at = polls(recorder);
		const gaps = at.slice(1).map((time, i) => time - at[i]!);
		// The first poll reads the whole window once; the budget judges the polls that recur.
		expect(gaps[0]).toBe(INTERVAL);
		expect(Math.max(...gaps)).toBeGreaterThan(3 * INTERVAL);
		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
	}, 20_000);

	it('keeps the interval asked for while the polls cost less than the budget', async () => {
		const w = await busyWorld();
		const poller = w.poller({budget: {dollarsPerHour: 10, pricePerGb: 0.005}});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(T0 + 10 * MINUTE);
		await poller.stop();

		expect(recorder.messages('waiting').filter(note => note.startsWith('polling every'))).toEqual([]);
		const at = polls(recorder);
		expect(at.slice(1).map((time, i) => time - at[i]!)).toEqual(Array.from({length: at.length - 1}, () => INTERVAL));
	}, 20_000);
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
			await expect(
				runner.run(range, {text: RECORDS_QUERY, rowPerRecord: true}, new AbortController().signal, hooks),
			).rejects.toMatchObject({
				kind: 'query-refused',
				message: expect.stringMatching(/^flowtop built a query over an impossible time range .* a bug in flowtop/),
			});
		}

		expect(w.queries).toEqual([]);
	});
});
