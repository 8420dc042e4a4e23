import {describe, expect, it} from 'vitest';
import type {AggregatedRecords} from '../../../source/engine/store.js';
import {formatLine, formatOf} from '../../../source/flowlog/format.js';
import type {QueryMode} from '../../../source/sources/insights/query-mode.js';
import {closeHandFedGroups, EVERY, handFedGroup} from './hand-fed-group.js';
import {MINUTE, Recorder, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;

/** A listener that also takes whole windows of sums, and is told of each change of mode. */
class ModeRecorder extends Recorder {
	readonly replaced: AggregatedRecords[][] = [];
	readonly modes: QueryMode[] = [];

	replace(rows: AggregatedRecords[]): void {
		this.replaced.push(rows);
	}

	mode(mode: QueryMode): void {
		this.modes.push(mode);
	}
}

/** `count` records from as many ports, all stamped in the same second. */
function sameSecond(count: number, stamped: number, firstPort = 1) {
	return Array.from({length: count}, (_, i) => ({port: firstPort + i, stamped, ingested: stamped + MINUTE}));
}

describe('--mode aggregate', () => {
	it('hands over the whole window as sums each poll, and says with --debug what each poll asked and scanned', async () => {
		const group = await handFedGroup();
		group.arrive(...sameSecond(3, T0 - 5 * MINUTE));
		const lines: string[] = [];
		const recorder = new ModeRecorder();
		const poller = group.poller({mode: 'aggregate', debug: line => lines.push(line)});
		poller.start(recorder);
		// Nineteen queries, two at a time: a few seconds a poll.
		await group.time.runUntil(T0 + EVERY + 20 * SECOND);
		expect(recorder.received).toEqual([]);
		expect(recorder.replaced.map(rows => rows.reduce((sum, row) => sum + row.records, 0))).toEqual([3, 3]);
		expect(poller.recordsTaken).toBe(3);
		expect(recorder.modes.at(-1)).toEqual({mode: 'aggregate', reason: '--mode aggregate'});
		expect(poller.polledWith).toEqual({mode: 'aggregate', reason: '--mode aggregate'});
		expect(lines[0]).toMatch(
			/^poll: aggregate, @timestamp 2026-03-01T08:00:20\.000Z to 2026-03-01T09:00:20\.999Z; (\d+) queries, (\d+) bytes scanned, \d+\.\d s$/,
		);
		const [, queries, bytes] = /(\d+) queries, (\d+) bytes/.exec(lines[0]!)!;
		expect(Number(queries)).toBe(group.queries.filter(query => query.endTime === Math.floor(T0 / SECOND)).length);
		expect(Number(bytes)).toBe(poller.costs.bytesScanned / 2);
	});

	it('says which parts it could not read whole when a second held more rows than a query returns', async () => {
		const group = await handFedGroup();
		group.arrive(...sameSecond(3, T0 - 5 * MINUTE));
		const recorder = new ModeRecorder();
		group.poller({mode: 'aggregate', queryLimit: 2}).start(recorder);
		await group.time.runUntil(T0 + 30 * SECOND);
		expect(recorder.modes.at(-1)?.reason).toMatch(
			/^--mode aggregate; [\w ,-]+: a second held more rows than a query returns, some were not read$/,
		);
	});

	it('reads raw records, and says why, when the format lacks a field the sums group by', async () => {
		const group = await handFedGroup();
		const format = formatOf(['version', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'start', 'end']);
		const message = formatLine(
			{
				version: 2,
				srcaddr: '10.0.1.5',
				dstaddr: '10.0.2.9',
				srcport: 1,
				dstport: 443,
				protocol: 6,
				start: Math.floor(T0 / SECOND) - 300,
				end: Math.floor(T0 / SECOND) - 240,
			},
			format,
		);
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE, message});
		const recorder = new ModeRecorder();
		group.poller({mode: 'aggregate', format}).start(recorder);
		await group.time.runUntil(T0 + SECOND);
		expect(recorder.received).toHaveLength(1);
		expect(recorder.modes).toEqual([
			{
				mode: 'raw',
				reason:
					'raw: the log format has no interface-id, packets, bytes, action, log-status, which aggregate queries group by',
			},
		]);
	});

	it('reads raw records, and says why, from an endpoint that refuses stats queries', async () => {
		const group = await handFedGroup({refusesStats: true});
		group.arrive(...sameSecond(3, T0 - 5 * MINUTE));
		const recorder = new ModeRecorder();
		group.poller({mode: 'aggregate'}).start(recorder);
		await group.time.runUntil(T0 + SECOND);
		expect(recorder.received).toHaveLength(3);
		expect(recorder.modes).toEqual([
			{
				mode: 'raw',
				reason: `raw: ${group.url} refused flowtop's own request (MalformedQueryException: unexpected symbol found stats): a bug in flowtop or the endpoint; please report it, with the query from --debug`,
			},
		]);
		expect(recorder.statuses.filter(status => status.kind === 'error')).toEqual([]);
	});
});

describe('--mode auto', () => {
	it('counts the window first, reads it raw when it is small, and turns to sums after a poll whose page came back full', async () => {
		const group = await handFedGroup();
		group.arrive(...sameSecond(3, T0 - 5 * MINUTE), {port: 100, stamped: T0 - 4 * MINUTE, ingested: T0 - 3 * MINUTE});
		const recorder = new ModeRecorder();
		const poller = group.poller({mode: 'auto', queryLimit: 2});
		poller.start(recorder);
		await group.time.runUntil(T0 + 20 * SECOND);
		expect(recorder.modes).toEqual([{mode: 'raw', reason: 'auto: 4 records in the window, raw pages hold them'}]);
		// The first poll reads the whole window: it tells nothing of what one poll brings.
		expect(poller.overflow).toBe(1);
		group.arrive(...sameSecond(3, T0 - MINUTE, 10));
		await group.time.runUntil(T0 + EVERY + 20 * SECOND);
		expect(poller.overflow).toBe(2);
		expect(recorder.modes.slice(1, 2)).toEqual([
			{
				mode: 'aggregate',
				reason: expect.stringMatching(/^auto: \d+ new records in a poll, a page full \(raw is comfortable to 5\.0k\)$/),
			},
		]);
	});
});
