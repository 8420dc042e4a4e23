import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER, parseFilter} from '../../../source/engine/filter.js';
import {parseFormatString} from '../../../source/flowlog/format.js';
import {busyWorld, closeWorlds, END, matching, MINUTE, Recorder, sortedKeys, sumOfMessageBytes, T0} from './world.js';

closeWorlds();

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
		const w = await busyWorld({scenario: 'port-scan'}, 30);
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

