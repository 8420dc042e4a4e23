import {ScaledClock} from '../../source/clock.js';
import {DEFAULT_LIMITS} from '../../source/demo/endpoint/endpoint.js';
import {Faults} from '../../source/demo/endpoint/faults.js';
import {LogStore} from '../../source/demo/endpoint/log-store.js';
import {QueryEngine} from '../../source/demo/endpoint/query-engine.js';
import {parseQuery} from '../../source/demo/insights/parser.js';
import {DEFAULT_FORMAT} from '../../source/flowlog/format.js';
import {
	aggregateFields,
	countQuery,
	detailQuery,
	loginQuery,
	MAX_KEPT,
	restQueries,
	topQueries,
} from '../../source/sources/insights/aggregate-plan.js';

/**
 * `npm run bench:queries`: what the demo's endpoint spends a record on the queries of one
 * aggregate poll (a count and 19 `stats` queries, MAX_KEPT addresses kept by name), against one raw
 * query over the same records (`fields @timestamp, @message`, what raw mode sends): the ratio says
 * how many raw re-reads of the window an aggregate poll costs the endpoint. Default-format records
 * with a new internet client on every record, as a busy VPC's crowd gives, delivered in minutes.
 * QUERY_RECORDS changes how many (default 60,000); best of QUERY_RUNS (default 3).
 */

const RECORDS = Number(process.env.QUERY_RECORDS ?? 60_000);
const RUNS = Number(process.env.QUERY_RUNS ?? 3);
const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const PER_MINUTE = 2000;

function message(i: number): string {
	const start = Math.floor((T0 + Math.floor(i / PER_MINUTE) * 60_000) / 1000);
	const client = `${((i * 7919) % 223) + 1}.${(i * 31) % 256}.${(i >> 8) % 256}.${i % 256}`;
	const server = `10.0.${i % 4}.${10 + (i % 20)}`;
	const eni = `eni-0${(i % 20).toString(16).padStart(16, 'a')}`;
	const action = i % 10 === 0 ? 'REJECT' : 'ACCEPT';
	const [src, dst, srcPort, dstPort] =
		i % 2 === 0 ? [client, server, 40_000 + (i % 20_000), 443] : [server, client, 443, 40_000 + (i % 20_000)];
	return `2 123456789012 ${eni} ${src} ${dst} ${srcPort} ${dstPort} 6 10 ${800 + (i % 1000)} ${start} ${start + 59} ${action} OK`;
}

function endpoint(): {engine: QueryEngine; from: number; to: number} {
	const minutes = Math.ceil(RECORDS / PER_MINUTE);
	const clock = new ScaledClock(0, T0 + (minutes + 10) * 60_000);
	const store = new LogStore(clock.now);
	store.createGroup('g');
	for (let minute = 0; minute < minutes; minute++) {
		const events = [];
		for (let i = minute * PER_MINUTE; i < Math.min(RECORDS, (minute + 1) * PER_MINUTE); i++) {
			events.push({timestamp: T0 + minute * 60_000, message: message(i)});
		}

		store.deliver('g', 'eni', events, T0 + (minute + 5) * 60_000);
	}

	const engine = new QueryEngine(store, new Faults(), {...DEFAULT_LIMITS, recordsPerPoll: RECORDS}, clock.now);
	return {engine, from: T0, to: T0 + minutes * 60_000};
}

/** Milliseconds to run the queries to their end, one after another, best of RUNS. */
function timed(queries: readonly string[]): number {
	const {engine, from, to} = endpoint();
	let best = Number.POSITIVE_INFINITY;
	for (let run = 0; run < RUNS; run++) {
		const began = performance.now();
		for (const text of queries) {
			const id = engine.start(['g'], from, to, parseQuery(text), 10_000, text);
			let {status} = engine.results(id);
			while (status === 'Scheduled' || status === 'Running') {
				({status} = engine.results(id));
			}

			const {statistics} = engine.results(id);
			if (status !== 'Complete' || statistics.recordsScanned !== RECORDS) {
				throw new Error(`${text} ended ${status} after ${statistics.recordsScanned} records`);
			}
		}

		best = Math.min(best, performance.now() - began);
	}

	return best;
}

const fields = aggregateFields(DEFAULT_FORMAT);
if (typeof fields === 'string') {
	throw new TypeError(fields);
}

const kept = Array.from({length: MAX_KEPT}, (_, i) => `10.0.${i % 4}.${i % 256}`);
const aggregate = [countQuery(), detailQuery(fields), loginQuery(fields), ...topQueries(fields, 10)]
	.concat(restQueries(fields, kept))
	.map(planned => planned.query);
const raw = timed(['fields @timestamp, @message']);
const poll = timed(aggregate);
const perRecord = (ms: number, queries: number) => ((ms * 1000) / RECORDS / queries).toFixed(2);
console.log(`${RECORDS.toLocaleString('en-US')} records, best of ${RUNS}`);
console.log(`raw query (the baseline): ${(raw / 1000).toFixed(2)} s, ${perRecord(raw, 1)} µs a record`);
console.log(
	`aggregate poll, ${aggregate.length} queries: ${(poll / 1000).toFixed(2)} s, ${perRecord(poll, aggregate.length)} µs a record a query, ` +
		`${(poll / raw).toFixed(1)}x the raw query`,
);
