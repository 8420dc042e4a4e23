import {describe, expect, it} from 'vitest';
import {formatOf} from '../../../source/flowlog/format.js';
import type {InsightsPollerOptions} from '../../../source/sources/insights/poller.js';
import {RECORDS_QUERY} from '../../../source/sources/insights/query.js';
import type {SourceStatus} from '../../../source/sources/source.js';
import {closeHandFedGroups, EVERY, GROUP, type HandFedOptions, handFedGroup} from './hand-fed-group.js';
import {MINUTE, Recorder, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;
const ONE_RECORD = {port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE};

describe('between polls, a live poller', () => {
	it('says when the next poll is, from the start of the last one', async () => {
		const group = await handFedGroup();
		group.arrive(ONE_RECORD);
		const recorder = new Recorder();
		group.poller().start(recorder);
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(recorder.statuses).toEqual([
			{kind: 'starting'},
			{kind: 'polling', since: T0},
			{kind: 'waiting', nextPollAt: T0 + EVERY},
			{kind: 'polling', since: T0 + EVERY},
			{kind: 'waiting', nextPollAt: T0 + 2 * EVERY},
		]);
		expect(recorder.ticks.at(-1)).toBeGreaterThan(T0 + EVERY);
	});

	it('says, as news, that a group with no records over everything it holds has none yet', async () => {
		const group = await handFedGroup();
		const recorder = new Recorder();
		group.poller({windowMs: Number.POSITIVE_INFINITY}).start(recorder);
		await group.time.runUntil(T0 + SECOND);
		expect(recorder.statuses.at(-1)).toEqual({
			kind: 'waiting',
			nextPollAt: T0 + EVERY,
			note: `no flow-log records in ${GROUP} yet (they reach CloudWatch minutes after capture); still polling`,
		});
		// Everything the group holds: from the epoch.
		expect(group.queries).toEqual([{queryString: RECORDS_QUERY, startTime: 0, endTime: Math.floor(T0 / SECOND)}]);
	});

	it('does not call a group empty that holds messages it could not read', async () => {
		const group = await handFedGroup();
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE, message: 'not a flow-log record'});
		const recorder = new Recorder();
		const poller = group.poller();
		poller.start(recorder);
		await group.time.runUntil(T0 + SECOND);
		expect(recorder.statuses.at(-1)).toEqual({kind: 'waiting', nextPollAt: T0 + EVERY});
		expect(poller.stats.malformed).toBe(1);
	});
});

describe('--budget', () => {
	// At $1,000,000 a GB, one poll over this one record's 86 bytes costs $0.086: $5.16 an hour at one a minute.
	const price = {pricePerGb: 1_000_000};

	it('spaces polls out from the second poll on, when their scans would cost more an hour than the budget', async () => {
		const group = await handFedGroup();
		group.arrive(ONE_RECORD);
		const lines: string[] = [];
		const recorder = new Recorder();
		group.poller({budget: {dollarsPerHour: 2, ...price}, debug: line => lines.push(line)}).start(recorder);
		await group.time.runUntil(T0 + EVERY + SECOND);
		const note = 'polling every 2m35s, not 1m: the scans would cost $5.2/h, over the $2.0/h --budget';
		// The first poll reads the whole window once; the polls after it are what recur.
		expect(recorder.statuses.filter(status => status.kind === 'waiting')).toEqual([
			{kind: 'waiting', nextPollAt: T0 + EVERY},
			{kind: 'waiting', nextPollAt: T0 + EVERY + 155 * SECOND, note},
		]);
		expect(lines).toContain(`budget: ${note}`);
	});

	it('names dollars to a tenth from ten up', async () => {
		const group = await handFedGroup();
		group.arrive(ONE_RECORD);
		const recorder = new Recorder();
		group.poller({budget: {dollarsPerHour: 10, pricePerGb: 10 * price.pricePerGb}}).start(recorder);
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(recorder.messages('waiting').at(-1)).toBe(
			'polling every 5m10s, not 1m: the scans would cost $51.6/h, over the $10.0/h --budget',
		);
	});

	it('names a budget under a dollar with two figures', async () => {
		const group = await handFedGroup();
		group.arrive(ONE_RECORD);
		const recorder = new Recorder();
		group.poller({budget: {dollarsPerHour: 0.5, ...price}}).start(recorder);
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(recorder.messages('waiting').at(-1)).toBe(
			'polling every 10m20s, not 1m: the scans would cost $5.2/h, over the $0.50/h --budget',
		);
	});
});

describe('what --once reports of its poll', () => {
	it('counts the records taken, the queries and what they scanned, and says how the group was read', async () => {
		const group = await handFedGroup();
		group.arrive(ONE_RECORD, {port: 2, stamped: T0 - 4 * MINUTE, ingested: T0 - 5 * SECOND});
		const poller = group.poller();
		group.time.runFreely();
		await poller.pollOnce(new Recorder());
		expect(poller.recordsTaken).toBe(2);
		expect(poller.costs).toEqual({
			queries: 1,
			bytesScanned: 172,
			recordsScanned: 2,
			recordsMatched: 2,
			bytesReceived: 172,
		});
		expect(poller.polledWith).toEqual({mode: 'raw', reason: '--mode raw'});
		expect(poller.overflow).toBe(0);
		expect(poller.context).toEqual({logGroups: [GROUP], endpoint: group.url, region: 'us-east-1', profile: undefined});
	});
});

describe('a listener that takes only records and statuses', () => {
	const scenarios: Array<[string, Partial<InsightsPollerOptions>, HandFedOptions, number]> = [
		['raw, through a failed poll', {}, {}, 1],
		['auto, counting first and turning to sums after a full page', {mode: 'auto', queryLimit: 2}, {}, 0],
		['aggregate', {mode: 'aggregate'}, {}, 0],
		[
			'aggregate over a format without the fields',
			{mode: 'aggregate', format: formatOf(['version', 'srcaddr'])},
			{},
			0,
		],
		['aggregate from an endpoint that refuses stats', {mode: 'aggregate'}, {refusesStats: true}, 0],
	];

	it.each(scenarios)('is all a poller needs: %s', async (_, options, dialect, failures) => {
		const group = await handFedGroup(dialect);
		group.arrive(
			ONE_RECORD,
			...Array.from({length: 3}, (_, i) => ({port: 10 + i, stamped: T0, ingested: T0 + 30 * SECOND})),
		);
		if (failures > 0) {
			group.endpoint.faults.fail('StartQuery', 'ServiceUnavailableException', {times: 5 * failures});
		}

		const statuses: SourceStatus[] = [];
		const poller = group.poller(options);
		poller.start({records() {}, columns() {}, status: status => statuses.push(status)});
		await group.time.runUntil(T0 + EVERY + 30 * SECOND);
		await poller.stop();
		expect(statuses.filter(status => status.kind === 'polling')).toHaveLength(2 + failures);
		// Each poll that failed was tried four more times by the call that failed.
		expect(statuses.filter(status => status.kind === 'error')).toHaveLength(5 * failures);
		expect(statuses.at(-1)?.kind).toBe('waiting');
	});
});

describe('--debug over a group with no records yet', () => {
	it('says the first polls cannot tell yet whether the endpoint gives @ingestionTime', async () => {
		const group = await handFedGroup();
		const lines: string[] = [];
		group.poller({debug: line => lines.push(line)}).start(new Recorder());
		await group.time.runUntil(T0 + SECOND);
		expect(lines).toEqual([
			'poll: horizon re-fetch (no records yet to tell whether the endpoint gives @ingestionTime); @timestamp 2026-03-01T08:00:20.000Z to 2026-03-01T09:00:20.999Z; 1 queries, 0 new records, 0 bytes scanned, 0.3 s',
		]);
	});
});
