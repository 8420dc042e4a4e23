import {describe, expect, it} from 'vitest';
import {DEMO_LOG_GROUP} from '../../../source/demo/feed/feed.js';
import {diagnose} from '../../../source/diagnosis/diagnose.js';
import {EMPTY_FILTER} from '../../../source/engine/filter.js';
import {type AggregatedRecords, FlowStore} from '../../../source/engine/store.js';
import {computeViews} from '../../../source/engine/views.js';
import {DEFAULT_FORMAT, formatLine} from '../../../source/flowlog/format.js';
import type {FlowRecord} from '../../../source/flowlog/record.js';
import type {ModeSetting, QueryMode} from '../../../source/sources/insights/query-mode.js';
import type {SourceListener} from '../../../source/sources/source.js';
import {busyWorld, closeWorlds, END, INTERVAL, MINUTE, T0, type World} from './world.js';

closeWorlds();

/** What the live view does with a source: a store fed as use-source feeds it, and the modes it was told. */
class StoreListener implements SourceListener {
	readonly store = new FlowStore({windowSeconds: 60 * 60});
	readonly modes: QueryMode[] = [];
	replaced = 0;

	records(records: FlowRecord[]): void {
		this.store.add(records);
	}

	replace(rows: AggregatedRecords[]): void {
		this.replaced++;
		this.store.clear();
		this.store.addAggregated(rows);
	}

	status(): void {}

	tick(now: number): void {
		this.store.advanceTo(now / 1000);
	}

	mode(mode: QueryMode): void {
		this.modes.push(mode);
	}
}

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

describe('the Insights poller in aggregate mode', () => {
	it('ends where raw mode ends on the same records, delivered minutes late across the polls', async () => {
		const options = {format: DEFAULT_FORMAT, scenario: 'nacl-return-outbound', rate: 0.5};
		const raw = await polled(await busyWorld(options), 'raw', END);
		const aggregate = await polled(await busyWorld(options), 'aggregate', END);
		expect(aggregate.replaced).toBeGreaterThan(10);
		expect(shown(aggregate.store)).toEqual(shown(raw.store));
		expect(shown(raw.store).findings.map(finding => finding.kind)).toContain('nacl-return-blocked');
		expect(aggregate.modes.every(mode => mode.mode === 'aggregate')).toBe(true);
	}, 120_000);

	it('auto: opens on Insights sums, goes raw while a poll brings few records, and back when a crowd arrives', async () => {
		const w = await busyWorld({format: DEFAULT_FORMAT, rate: 0.1});
		const listener = new StoreListener();
		const poller = w.poller({mode: 'auto', top: 10});
		poller.start(listener);
		await w.time.runUntil(T0 + 2 * INTERVAL);
		expect(listener.replaced).toBeGreaterThan(0);
		expect(listener.modes[0]!.mode).toBe('raw');
		expect(listener.modes[0]!.reason).toMatch(/^auto: about \d+ new records a poll, raw pages hold them$/);
		expect(poller.queryMode.mode).toBe('raw');

		// A crowd of 8,000 clients, one record each, reaches CloudWatch at once.
		const now = Math.floor(w.time.now() / 1000);
		w.endpoint.store.createStream(DEMO_LOG_GROUP, 'crowd');
		w.endpoint.store.putLogEvents(
			DEMO_LOG_GROUP,
			'crowd',
			crowd(8000, now - 120).map(message => ({timestamp: (now - 120) * 1000, message})),
		);
		// Polls go on until every record is delivered, and some after: the crowd was a burst.
		await w.time.runUntil(END + 3 * INTERVAL);
		await poller.stop();
		expect(listener.modes.map(mode => mode.mode)).toEqual([
			'raw',
			...listener.modes.slice(1, -2).map(() => 'raw'),
			'aggregate',
			'raw',
		]);
		expect(listener.modes.at(-2)!.reason).toMatch(
			/^auto: 8\.\dk new records in a poll \(raw is comfortable to 5\.0k\)$/,
		);
		expect(listener.modes.at(-1)!.reason).toMatch(/^auto: about \d+ new records a poll, raw pages hold them$/);

		const truth = new FlowStore({windowSeconds: 60 * 60});
		truth.add(w.visibleRecords());
		truth.advanceTo(w.time.now() / 1000);
		expect(shown(listener.store)).toEqual(shown(truth));
		expect(shown(listener.store).views.talkers.dst.find(row => row.dst === '10.0.1.200')?.flows).toBe(8000);
	}, 120_000);
});

describe('how aggregate mode looks', () => {
	it('a window of ten minutes from a handful of queries', async () => {
		const w = await busyWorld({rate: 0.5});
		const listener = await polled(w, 'aggregate', T0 + MINUTE / 2);
		expect(listener.replaced).toBe(1);
		expect(w.queries.length).toBeLessThanOrEqual(19);
	}, 60_000);
});
