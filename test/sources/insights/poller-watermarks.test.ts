import {describe, expect, it} from 'vitest';
import {newRecordsQuery, RECORDS_QUERY} from '../../../source/sources/insights/query.js';
import {closeHandFedGroups, EVERY, handFedGroup} from './hand-fed-group.js';
import {MINUTE, Recorder, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;
const seconds = (milliseconds: number) => Math.floor(milliseconds / SECOND);
const ports = (recorder: Recorder) => recorder.received.map(record => record.srcPort).sort((a, b) => a! - b!);

describe('the ingestion watermark of a live poller', () => {
	it('leaves a record ingested within the margin before a poll to the next poll, which takes it once', async () => {
		const group = await handFedGroup();
		group.arrive(
			{port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE},
			{port: 2, stamped: T0 - 3 * MINUTE, ingested: T0 - 10 * SECOND},
		);
		const recorder = new Recorder();
		group.poller().start(recorder);
		await group.time.runUntil(T0 + SECOND);
		expect(ports(recorder)).toEqual([1]);
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(ports(recorder)).toEqual([1, 2]);
		await group.time.runUntil(T0 + 6 * EVERY);
		expect(ports(recorder)).toEqual([1, 2]);
		// A poll that took nothing hands over nothing, not an empty batch.
		expect(recorder.batches.map(batch => batch.length)).toEqual([1, 1]);
	});

	it('says of what the first poll takes that it was there before: the window, not arrivals', async () => {
		const group = await handFedGroup();
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE});
		group.arrive({port: 2, stamped: T0 - MINUTE, ingested: T0 + 10 * SECOND});
		const backlog: boolean[] = [];
		group.poller().start({
			records: (_records, isBacklog) => backlog.push(isBacklog === true),
			columns() {},
			status() {},
		});
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(backlog).toEqual([true, false]);
	});

	it('takes a record ingested at the very end of a window with that window', async () => {
		const group = await handFedGroup();
		// The first window is (0, T0 - 30 s].
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 30 * SECOND});
		const recorder = new Recorder();
		group.poller().start(recorder);
		await group.time.runUntil(T0 + SECOND);
		expect(ports(recorder)).toEqual([1]);
		await group.time.runUntil(T0 + 3 * EVERY + SECOND);
		expect(ports(recorder)).toEqual([1]);
	});

	it('first reads the whole window, then asks each poll for what reached CloudWatch after the last one, one horizon back', async () => {
		const group = await handFedGroup();
		// Ingested four minutes after its capture window started: a horizon of 4 x 1.25 + 1 = 6 minutes.
		group.arrive({port: 1, stamped: T0 - 6 * MINUTE, ingested: T0 - 2 * MINUTE});
		const poller = group.poller();
		poller.start(new Recorder());
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(poller.newRecordsBy).toBe('ingestion');
		expect(poller.lateness).toEqual({horizonMs: 6 * MINUTE, delayMs: 4 * MINUTE, marginMs: 30 * SECOND});
		await group.time.runUntil(T0 + 2 * EVERY + SECOND);
		const firstWindowEnd = T0 - 30 * SECOND;
		expect(group.queries.slice(0, 3)).toEqual([
			{queryString: RECORDS_QUERY, startTime: seconds(T0 - 60 * MINUTE), endTime: seconds(T0)},
			{
				queryString: newRecordsQuery({after: firstWindowEnd, upTo: firstWindowEnd + EVERY}),
				startTime: seconds(firstWindowEnd - 6 * MINUTE),
				endTime: seconds(T0 + EVERY),
			},
			{
				queryString: newRecordsQuery({after: firstWindowEnd + EVERY, upTo: firstWindowEnd + 2 * EVERY}),
				startTime: seconds(firstWindowEnd + EVERY - 6 * MINUTE),
				endTime: seconds(T0 + 2 * EVERY),
			},
		]);
	});
});

/** Three records; the second reaches CloudWatch at T0 + 10 s but is searchable only 70 s later. */
const LATE_TO_SEARCH = [
	{port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE},
	// The poll at T0 + 1 min asks for (T0 - 30 s, T0 + 30 s], and this one is not searchable yet.
	{port: 2, stamped: T0 - 2 * MINUTE, ingested: T0 + 10 * SECOND, searchable: T0 + 80 * SECOND},
	{port: 3, stamped: T0 - 2 * MINUTE, ingested: T0 + 40 * SECOND},
];

describe('a record CloudWatch took in but could not search yet when its window was polled', () => {
	it('is found by the re-check of the closed windows, taken once, and widens the margin to 1.5 times its lag', async () => {
		const group = await handFedGroup();
		group.arrive(...LATE_TO_SEARCH);
		const poller = group.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		await group.time.runUntil(T0 + 3 * EVERY + SECOND);
		expect(ports(recorder)).toEqual([1, 3]);
		expect(poller.lateness.marginMs).toBe(10 * SECOND);
		await group.time.runUntil(T0 + 4 * EVERY + SECOND);
		expect(ports(recorder)).toEqual([1, 2, 3]);
		// Missed by the poll at T0 + 1 min, 50 s after it was ingested.
		expect(poller.lateness.marginMs).toBe(75 * SECOND);
		await group.time.runUntil(T0 + 10 * EVERY);
		expect(ports(recorder)).toEqual([1, 2, 3]);
	});
});

describe('--debug', () => {
	it('tells of each poll the window it asked for, over which @timestamps, its queries and what they scanned, and of each re-check', async () => {
		const group = await handFedGroup();
		group.arrive(...LATE_TO_SEARCH);
		const lines: string[] = [];
		group.poller({debug: line => lines.push(line)}).start(new Recorder());
		await group.time.runUntil(T0 + 6 * EVERY + SECOND);
		// T0 is 09:00:20. The first window starts at the epoch: everything ingested before the margin.
		expect(lines).toEqual([
			'new records are told by @ingestionTime: each poll asks for what reached CloudWatch since the previous one',
			'poll: ingestion window (1970-01-01T00:00:00.000Z, 2026-03-01T08:59:50.000Z] (margin 30 s); @timestamp 2026-03-01T08:00:20.000Z to 2026-03-01T09:00:20.999Z; 1 queries, 1 new records, 86 bytes scanned, 0.3 s',
			// Port 1 came 3 minutes after its stamp: a horizon of 4 min 45 s.
			'poll: ingestion window (2026-03-01T08:59:50.000Z, 2026-03-01T09:00:50.000Z] (margin 30 s); @timestamp 2026-03-01T08:55:05.000Z to 2026-03-01T09:01:20.999Z; 1 queries, 0 new records, 172 bytes scanned, 0.3 s',
			're-check of ingestion window (1970-01-01T00:00:00.000Z, 2026-03-01T08:59:50.000Z]: 1 records, 1 taken before, 0 found late; margin now 10 s',
			'poll: ingestion window (2026-03-01T09:00:50.000Z, 2026-03-01T09:01:50.000Z] (margin 10 s); @timestamp 2026-03-01T08:56:05.000Z to 2026-03-01T09:02:20.999Z; 2 queries (with a re-check), 1 new records, 430 bytes scanned, 0.5 s',
			'poll: ingestion window (2026-03-01T09:01:50.000Z, 2026-03-01T09:03:10.000Z] (margin 10 s); @timestamp 2026-03-01T08:57:05.000Z to 2026-03-01T09:03:20.999Z; 1 queries, 0 new records, 172 bytes scanned, 0.3 s',
			're-check of ingestion window (2026-03-01T08:59:50.000Z, 2026-03-01T09:01:50.000Z]: 2 records, 1 taken before, 1 found late; margin now 75 s',
			'poll: ingestion window (2026-03-01T09:03:10.000Z, 2026-03-01T09:04:10.000Z] (margin 75 s); @timestamp 2026-03-01T08:58:25.000Z to 2026-03-01T09:04:20.999Z; 3 queries (with a re-check), 0 new records, 516 bytes scanned, 0.8 s',
			// The margin grew past the gap between polls: nothing is searchable past the last window yet.
			'poll: nothing new past the margin yet; no query; 0 queries, 0 new records, 0 bytes scanned, 0.0 s',
			'poll: ingestion window (2026-03-01T09:04:10.000Z, 2026-03-01T09:05:05.000Z] (margin 75 s); @timestamp 2026-03-01T08:59:25.000Z to 2026-03-01T09:06:20.999Z; 1 queries, 0 new records, 0 bytes scanned, 0.3 s',
		]);
	});
});

describe('an endpoint that ignores the filter on @ingestionTime', () => {
	it('still hands over each record once, at the poll whose window holds its @ingestionTime', async () => {
		const group = await handFedGroup({ignoresIngestionFilter: true});
		group.arrive(
			{port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE},
			{port: 2, stamped: T0 - 3 * MINUTE, ingested: T0 - 10 * SECOND},
			{port: 3, stamped: T0 - 2 * MINUTE, ingested: T0 + 40 * SECOND},
		);
		const recorder = new Recorder();
		const poller = group.poller();
		poller.start(recorder);
		const taken: Array<Array<number | undefined>> = [];
		for (let poll = 0; poll < 3; poll++) {
			await group.time.runUntil(T0 + poll * EVERY + SECOND);
			taken.push(ports(recorder));
		}

		expect(taken).toEqual([[1], [1, 2], [1, 2, 3]]);
		// Past the re-checks, which forget the records of the windows they closed.
		await group.time.runUntil(T0 + 10 * EVERY);
		expect(ports(recorder)).toEqual([1, 2, 3]);
		expect(poller.lateness.marginMs).toBe(10 * SECOND);
	});
});

describe('a re-check the account throttles', () => {
	it('is tried again, saying why, and counts the closed windows all the same', async () => {
		// One StartQuery a second: the re-check's count comes right after the poll's own query.
		const group = await handFedGroup({limits: {requestsPerSecond: {StartQuery: 1}}});
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE});
		const lines: string[] = [];
		const recorder = new Recorder();
		group.poller({debug: line => lines.push(line)}).start(recorder);
		await group.time.runUntil(T0 + 2 * EVERY + 10 * SECOND);
		expect(recorder.messages('backing-off')).toEqual(['CloudWatch Logs is throttling (ThrottlingException)']);
		expect(recorder.statuses.filter(status => status.kind === 'error')).toEqual([]);
		expect(lines.filter(line => line.startsWith('re-check'))).toEqual([
			're-check of ingestion window (1970-01-01T00:00:00.000Z, 2026-03-01T08:59:50.000Z]: 1 records, 1 taken before, 0 found late; margin now 10 s',
		]);
	});
});
