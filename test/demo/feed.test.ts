import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {type Endpoint, startEndpoint} from '../../source/demo/endpoint/endpoint.js';
import {DEMO_FORMAT} from '../../source/demo/feed/demo-format.js';
import {AWS_LIKE_DELIVERY, DEMO_LOG_GROUP, DEMO_RETENTION_MS, DemoFeed} from '../../source/demo/feed/feed.js';
import {VpcSimulator} from '../../source/demo/vpc/simulator.js';
import {FlowLogDecoder, parseRecord} from '../../source/flowlog/decoder.js';
import {DEFAULT_FORMAT, type FlowFormat} from '../../source/flowlog/format.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {VirtualTime} from '../sources/insights/virtual-time.js';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 20);
const MINUTE = 60_000;

let time: VirtualTime;
let endpoint: Endpoint;
beforeEach(async () => {
	time = new VirtualTime(T0);
	endpoint = await startEndpoint({clock: time.now});
});
afterEach(async () => {
	await endpoint.close();
});

function feed(
	format: FlowFormat = DEMO_FORMAT,
	historyMs = 5 * MINUTE,
	rate = 0.2,
): {feed: DemoFeed; simulator: VpcSimulator} {
	const simulator = new VpcSimulator({clock: time.now, seed: 5, historyMs, rate});
	return {feed: new DemoFeed({store: endpoint.store, simulator, clock: time.now, format}), simulator};
}

const visible = () => endpoint.store.visibleEvents([DEMO_LOG_GROUP], 0, Number.POSITIVE_INFINITY);

describe('the demo feed', () => {
	it('writes one stream per interface, named as AWS names them, and counts what it delivered', () => {
		const {feed: demo, simulator} = feed();
		expect(demo.pump()).toBeGreaterThan(0);
		const streams = new Set(visible().map(event => event.logStream));
		const expected = new Set(simulator.interfaces().map(info => `${info.eni}-all`));
		expect([...streams].every(stream => expected.has(stream))).toBe(true);
		expect(() => {
			endpoint.store.createStream(DEMO_LOG_GROUP, simulator.interfaces()[0]!.logStream);
		}).toThrow('already exists');
		expect(visible()).toHaveLength(demo.delivered);
	});

	it('keeps the last two hours only, so a long demo runs in bounded memory', () => {
		// A trickle of traffic: hours of it are simulated.
		const {feed: demo} = feed(DEMO_FORMAT, 0, 0.01);
		time.clock.advance(3 * 60 * MINUTE);
		demo.pump();
		const all = endpoint.store.visibleEvents([DEMO_LOG_GROUP], 0, Number.POSITIVE_INFINITY);
		expect(all.length).toBeGreaterThan(0);
		expect(all.length).toBeLessThan(demo.delivered);
		expect(Math.min(...all.map(event => event.timestamp))).toBeGreaterThanOrEqual(time.now() - DEMO_RETENTION_MS);
	});

	it('keeps a busy VPC to its retention: the events held stay bounded however long it runs', () => {
		const simulator = new VpcSimulator({clock: time.now, seed: 5, recordsPerSecond: 20});
		const demo = new DemoFeed({
			store: endpoint.store,
			simulator,
			clock: time.now,
			format: DEMO_FORMAT,
			retentionMs: 3 * MINUTE,
		});
		const perWindow = 20 * 60;
		let largest = 0;
		for (let minute = 0; minute < 15; minute++) {
			time.clock.advance(MINUTE);
			demo.pump();
			largest = Math.max(largest, endpoint.store.footprint().events);
		}

		expect(demo.delivered).toBeGreaterThanOrEqual(15 * (perWindow - 1));
		// Three minutes kept, the window that straddles the cut, and the one just delivered.
		expect(largest).toBeLessThanOrEqual(5 * perWindow);
	}, 60_000);

	it('counts history as delivered already, and delivers later windows minutes late', () => {
		const {feed: demo} = feed();
		demo.pump();
		const history = demo.delivered;
		expect(visible()).toHaveLength(history);
		demo.pump(T0 + 10 * MINUTE);
		expect(visible()).toHaveLength(history);
		time.clock.advance(20 * MINUTE);
		const late = visible().filter(event => event.ingestionTime > T0);
		expect(late.length).toBe(demo.delivered - history);
		const windowEnd = (event: {timestamp: number}) => (Math.floor(event.timestamp / MINUTE) + 1) * MINUTE;
		for (const event of late) {
			const delay = event.ingestionTime - windowEnd(event);
			expect(delay).toBeGreaterThanOrEqual(AWS_LIKE_DELIVERY.baseMs);
			expect(delay).toBeLessThan(AWS_LIKE_DELIVERY.baseMs + AWS_LIKE_DELIVERY.jitterMs);
		}

		// Each stream of each window has its own schedule.
		expect(new Set(late.map(event => event.ingestionTime)).size).toBeGreaterThan(10);
	});

	it.each([
		['custom', DEMO_FORMAT],
		['default', DEFAULT_FORMAT],
	])("stamps each event with its record's start, in the %s format", (_, format) => {
		feed(format).feed.pump();
		const decoder = new FlowLogDecoder(format);
		for (const event of visible()) {
			const records: FlowRecord[] = [];
			decoder.decode(event.message, 0, event.message.length, parseRecord, records);
			expect(records[0]!.start! * 1000).toBe(event.timestamp);
		}

		expect(decoder.stats.malformed).toBe(0);
		expect(visible()[0]!.message.split(' ')[0]).toBe(format === DEFAULT_FORMAT ? '2' : '5');
	});

	it('delivers each window as it closes while running', async () => {
		const {feed: demo, simulator} = feed(DEMO_FORMAT, 0);
		const stop = new AbortController();
		const running = demo.run(time, stop.signal);
		await time.runUntil(T0 + 5 * MINUTE);
		expect(simulator.nextWindowEnd()).toBe(Math.floor((T0 + 5 * MINUTE) / MINUTE + 1) * MINUTE);
		expect(demo.delivered).toBeGreaterThan(0);
		stop.abort();
		await running;
	});
});
