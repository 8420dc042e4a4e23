import {describe, expect, it} from 'vitest';
import {DEMO_LOG_GROUP} from '../../../source/demo/feed/feed.js';
import {diagnose} from '../../../source/diagnosis/diagnose.js';
import {EMPTY_FILTER} from '../../../source/engine/filter.js';
import {FlowStore} from '../../../source/engine/store.js';
import {computeViews} from '../../../source/engine/views.js';
import {DEFAULT_FORMAT, formatLine} from '../../../source/flowlog/format.js';
import type {ModeSetting} from '../../../source/sources/insights/query-mode.js';
import {INITIAL_MARGIN_MS} from '../../../source/sources/insights/searchable-margin.js';
import {busyWorld, closeWorlds, END, INTERVAL, MINUTE, StoreListener, T0, type World} from './world.js';

closeWorlds();

/** What is shown: the panes' first ten rows and the findings. */
function shown(store: FlowStore) {
	const {recentRejects, ...views} = computeViews(store, EMPTY_FILTER, {limit: 10});
	return {
		views,
		findings: diagnose(store).map(({kind, eni, count, summary}) => ({kind, eni, count, summary})),
	};
}

async function polled(w: World, mode: ModeSetting, until: number): Promise<StoreListener> {
	const listener = new StoreListener();
	const poller = w.poller({mode, top: 10});
	poller.start(listener);
	await w.time.runUntil(until);
	await poller.stop();
	return listener;
}

/** `count` accepted records at `time`, each from a client of its own: the traffic of a busy public service. */
function crowd(count: number, time: number): string[] {
	return Array.from({length: count}, (_, i) =>
		formatLine(
			{
				version: 2,
				'account-id': '123456789012',
				'interface-id': 'eni-0crowd',
				srcaddr: `100.${64 + ((i >> 16) & 63)}.${(i >> 8) & 255}.${i & 255}`,
				dstaddr: '10.0.1.200',
				srcport: 40_000 + (i % 20_000),
				dstport: 443,
				protocol: 6,
				packets: 10,
				bytes: 4000 + (i % 7),
				start: time,
				end: time + 30,
				action: 'ACCEPT',
				'log-status': 'OK',
			},
			DEFAULT_FORMAT,
		),
	);
}

/** Records that reach CloudWatch at once, stamped with their start, on a stream of their own. */
function arrive(w: World, lines: readonly string[]): void {
	// PutLogEvents takes 10,000 events and 1 MiB at most.
	const batch = 5000;
	const stream = `crowd-${w.endpoint.store.describeGroups().length}-${lines.length}`;
	w.endpoint.store.createStream(DEMO_LOG_GROUP, stream);
	for (let first = 0; first < lines.length; first += batch) {
		w.endpoint.store.putLogEvents(
			DEMO_LOG_GROUP,
			stream,
			lines.slice(first, first + batch).map(line => ({timestamp: Number(line.split(' ')[10]) * 1000, message: line})),
		);
	}
}

describe('the Insights poller in aggregate mode', () => {
	it('ends where raw mode ends on the same records, delivered minutes late across the polls', async () => {
		const options = {scenario: 'nacl-return-outbound', rate: 0.5};
		const raw = await polled(await busyWorld(options), 'raw', END);
		const aggregate = await polled(await busyWorld(options), 'aggregate', END);
		// The whole window once, then what is new added poll by poll.
		expect(aggregate.replaced).toBe(1);
		expect(aggregate.added).toBeGreaterThan(10);
		expect(shown(aggregate.store)).toEqual(shown(raw.store));
		expect(shown(raw.store).findings.map(finding => finding.kind)).toEqual(
			expect.arrayContaining(['nacl-return-blocked', 'nat-unsolicited-inbound']),
		);
		expect(aggregate.modes.every(mode => mode.mode === 'aggregate')).toBe(true);
	}, 120_000);

	it('auto: reads a quiet window raw, turns to Insights sums when a crowd arrives, and back when it has passed', async () => {
		const w = await busyWorld({format: DEFAULT_FORMAT, rate: 0.1});
		const listener = new StoreListener();
		const poller = w.poller({mode: 'auto', top: 10});
		poller.start(listener);
		await w.time.runUntil(T0 + 2 * INTERVAL);
		expect(listener.replaced).toBe(0);
		expect(listener.modes[0]!.mode).toBe('raw');
		expect(listener.modes[0]!.reason).toMatch(/^auto: [\d.]+k? records in the window, raw pages hold them$/);
		expect(poller.queryMode.mode).toBe('raw');

		arrive(w, crowd(8000, Math.floor(w.time.now() / 1000) - 120));
		// Polls go on until every record is delivered, and some after: the crowd was a burst.
		await w.time.runUntil(END + 3 * INTERVAL);
		await poller.stop();
		expect(listener.modes.map(mode => mode.mode)).toEqual(['raw', 'aggregate', 'raw']);
		expect(listener.modes.at(-2)!.reason).toMatch(
			/^auto: 8\.\dk new records in a poll \(raw is comfortable to 5\.0k\)$/,
		);
		expect(listener.modes.at(-1)!.reason).toMatch(/^auto: about \d+ new records a poll, raw pages hold them$/);
		// Back to raw, the window is read afresh behind the sums: the panes never go blank meanwhile.
		expect(listener.emptied).toBe(0);
		expect(listener.thinned).toBe(0);

		const truth = new FlowStore({windowSeconds: 60 * 60});
		truth.add(w.visibleRecords());
		truth.advanceTo(w.time.now() / 1000);
		expect(shown(listener.store)).toEqual(shown(truth));
		expect(shown(listener.store).views.talkers.dst.find(row => row.dst === '10.0.1.200')?.flows).toBe(8000);
	}, 120_000);
});

describe('the first screen of a busy group', () => {
	it('comes whole from a count, 19 stats queries, two that look for NAT gateways and two parts of the gateway found, one of how late records come and one of messages that are no record, whatever the records, up to the searchable margin', async () => {
		const w = await busyWorld({format: DEFAULT_FORMAT, rate: 0.5});
		const lines = crowd(20_000, Math.floor(T0 / 1000) - 300);
		const events = lines.map(line => ({timestamp: Number(line.split(' ')[10]) * 1000, message: line}));
		w.endpoint.store.deliver(DEMO_LOG_GROUP, 'crowd', events, T0 - MINUTE);
		const listener = await polled(w, 'auto', T0 + MINUTE / 2);
		expect(listener.modes[0]!.reason).toMatch(/^auto: 2\d\.\dk records in the window \(raw is comfortable to 5\.0k\)$/);
		expect(listener.replaced).toBe(1);
		// The demo VPC's NAT gateway forwards its instances' requests: the default format names it no other way.
		expect(w.queries).toHaveLength(26);
		// What reached CloudWatch in the last margin is left for the next poll, which adds it: it may not be searchable yet.
		const shown = computeViews(listener.store, EMPTY_FILTER).totals.flows;
		expect(shown).toBe(w.visibleRecords(record => record.status === 'OK', T0 - INITIAL_MARGIN_MS).length);
		expect(shown).toBeGreaterThan(20_000);
	}, 60_000);
});
