import {ScaledClock} from '../../source/clock.js';
import {DEFAULT_LIMITS} from '../../source/demo/endpoint/endpoint.js';
import {Faults} from '../../source/demo/endpoint/faults.js';
import {LogStore} from '../../source/demo/endpoint/log-store.js';
import {QueryEngine, type QueryResults} from '../../source/demo/endpoint/query-engine.js';
import {DEMO_FORMAT} from '../../source/demo/feed/demo-format.js';
import {parseQuery} from '../../source/demo/insights/parser.js';
import {DEFAULT_FORMAT, type FlowFormat, formatLine} from '../../source/flowlog/format.js';
import {
	aggregateFields,
	countQuery,
	detailQuery,
	forwardingQueries,
	gatewaysQuery,
	loginQuery,
	MAX_KEPT,
	restQueries,
	topQueries,
} from '../../source/sources/insights/aggregate-plan.js';

/**
 * `npm run bench:queries`: what the demo's endpoint spends on the queries of one aggregate poll
 * (a count and 19 `stats` queries, MAX_KEPT addresses kept by name) over a window of records, in
 * the default format (fields discovered) and in the demo's 26-field custom format (every query
 * starts with `parse`). Per format and size:
 *
 * - the deliveries: the store packing the window's messages and indexing their tokens as they
 *   arrive (token-columns.ts), against packing them alone, the store as it was before;
 * - the poll through the columns: the first, then the next ones (best of QUERY_RUNS, default 3),
 *   which read the columns kept; and the first on a store that indexed nothing, which parses the
 *   window into columns as the endpoint did before it indexed on delivery;
 * - the same poll row by row, every record parsed by every query as before the columns: the
 *   baseline, measured in the same run (up to QUERY_ROWS_UP_TO records, default every size: at
 *   1,800,000 it takes minutes);
 * - one raw query over the same records (`fields @timestamp, @message`, what raw mode sends);
 * - what the store holds a record: its packed messages, and the columns.
 *
 * Records come a new internet client on nearly every record, as a busy VPC's crowd gives, with a
 * NODATA record now and then, delivered in minutes. QUERY_RECORDS lists the sizes (default
 * 200,000 and 1,800,000: 15 minutes at 2,000 records a second).
 */

const SIZES = (process.env.QUERY_RECORDS ?? '200000,1800000').split(',').map(Number);
const RUNS = Number(process.env.QUERY_RUNS ?? 3);
const ROWS_UP_TO = Number(process.env.QUERY_ROWS_UP_TO ?? Number.POSITIVE_INFINITY);
const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const PER_MINUTE = 2000;
/** A NAT gateway's interface, as gatewaysQuery would name one: its parts cost their filters over every record. */
const NAT_INTERFACE = 'eni-0ffffffffffffffff';

function values(i: number): Record<string, string | number> {
	const start = Math.floor((T0 + Math.floor(i / PER_MINUTE) * 60_000) / 1000);
	const client = `${((i * 7919) % 223) + 1}.${(i * 31) % 256}.${(i >> 8) % 256}.${i % 256}`;
	const server = `10.0.${i % 4}.${10 + (i % 20)}`;
	const eni = `eni-0${(i % 20).toString(16).padStart(16, 'a')}`;
	const common = {
		version: 5,
		'account-id': '123456789012',
		'interface-id': eni,
		start,
		end: start + 59,
		'vpc-id': 'vpc-0aaaaaaaaaaaaaaa1',
		'subnet-id': `subnet-0${(i % 4).toString(16).padStart(16, 'b')}`,
		'instance-id': `i-0${(i % 20).toString(16).padStart(16, 'c')}`,
		'az-id': 'use1-az1',
		type: 'IPv4',
		'traffic-path': 1,
	};
	if (i % 997 === 0) {
		return {...common, 'log-status': 'NODATA'};
	}

	const inbound = i % 2 === 0;
	const [src, dst, srcPort, dstPort] = inbound
		? [client, server, 40_000 + (i % 20_000), 443]
		: [server, client, 443, 40_000 + (i % 20_000)];
	return {
		...common,
		srcaddr: src,
		dstaddr: dst,
		srcport: srcPort,
		dstport: dstPort,
		protocol: 6,
		packets: 10,
		bytes: 800 + (i % 1000),
		action: i % 10 === 0 ? 'REJECT' : 'ACCEPT',
		'log-status': 'OK',
		'tcp-flags': inbound ? 2 : 18,
		'pkt-srcaddr': src,
		'pkt-dstaddr': dst,
		'flow-direction': inbound ? 'ingress' : 'egress',
	};
}

interface Window {
	readonly store: LogStore;
	readonly clock: ScaledClock;
	readonly from: number;
	readonly to: number;
}

/**
 * The store fed the window a minute at a time, and the milliseconds it spent taking the deliveries
 * (each minute's messages made before its delivery is timed); `indexed` false parses nothing until
 * a query asks.
 */
function window(records: number, format: FlowFormat, indexed: boolean): Window & {ms: number} {
	const minutes = Math.ceil(records / PER_MINUTE);
	const clock = new ScaledClock(0, T0 + (minutes + 10) * 60_000);
	const store = new LogStore(clock.now, {indexed});
	store.createGroup('g');
	let ms = 0;
	for (let minute = 0; minute < minutes; minute++) {
		const events = [];
		for (let i = minute * PER_MINUTE; i < Math.min(records, (minute + 1) * PER_MINUTE); i++) {
			events.push({timestamp: T0 + minute * 60_000, message: formatLine(values(i), format)});
		}

		const began = performance.now();
		store.deliver('g', 'eni', events, T0 + (minute + 5) * 60_000);
		ms += performance.now() - began;
	}

	return {store, clock, from: T0, to: T0 + minutes * 60_000, ms};
}

/** Runs the queries to their end one after another: how long it took, and what they answered. */
function poll(
	{store, clock, from, to}: Window,
	queries: readonly string[],
	records: number,
	rowByRow: boolean,
): {ms: number; results: QueryResults['results'][]} {
	const limits = {...DEFAULT_LIMITS, recordsPerPoll: records};
	const engine = new QueryEngine(store, new Faults(), limits, clock.now, {rowByRow});
	const results = [];
	const began = performance.now();
	for (const text of queries) {
		const id = engine.start(['g'], from, to, parseQuery(text), 10_000, text);
		let answer = engine.results(id);
		while (answer.status === 'Scheduled' || answer.status === 'Running') {
			answer = engine.results(id);
		}

		if (answer.status !== 'Complete' || answer.statistics.recordsScanned !== records) {
			throw new Error(`${text} ended ${answer.status} after ${answer.statistics.recordsScanned} records`);
		}

		results.push(answer.results);
	}

	return {ms: performance.now() - began, results};
}

function aggregatePoll(format: FlowFormat): string[] {
	const fields = aggregateFields(format);
	if (typeof fields === 'string') {
		throw new TypeError(fields);
	}

	const kept = Array.from({length: MAX_KEPT}, (_, i) => `10.0.${i % 4}.${i % 256}`);
	const gateways = gatewaysQuery(fields);
	// Where the format can tell a NAT gateway, one is found, and its records have parts of their own;
	// elsewhere the poll looks for one by the requests it forwards.
	return [countQuery(), detailQuery(fields), loginQuery(fields), ...topQueries(fields, 10)]
		.concat(gateways ? [gateways] : Object.values(forwardingQueries(fields)))
		.concat(restQueries(fields, kept, [], gateways ? [NAT_INTERFACE] : []))
		.map(planned => planned.query);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

for (const [name, format] of [
	['default format', DEFAULT_FORMAT],
	['demo format (parse)', DEMO_FORMAT],
] as const) {
	const queries = aggregatePoll(format);
	for (const records of SIZES) {
		const perRecord = (ms: number, count: number) => `${((ms * 1000) / records / count).toFixed(3)} µs`;
		// One store at a time: two windows of 1.8 million records and their columns do not fit one heap.
		let unindexed: ReturnType<typeof window> | undefined = window(records, format, false);
		const unindexedFirst = poll(unindexed, queries, records, false);
		const unindexedMs = unindexed.ms;
		unindexed = undefined;
		const held = window(records, format, true);
		const raw = poll(held, ['fields @timestamp, @message'], records, false).ms;
		const first = poll(held, queries, records, false);
		let best = Number.POSITIVE_INFINITY;
		for (let run = 0; run < RUNS; run++) {
			best = Math.min(best, poll(held, queries, records, false).ms);
		}

		const {bytes, columnBytes} = held.store.footprint();
		const same = JSON.stringify(unindexedFirst.results) === JSON.stringify(first.results);
		console.log(`${name}, ${records.toLocaleString('en-US')} records, ${queries.length} queries a poll`);
		console.log(
			`  deliveries: ${seconds(held.ms)} packed and indexed, against ${seconds(unindexedMs)} packed alone ` +
				`(${(held.ms / unindexedMs).toFixed(2)}x)`,
		);
		console.log(`  raw query: ${seconds(raw)}, ${perRecord(raw, 1)} a record`);
		console.log(
			`  poll through the columns: first ${seconds(first.ms)}, then ${seconds(best)}, ` +
				`${perRecord(best, queries.length)} a record a query, ${(best / raw).toFixed(1)}x the raw query; ` +
				`the first without the index (parses the window) ${seconds(unindexedFirst.ms)}: ` +
				`${(first.ms / unindexedFirst.ms).toFixed(2)}x, ${same ? 'the same results' : 'RESULTS DIFFER'}`,
		);
		if (!same) {
			process.exitCode = 1;
		}

		if (records <= ROWS_UP_TO) {
			const rows = poll(held, queries, records, true);
			const same = JSON.stringify(rows.results) === JSON.stringify(first.results);
			console.log(
				`  poll row by row (the baseline): ${seconds(rows.ms)}, ${perRecord(rows.ms, queries.length)} a record a query: ` +
					`the columns ${(rows.ms / best).toFixed(1)}x faster (${(rows.ms / first.ms).toFixed(1)}x on the first poll), ` +
					`${same ? 'the same results' : 'RESULTS DIFFER'}`,
			);
			if (!same) {
				process.exitCode = 1;
			}
		}

		console.log(
			`  held: ${(bytes / records).toFixed(0)} bytes a record, of which columns and their dictionary ${(columnBytes / records).toFixed(0)}`,
		);
	}
}
