import {describe, expect, it} from 'vitest';
import {ScaledClock} from '../../../source/clock.js';
import {DEFAULT_LIMITS} from '../../../source/demo/endpoint/endpoint.js';
import {Faults} from '../../../source/demo/endpoint/faults.js';
import {LogStore} from '../../../source/demo/endpoint/log-store.js';
import {QueryEngine} from '../../../source/demo/endpoint/query-engine.js';
import {parseQuery} from '../../../source/demo/insights/parser.js';

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);

/** An engine over 100,000 events, and a query of them all run to its end (a second a call), not yet read: its id. */
function fullQueries(): {clock: ScaledClock; engine: QueryEngine; run: () => string} {
	const clock = new ScaledClock(0, T0);
	const store = new LogStore(clock.now);
	store.createGroup('g');
	const events = Array.from({length: 100_000}, (_, i) => ({timestamp: T0 - 100_000 + i, message: `m${i}`}));
	store.deliver('g', 's', events, T0);
	const engine = new QueryEngine(store, new Faults(), {...DEFAULT_LIMITS, recordsPerPoll: 100_000}, clock.now);
	const query = 'fields @message';
	const run = () => {
		const id = engine.start(['g'], T0 - 100_000, T0, parseQuery(query), 100_000, query);
		while (['Scheduled', 'Running'].includes(engine.results(id).status)) {
			clock.advance(1000);
		}

		return id;
	};
	return {clock, engine, run};
}

describe('the query engine', () => {
	it('forgets the oldest ended queries once they hold more rows than a few full ones', () => {
		const {engine, run} = fullQueries();
		// Read to its end, as GetQueryResults serves the last page.
		const readWhole = () => {
			const id = run();
			engine.paged(id, false);
			return id;
		};

		const first = readWhole();
		const second = readWhole();
		expect(engine.peek(first).results).toHaveLength(100_000);
		readWhole();
		expect(() => engine.peek(first)).toThrow('does not exist');
		expect(engine.peek(second).results).toHaveLength(100_000);
	});

	it('keeps a query a reader is still paging through, however many large queries end meanwhile', () => {
		const {clock, engine, run} = fullQueries();
		const readWhole = () => engine.paged(run(), false);

		const paged = run();
		// GetQueryResults served its first page of 10,000: the reader will be back for the rest.
		engine.paged(paged, true);
		for (let other = 0; other < 4; other++) {
			readWhole();
			clock.advance(10_000);
			expect(engine.peek(paged).results).toHaveLength(100_000);
			engine.paged(paged, true);
		}

		// Its last page read, it is forgotten as the others are, and so is one whose reader went away a minute ago.
		engine.paged(paged, false);
		const abandoned = run();
		engine.paged(abandoned, true);
		readWhole();
		expect(() => engine.peek(paged)).toThrow('does not exist');
		clock.advance(60_000);
		readWhole();
		readWhole();
		expect(() => engine.peek(abandoned)).toThrow('does not exist');

		// Readers page through a few at a time: of the queries left part-read, the four touched last are spared, the
		// one that has just ended (not yet read) among them.
		const looked = Array.from({length: 6}, () => {
			const id = run();
			engine.paged(id, true);
			clock.advance(1000);
			return id;
		});
		readWhole();
		const known = new Set(engine.describe(undefined, undefined).map(query => query.queryId));
		expect(looked.filter(id => known.has(id))).toEqual(looked.slice(3));
	});
});
