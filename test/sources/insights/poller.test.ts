import {afterEach, describe, expect, it} from 'vitest';
import type {Faults} from '../../../source/demo/endpoint/faults.js';
import {EMPTY_FILTER, parseFilter} from '../../../source/engine/filter.js';
import {parseFormatString} from '../../../source/flowlog/format.js';
import {HORIZON_CEILING_MS, INITIAL_HORIZON_MS} from '../../../source/sources/insights/lateness.js';
import {matching, MINUTE, Recorder, sortedKeys, T0, world, type World} from './world.js';

let current: World | undefined;
afterEach(async () => {
	await current?.close();
	current = undefined;
});

/** Ten minutes of history, ten of traffic to come, delivered 2.5 to 5.5 minutes after each window closes. */
async function busyWorld(options: Parameters<typeof world>[0] = {}): Promise<World> {
	const w = current = await world(options);
	w.feed.pump(T0);
	w.feed.pump(T0 + 10 * MINUTE);
	return w;
}

/**
 * Lets the event loop run until the condition holds: waits on what happens, never on the clock.
 * `invariant` is checked at every turn on the way.
 */
async function until(condition: () => boolean, invariant: () => void = () => {}): Promise<void> {
	for (let turn = 0; turn < 10_000 && !condition(); turn++) {
		invariant();
		await new Promise(resolve => {
			setImmediate(resolve);
		});
	}

	expect(condition()).toBe(true);
}

// Long enough after the last window for its records to be delivered and polled.
const END = T0 + 18 * MINUTE;

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
		expect(recorder.ticks.at(-1)).toBeGreaterThan(END - 30_000);
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
		expect(cost.bytesScanned / cost.bytesReceived).toBeLessThan((HORIZON_CEILING_MS + 30_000) / 30_000);
	});

	it('splits a full page by time until every record is read', async () => {
		const w = await busyWorld({limits: {maxQueryRows: 60}});
		const poller = w.poller({intervalMs: 60_000});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(END);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		const halves = w.queries.filter((query, i) => i > 0 && query.startTime === w.queries[i - 1]!.startTime && query.endTime < w.queries[i - 1]!.endTime);
		expect(halves.length).toBeGreaterThan(10);
		expect(poller.overflow).toBe(0);
		expect(w.endpoint.runningQueries()).toBe(0);
	});

	const faults: Array<[string, (faults: Faults) => void, 'backing-off' | 'error']> = [
		['throttling', faults => faults.fail('StartQuery', 'ThrottlingException', {times: 3}), 'backing-off'],
		['the concurrent-query limit', faults => faults.fail('StartQuery', 'LimitExceededException', {times: 3}), 'backing-off'],
		['a throttled GetQueryResults', faults => faults.fail('GetQueryResults', 'ThrottlingException', {times: 2}), 'backing-off'],
		['503s', faults => faults.fail('GetQueryResults', 'ServiceUnavailableException', {times: 2}), 'error'],
		['500s past the call retries', faults => faults.fail('*', 'InternalServerException', {times: 7}), 'error'],
		['a dropped connection', faults => faults.drop('GetQueryResults', {times: 2}), 'error'],
		['a dropped StartQuery', faults => faults.drop('StartQuery'), 'error'],
		['an expired token', faults => faults.fail('*', 'ExpiredTokenException', {times: 2}), 'error'],
		['queries ending Failed', faults => faults.endQueries('Failed', {times: 2}), 'error'],
		['queries ending Timeout', faults => faults.endQueries('Timeout', {times: 2}), 'error'],
		['queries ending Cancelled', faults => faults.endQueries('Cancelled', {times: 2}), 'error'],
	];

	it.each(faults)('gets through %s without losing or repeating a record', async (_, inject, kind) => {
		const w = await busyWorld({limits: {recordsPerPoll: 200}});
		const poller = w.poller({intervalMs: 60_000});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(T0 + 4 * MINUTE);
		inject(w.endpoint.faults);
		await w.time.runUntil(END);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		expect(recorder.statuses.some(status => status.kind === kind)).toBe(true);
		expect(recorder.statuses.at(-1)?.kind).not.toBe('error');
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

describe('filters', () => {
	it('are pushed down: fewer records fetched, every one of them wanted', async () => {
		const w = await busyWorld();
		const filter = parseFilter(`${w.simulator.interfaces()[0]!.eni} tcp`);
		const poller = w.poller({filter});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(END);
		await poller.stop();

		const wanted = w.visibleRecords(matching(filter));
		expect(wanted.length).toBeGreaterThan(10);
		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(wanted));
		const cost = recorder.lastCost!;
		expect(cost.recordsMatched).toBeLessThan(cost.recordsScanned / 4);
		expect(cost.bytesReceived).toBeLessThan(sumOfMessageBytes(w) / 4);
		expect(w.queries.every(query => query.queryString.includes('and protocol = 6'))).toBe(true);
	});

	it('are applied locally to what the endpoint returns beyond the pushdown', async () => {
		// A format without ports: a port filter cannot be pushed down, so every record comes back.
		const format = parseFormatString('${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}');
		const w = await busyWorld({format});
		const poller = w.poller({filter: parseFilter('port:22 tcp')});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(T0 + 5 * MINUTE);
		await poller.stop();

		expect(recorder.lastCost!.recordsMatched).toBeGreaterThan(100);
		expect(recorder.received).toEqual([]);
		expect(w.queries[0]!.queryString).toContain('| filter protocol = 6');
	});

	it('when cleared, backfill what the narrower filter did not fetch, without duplicates', async () => {
		const w = await busyWorld({scenario: 'port-scan'});
		const poller = w.poller({filter: parseFilter('reject')});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(T0 + 6 * MINUTE);
		const before = w.queries.length;
		poller.setFilter(EMPTY_FILTER);
		await w.time.runUntil(END);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
		const backfills = w.queries.slice(before).filter(query => query.queryString.includes('not (action = "REJECT")'));
		expect(backfills.length).toBeGreaterThan(0);
	});

	it('backfill exactly even behind the remembered @ptrs, and not at all when they narrow', async () => {
		const w = current = await world({scenario: 'port-scan'});
		w.feed.pump(T0);
		w.feed.pump(T0 + 30 * MINUTE);
		const poller = w.poller({filter: parseFilter('reject port:1-1023')});
		const recorder = new Recorder();
		poller.start(recorder);
		await w.time.runUntil(T0 + 10 * MINUTE);
		poller.setFilter(parseFilter('reject port:1-1023 tcp'));
		await w.time.runUntil(T0 + 24 * MINUTE);
		const narrowed = w.queries.length;
		poller.setFilter(parseFilter('reject'));
		await w.time.runUntil(T0 + 38 * MINUTE);
		await poller.stop();

		expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords(matching(parseFilter('reject')))));
		expect(w.queries.slice(0, narrowed).some(query => query.queryString.includes('not ('))).toBe(false);
		const backfill = w.queries.slice(narrowed).find(query => query.queryString.includes('not ('));
		expect(backfill!.startTime).toBeLessThan(T0 / 1000 - 5 * 60);
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

function sumOfMessageBytes(w: World): number {
	let bytes = 0;
	for (const event of w.endpoint.store.visibleEvents(['/flowtop/demo/vpc-flow-logs'], 0, Number.POSITIVE_INFINITY)) {
		bytes += Buffer.byteLength(event.message);
	}

	return bytes;
}
