import {describe, expect, it} from 'vitest';
import {RECORDS_QUERY} from '../../../source/sources/insights/query.js';
import {closeHandFedGroups, EVERY, handFedGroup} from './hand-fed-group.js';
import {MINUTE, Recorder, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;
const seconds = (milliseconds: number) => Math.floor(milliseconds / SECOND);
const ports = (recorder: Recorder) => recorder.received.map(record => record.srcPort).sort((a, b) => a! - b!);

describe('a live poller over an endpoint that gives no @ingestionTime (moto)', () => {
	it('re-reads one lateness horizon behind the last poll, and takes only the records it had not taken', async () => {
		const group = await handFedGroup({withoutIngestionTime: true});
		group.arrive(
			{port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE},
			{port: 2, stamped: T0 - MINUTE, ingested: T0 - 5 * SECOND},
		);
		const lines: string[] = [];
		const poller = group.poller({debug: line => lines.push(line)});
		const recorder = new Recorder();
		poller.start(recorder);
		await group.time.runUntil(T0 + SECOND);
		expect(ports(recorder)).toEqual([1, 2]);
		group.arrive(
			// Late, and stamped inside the horizon (15 minutes before any delay is known): found.
			{port: 3, stamped: T0 - 4 * MINUTE, ingested: T0 + 30 * SECOND},
			// Stamped further back than the horizon reaches: no poll looks there again.
			{port: 4, stamped: T0 - 20 * MINUTE, ingested: T0 + 30 * SECOND},
		);
		await group.time.runUntil(T0 + 3 * EVERY + SECOND);
		await poller.stop();

		expect(ports(recorder)).toEqual([1, 2, 3]);
		expect(poller.newRecordsBy).toBe('re-fetch');
		expect(poller.lateness).toEqual({horizonMs: 15 * MINUTE, delayMs: undefined, marginMs: 30 * SECOND});
		expect(group.queries).toEqual([
			{queryString: RECORDS_QUERY, startTime: seconds(T0 - 60 * MINUTE), endTime: seconds(T0)},
			{queryString: RECORDS_QUERY, startTime: seconds(T0) - 15 * 60, endTime: seconds(T0 + EVERY)},
			{queryString: RECORDS_QUERY, startTime: seconds(T0 + EVERY) - 15 * 60, endTime: seconds(T0 + 2 * EVERY)},
			{queryString: RECORDS_QUERY, startTime: seconds(T0 + 2 * EVERY) - 15 * 60, endTime: seconds(T0 + 3 * EVERY)},
		]);
		expect(lines[0]).toBe(
			`${group.url} gives no @ingestionTime: each poll re-fetches the lateness horizon and drops by @ptr what it took before`,
		);
		expect(lines.slice(1, 3).map(line => line.replace(/\d+ bytes scanned, [\d.]+ s$/, '…'))).toEqual([
			'poll: horizon re-fetch (the endpoint gives no @ingestionTime: new records told by @ptr); @timestamp 2026-03-01T08:00:20.000Z to 2026-03-01T09:00:20.999Z; 1 queries, 2 new records, …',
			'poll: horizon re-fetch (the endpoint gives no @ingestionTime: new records told by @ptr); @timestamp 2026-03-01T08:45:20.000Z to 2026-03-01T09:01:20.999Z; 1 queries, 1 new records, …',
		]);
	});
});

describe('a window shorter than the lateness horizon', () => {
	it.each([
		['told by @ingestionTime', {}],
		['re-fetched', {withoutIngestionTime: true}],
	])('bounds every poll of records %s', async (_, dialect) => {
		const group = await handFedGroup(dialect);
		group.arrive({port: 1, stamped: T0 - MINUTE, ingested: T0 - 50 * SECOND});
		group.poller({windowMs: 2 * MINUTE}).start(new Recorder());
		await group.time.runUntil(T0 + 2 * EVERY + SECOND);
		// The polls' own queries; a re-check counts again over the range its windows' polls read.
		const polls = group.queries.filter(query => query.queryString.startsWith(RECORDS_QUERY));
		expect(polls.map(query => query.startTime)).toEqual([
			seconds(T0 - 2 * MINUTE),
			seconds(T0 + EVERY - 2 * MINUTE),
			seconds(T0 + 2 * EVERY - 2 * MINUTE),
		]);
	});
});
