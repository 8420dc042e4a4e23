import {describe, expect, it} from 'vitest';
import {ScaledClock} from '../../../source/clock.js';
import {BLOCK_EVENTS} from '../../../source/demo/endpoint/event-block.js';
import {LogStore} from '../../../source/demo/endpoint/log-store.js';
import {parseQuery} from '../../../source/demo/insights/parser.js';
import {QueryRun} from '../../../source/demo/insights/query-run.js';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const MINUTE = 60_000;

function minuteOf(minute: number, count: number, tag = 'x'): Array<{timestamp: number; message: string}> {
	return Array.from({length: count}, (_, i) => ({
		timestamp: T0 + minute * MINUTE + Math.floor((i * MINUTE) / count),
		message: `${tag} ${minute} ${i}`,
	}));
}

function storeAt(options: {columnBudget?: number; dictionarySlack?: number} = {}): {
	store: LogStore;
	clock: ScaledClock;
} {
	const clock = new ScaledClock(0, T0);
	const store = new LogStore(clock.now, options);
	store.createGroup('g');
	return {store, clock};
}

describe('the log store', () => {
	it('reads events back in timestamp order, arrival order among equal timestamps, across late deliveries', () => {
		const {store} = storeAt();
		store.deliver(
			'g',
			'a',
			[
				{timestamp: T0 + 2000, message: 'a2'},
				{timestamp: T0, message: 'a0'},
			],
			T0,
		);
		store.deliver(
			'g',
			'b',
			[
				{timestamp: T0 + 1000, message: 'b1'},
				{timestamp: T0 + 2000, message: 'b2'},
			],
			T0,
		);
		store.deliver('g', 'a', [{timestamp: T0 + 1000, message: 'a1 late'}], T0);
		store.deliver('g', 'a', [{timestamp: T0 + 500, message: 'not yet'}], T0 + MINUTE);
		expect(store.visibleEvents(['g'], 0, Number.POSITIVE_INFINITY).map(event => event.message)).toEqual([
			'a0',
			'b1',
			'a1 late',
			'a2',
			'b2',
		]);
	});

	it('keeps every byte of a message, multi-byte characters included, and finds it again by @ptr', () => {
		const {store} = storeAt();
		const message = 'flöw ✓ 10.0.0.1';
		store.deliver('g', 'a', [{timestamp: T0, message}], T0);
		const [event] = store.visibleEvents(['g'], T0, T0);
		expect(event).toMatchObject({message, bytes: Buffer.byteLength(message)});
		expect(store.eventAt(event!.ptr)?.message).toBe(message);
	});

	it('drops what is forgotten and holds a bounded number of events however long it is fed', () => {
		const {store} = storeAt();
		const perMinute = 3 * BLOCK_EVENTS + 7;
		const keptMinutes = 5;
		let largest = 0;
		for (let minute = 0; minute < 40; minute++) {
			store.deliver('g', 'a', minuteOf(minute, perMinute), T0);
			store.forget('g', T0 + (minute + 1 - keptMinutes) * MINUTE);
			largest = Math.max(largest, store.footprint().events);
		}

		const kept = store.visibleEvents(['g'], 0, Number.POSITIVE_INFINITY);
		expect(kept).toHaveLength(keptMinutes * perMinute);
		expect(kept[0]!.timestamp).toBe(T0 + 35 * MINUTE);
		// A block goes when its last event does: at most one partly forgotten block is held over.
		expect(largest).toBeLessThanOrEqual(keptMinutes * perMinute + BLOCK_EVENTS);
		expect(store.describeGroups()[0]!.storedBytes).toBe(kept.reduce((sum, event) => sum + event.bytes, 0));
	});

	it("holds a busy minute's messages in less than half their text: they are packed and deflated", () => {
		const {store} = storeAt();
		const events = minuteOf(0, 20_000, '5 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.17 203.0.113.9 443');
		store.deliver('g', 'a', events, T0);
		const text = events.reduce((sum, event) => sum + event.message.length, 0);
		const {bytes, columnBytes} = store.footprint();
		expect(bytes - columnBytes).toBeLessThan(text / 2);
	});

	describe('the parsed fields it keeps for queries', () => {
		const flows = (minute: number) =>
			minuteOf(minute, 2 * BLOCK_EVENTS).map((event, i) => ({
				...event,
				message: `2 123456789012 eni-0a1 10.0.0.1 10.0.0.2 443 ${1024 + (i % 1000)} 6 1 40 1772355600 1772355660 ACCEPT OK`,
			}));
		function total(store: LogStore, query = 'stats count(*) as n by srcAddr'): string {
			const run = new QueryRun(parseQuery(query), 10);
			store
				.scan(['g'], 0, Number.POSITIVE_INFINITY)
				.nextRuns(Number.POSITIVE_INFINITY, (batch, from, to) => run.addBatch(batch, from, to));
			return run.results()[0]!.find(field => field.field === 'n')!.value;
		}

		it('parses a delivery as it comes: a query of its fields reads them parsed, and they go with their blocks', () => {
			const {store} = storeAt();
			const records = 4 * BLOCK_EVENTS;
			store.deliver('g', 'a', [...flows(0), ...flows(1)], T0);
			// Fourteen fields, a byte a record each but for the thousand ports' two, and a dictionary of a thousand ports.
			const indexed = store.footprint().columnBytes;
			expect(indexed).toBeGreaterThanOrEqual(15 * records);
			expect(indexed).toBeLessThan(22 * records);
			expect(total(store)).toBe(String(records));
			expect(total(store, 'stats sum(bytes) as n by dstPort | sort n desc | limit 1')).toBe('720');
			// The ports read as numbers: a thousand more values in the dictionary, no more columns.
			const read = store.footprint().columnBytes;
			expect(read).toBeLessThan(indexed + 100 * 1000);
			expect(total(store, 'stats count(*) as n by srcAddr, dstPort, action | limit 1')).toBe('18');
			expect(store.footprint().columnBytes).toBe(read);
			store.forget('g', T0 + MINUTE);
			// Half the records go, and with them their codes; the dictionary stays as it is.
			expect(store.footprint().columnBytes).toBeLessThanOrEqual(read - 7 * records);
		});

		it('parses what another glob captures the first time a query asks, keeps it, and adds only what the next asks for', () => {
			const {store} = storeAt();
			const records = 4 * BLOCK_EVENTS;
			store.deliver('g', 'a', [...flows(0), ...flows(1)], T0);
			const indexed = store.footprint().columnBytes;
			const parse = 'parse @message "* * * * *" as version, account, eni, src, rest';
			expect(total(store, `${parse} | stats count(*) as n by src`)).toBe(String(records));
			// One address: a byte a record, and a little for the dictionary.
			const one = store.footprint().columnBytes;
			expect(one - indexed).toBeGreaterThanOrEqual(records);
			expect(one - indexed).toBeLessThan(1.1 * records);
			expect(total(store, `${parse} | stats count(*) as n by src`)).toBe(String(records));
			expect(store.footprint().columnBytes).toBe(one);
			// The rest of each line is one of a thousand: two bytes a record and a thousand new values.
			expect(total(store, `${parse} | stats count(*) as n by rest | sort n desc | limit 1`)).toBe('18');
			const all = store.footprint().columnBytes;
			expect(all - one).toBeGreaterThanOrEqual(2 * records);
			// Half the records go, and with them the codes of every field they held.
			store.forget('g', T0 + MINUTE);
			expect(store.footprint().columnBytes).toBeLessThanOrEqual(all - 8 * records);
		});

		it('keeps no more than its budget, and answers the same past it', () => {
			const {store} = storeAt({columnBudget: 5 * 4 * BLOCK_EVENTS});
			store.deliver('g', 'a', [...flows(0), ...flows(1)], T0);
			const query = 'stats count(*) as n by srcAddr, dstPort, bytes, action, logStatus | limit 1';
			expect(total(store, query)).toBe('18');
			expect(store.footprint().columnBytes).toBeLessThanOrEqual(5 * 4 * BLOCK_EVENTS);
			expect(store.footprint().columnBytes).toBeGreaterThan(0);
			expect(total(store, query)).toBe('18');
		});

		it('stays bounded however long it runs, past its budget, with a new client on every record', () => {
			const {store} = storeAt({columnBudget: 64 * 1024, dictionarySlack: 1000});
			let largest = 0;
			for (let minute = 0; minute < 40; minute++) {
				const clients = Array.from({length: 500}, (_, i) => ({
					timestamp: T0 + minute * MINUTE,
					message: `2 123456789012 eni-0a1 10.${minute}.${i >> 8}.${i & 255} 10.0.0.2 40000 443 6 1 40 1772355600 1772355660 ACCEPT OK`,
				}));
				store.deliver('g', 'a', clients, T0);
				store.forget('g', T0 + (minute - 4) * MINUTE);
				expect(total(store)).toBe('1');
				if (minute >= 10) {
					largest = Math.max(largest, store.footprint().columnBytes);
				}
			}

			// Five minutes of 500 new clients each: a few hundred KB at most, where 40 minutes of clients kept would be megabytes.
			expect(largest).toBeLessThan(400 * 1024);
		});
	});
});
