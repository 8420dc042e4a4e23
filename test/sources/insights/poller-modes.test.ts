import {describe, expect, it} from 'vitest';
import type {AggregatedRecords} from '../../../source/engine/store.js';
import {DEFAULT_FORMAT, formatLine, formatOf} from '../../../source/flowlog/format.js';
import {type QueryMode, RAW_COMFORT} from '../../../source/sources/insights/query-mode.js';
import type {SourceListener, SourceStatus} from '../../../source/sources/source.js';
import {closeHandFedGroups, EVERY, flowMessage, GROUP, type HandFedOptions, handFedGroup} from './hand-fed-group.js';
import {MINUTE, Recorder, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;

/** A listener that also takes whole windows of sums, and is told of each change of mode. */
class ModeRecorder extends Recorder {
	readonly replaced: AggregatedRecords[][] = [];
	readonly added: AggregatedRecords[][] = [];
	readonly modes: QueryMode[] = [];

	replace(rows: AggregatedRecords[]): void {
		this.replaced.push(rows);
	}

	addSums(rows: AggregatedRecords[]): void {
		this.added.push(rows);
	}

	mode(mode: QueryMode): void {
		this.modes.push(mode);
	}
}

/** An SSH connection to 10.0.2.9, refused or accepted. */
function sshFrom(source: string, port: number, stamped: number, action: 'ACCEPT' | 'REJECT'): string {
	const start = Math.floor(stamped / SECOND);
	return formatLine(
		{
			version: 2,
			'account-id': '123456789012',
			'interface-id': 'eni-0a1',
			srcaddr: source,
			dstaddr: '10.0.2.9',
			srcport: port,
			dstport: 22,
			protocol: 6,
			packets: 1,
			bytes: 40,
			start,
			end: start + 60,
			action,
			'log-status': 'OK',
		},
		DEFAULT_FORMAT,
	);
}

/** `count` records from as many ports, all stamped in the same second. */
function sameSecond(count: number, stamped: number, firstPort = 1) {
	return Array.from({length: count}, (_, i) => ({port: firstPort + i, stamped, ingested: stamped + MINUTE}));
}

const recordsIn = (rows: readonly AggregatedRecords[]) => rows.reduce((sum, row) => sum + row.records, 0);

describe('--mode aggregate', () => {
	it('hands over the whole window as sums, then adds what is new each poll, and says with --debug what each poll asked and scanned', async () => {
		const group = await handFedGroup();
		group.arrive(...sameSecond(3, T0 - 5 * MINUTE));
		const lines: string[] = [];
		const recorder = new ModeRecorder();
		const queriesTold: number[] = [];
		recorder.cost = cost => queriesTold.push(cost.queries);
		const poller = group.poller({mode: 'aggregate', debug: line => lines.push(line)});
		poller.start(recorder);
		group.arrive(...sameSecond(2, T0 - 2 * MINUTE, 10).map(arrival => ({...arrival, ingested: T0 + 10 * SECOND})));
		await group.time.runUntil(T0 + EVERY + 20 * SECOND);
		expect(recorder.received).toEqual([]);
		expect(recorder.replaced.map(recordsIn)).toEqual([3]);
		expect(recorder.added.map(recordsIn)).toEqual([2]);
		expect(poller.recordsTaken).toBe(5);
		expect(recorder.modes.at(-1)).toEqual({mode: 'aggregate', reason: '--mode aggregate'});
		expect(poller.polledWith).toEqual({mode: 'aggregate', reason: '--mode aggregate'});
		// The first poll reads the window up to the margin, and how late its records came; the next only what reached
		// CloudWatch since, a lateness horizon back (not the window: a 2.25 min horizon for records a minute late), the top
		// lists (a minute old by then) asked again over the window, with the interfaces that forwarded over it: what is
		// new is not asked that again (the default format has no field that says which translate).
		expect(lines.map(line => line.replace(/\d+\.\d s$/, 'N s'))).toEqual([
			'poll: aggregate, the whole window (the first poll); window @timestamp 2026-03-01T08:00:20.000Z to 2026-03-01T09:00:20.999Z; 24 queries, 13 rows, 3 records, 6192 bytes scanned, N s',
			'poll: aggregate, what reached CloudWatch in (2026-03-01T08:59:50.000Z, 2026-03-01T09:00:50.000Z] from @timestamp 2026-03-01T08:57:35.000Z, the top lists asked again: their leaders all kept; window @timestamp 2026-03-01T08:01:20.000Z to 2026-03-01T09:01:20.999Z; 22 queries, 2 rows, 2 records, 6666 bytes scanned, N s',
		]);
		expect(poller.costs).toMatchObject({queries: 46, bytesScanned: 6192 + 6666});
		// The status bar's bytes scanned move with every query that ends, not once a poll.
		expect(queriesTold.slice(0, 24)).toEqual(Array.from({length: 24}, (_, i) => i + 1));
	});

	it('counts the messages that are no record as malformed, as raw mode does, once however often the window is read', async () => {
		const group = await handFedGroup();
		const stamped = T0 - 5 * MINUTE;
		group.arrive(...sameSecond(3, stamped), {
			port: 900,
			stamped,
			ingested: stamped + MINUTE,
			message: '2 123456789012 eni-0a1 10.0.1.5 10.0.2.9 443',
		});
		const counted = async (mode: 'raw' | 'aggregate') => {
			const poller = group.poller({mode});
			group.time.runFreely();
			await poller.pollOnce(new ModeRecorder());
			return {malformed: poller.stats.malformed, reasons: [...poller.stats.byReason]};
		};

		const raw = await counted('raw');
		expect(raw).toEqual({malformed: 1, reasons: [['wrong field count: expected 14, got 6', 1]]});
		expect(await counted('aggregate')).toEqual(raw);

		// Polls of the whole window again (the top lists rank a newcomer) count the same message once.
		const lines: string[] = [];
		const live = group.poller({mode: 'aggregate', debug: line => lines.push(line)});
		live.start(new ModeRecorder());
		await group.time.runUntil(T0 + 10 * SECOND);
		group.arrive({
			port: 901,
			stamped: T0,
			ingested: T0 + 20 * SECOND,
			message: sshFrom('203.0.113.7', 5, T0, 'ACCEPT'),
		});
		await group.time.runUntil(T0 + 3 * EVERY);
		expect(lines.filter(line => line.includes('the whole window')).length).toBeGreaterThan(1);
		expect(live.stats.malformed).toBe(1);
	});

	it('says what it could not read whole: a second with more rows than a query returns, refused addresses past those named', async () => {
		const group = await handFedGroup();
		const stamped = T0 - 5 * MINUTE;
		// 250 refused sources over three seconds: 50 more addresses than the queries follow by name.
		const refused = Array.from({length: 250}, (_, i) => ({
			port: i,
			stamped: stamped + (i % 3) * SECOND,
			ingested: T0 - MINUTE,
			message: sshFrom(`203.0.${i >> 8}.${i & 255}`, 40_000 + i, stamped, 'REJECT'),
		}));
		// 150 accepted in one second, more than the 100 rows a query returns here.
		const accepted = Array.from({length: 150}, (_, i) => ({
			port: 1000 + i,
			stamped: stamped + 10 * SECOND,
			ingested: T0 - MINUTE,
			message: sshFrom(`198.51.100.${i}`, 40_000 + i, stamped + 10 * SECOND, 'ACCEPT'),
		}));
		group.arrive(...refused, ...accepted);
		const recorder = new ModeRecorder();
		group.poller({mode: 'aggregate', queryLimit: 100}).start(recorder);
		await group.time.runUntil(T0 + 40 * SECOND);
		expect(recorder.modes).toEqual([
			{
				mode: 'aggregate',
				reason:
					'--mode aggregate; accepted requests to login ports: a second held more rows than a query returns, some were not read; 51 addresses of refused records not followed by name',
			},
		]);
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
	it('stays raw while each poll brings few records', async () => {
		const group = await handFedGroup();
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE});
		const recorder = new ModeRecorder();
		group.poller({mode: 'auto'}).start(recorder);
		await group.time.runUntil(T0 + 2 * EVERY + SECOND);
		group.arrive({port: 2, stamped: T0, ingested: T0 + 2 * EVERY});
		await group.time.runUntil(T0 + 4 * EVERY + SECOND);
		expect(recorder.received.map(record => record.srcPort)).toEqual([1, 2]);
		expect(recorder.modes).toEqual([{mode: 'raw', reason: 'auto: 1 records in the window, raw pages hold them'}]);
	});

	it('counts the window again on the next poll when the count failed for a passing reason', async () => {
		const group = await handFedGroup();
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE});
		group.endpoint.faults.fail('StartQuery', 'ThrottlingException', {times: 5});
		const recorder = new ModeRecorder();
		group.poller({mode: 'auto'}).start(recorder);
		await group.time.runUntil(T0 + 30 * SECOND);
		expect(recorder.messages('backing-off')).toHaveLength(5);
		expect(recorder.modes).toEqual([{mode: 'raw', reason: 'auto: 1 records in the window, raw pages hold them'}]);
		expect(recorder.received).toHaveLength(1);
	});

	it('reads raw for good, and says why once, from an endpoint that refuses to count', async () => {
		const group = await handFedGroup({refusesStats: true});
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE});
		const recorder = new ModeRecorder();
		group.poller({mode: 'auto'}).start(recorder);
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(recorder.modes).toEqual([
			{
				mode: 'raw',
				reason: `raw: ${group.url} refused flowtop's own request (MalformedQueryException: unexpected symbol found stats): a bug in flowtop or the endpoint; please report it, with the query from --debug`,
			},
		]);
		expect(recorder.received).toHaveLength(1);
	});

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

describe('back from sums to raw records (--mode auto)', () => {
	/** More than raw pages hold comfortably, all at T0 - 5 min, and one more ingested 5 s before T0. */
	async function crowded(dialect: HandFedOptions = {}, listener: SourceListener = new ModeRecorder()) {
		const group = await handFedGroup(dialect);
		const stamped = T0 - 5 * MINUTE;
		const crowd = Array.from({length: RAW_COMFORT + 1}, () => ({timestamp: stamped, message: flowMessage(1, stamped)}));
		group.endpoint.store.deliver(GROUP, 'crowd', crowd, T0 - 4 * MINUTE);
		group.arrive({port: 2, stamped: T0 - MINUTE, ingested: T0 - 5 * SECOND});
		// The first poll reads sums; a poll every 15 s brings few records: raw after that.
		const poller = group.poller({mode: 'auto', intervalMs: 15 * SECOND});
		poller.start(listener);
		return {group, recorder: listener as ModeRecorder, poller};
	}

	const total = RAW_COMFORT + 2;

	it('keeps the sums on screen until the window has been read afresh up to the moment they were taken, then hands it over whole', async () => {
		const {group, recorder, poller} = await crowded();
		await group.time.runUntil(T0 + 14 * SECOND);
		// The sums leave out the record ingested within the margin before them: the re-read takes it.
		expect(recorder.replaced.map(recordsIn)).toEqual([total - 1]);
		expect(recorder.modes).toEqual([
			{mode: 'aggregate', reason: 'auto: 5.0k records in the window (raw is comfortable to 5.0k)'},
			{mode: 'raw', reason: 'auto: about 21 new records a poll, raw pages hold them'},
		]);
		expect(poller.polledWith?.mode).toBe('aggregate');
		// The first raw poll reads what was ingested up to 15 s before the sums: the panes keep them.
		await group.time.runUntil(T0 + 29 * SECOND);
		expect(recorder.replaced).toHaveLength(1);
		expect(poller.polledWith?.mode).toBe('raw');
		// The second reads up to the very moment of the sums: the window, read afresh, takes their place, one row a record.
		await group.time.runUntil(T0 + 44 * SECOND);
		expect(recorder.replaced).toHaveLength(2);
		expect(recorder.replaced[1]).toHaveLength(total);
		expect(recorder.replaced[1]!.every(row => row.records === 1)).toBe(true);
		expect(recorder.replaced[1]!.map(row => row.srcPort).filter(port => port === 2)).toEqual([2]);
		expect(recorder.received).toEqual([]);
		// From then on, new records come as records.
		group.arrive({port: 3, stamped: T0, ingested: T0 + 45 * SECOND});
		await group.time.runUntil(T0 + 2 * MINUTE);
		expect(recorder.received.map(record => record.srcPort)).toEqual([3]);
		expect(recorder.replaced).toHaveLength(2);
	});

	it('hands the window over after one poll from an endpoint that gives no @ingestionTime: no margin holds records back', async () => {
		const {group, recorder} = await crowded({withoutIngestionTime: true});
		await group.time.runUntil(T0 + 14 * SECOND);
		expect(recorder.replaced).toHaveLength(1);
		await group.time.runUntil(T0 + 29 * SECOND);
		expect(recorder.replaced.map(rows => rows.length)).toEqual([expect.any(Number), total]);
		expect(recorder.received).toEqual([]);
	});

	it('needs of a listener only records, columns and statuses', async () => {
		const statuses: SourceStatus[] = [];
		const {group} = await crowded({}, {records() {}, columns() {}, status: status => statuses.push(status)});
		await group.time.runUntil(T0 + 44 * SECOND);
		// The sums, the re-read up to 15 s before them, and the re-read that ends.
		expect(statuses.filter(status => status.kind === 'polling')).toHaveLength(3);
		expect(statuses.filter(status => status.kind === 'error')).toEqual([]);
		expect(statuses.at(-1)?.kind).toBe('waiting');
	});
});
