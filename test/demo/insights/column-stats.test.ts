import fc from 'fast-check';
import {describe, expect, it, vi} from 'vitest';
import {ScaledClock} from '../../../source/clock.js';
import {DEFAULT_LIMITS} from '../../../source/demo/endpoint/endpoint.js';
import {Faults} from '../../../source/demo/endpoint/faults.js';
import {LogStore} from '../../../source/demo/endpoint/log-store.js';
import {QueryEngine, type QueryResults} from '../../../source/demo/endpoint/query-engine.js';
import {DEMO_FORMAT} from '../../../source/demo/feed/demo-format.js';
import {compileColumnStats} from '../../../source/demo/insights/column-stats.js';
import {parseQuery} from '../../../source/demo/insights/parser.js';
import {QueryRun} from '../../../source/demo/insights/query-run.js';
import {fieldSpec} from '../../../source/flowlog/fields.js';
import {DEFAULT_FORMAT, type FlowFormat, formatLine, parseFormatString} from '../../../source/flowlog/format.js';
import {
	acceptedOfQuery,
	aggregateFields,
	countQuery,
	delayQuery,
	detailQuery,
	gatewaysQuery,
	ingestedInWindow,
	loginQuery,
	partsCountQuery,
	restQueries,
	topQueries,
} from '../../../source/sources/insights/aggregate-plan.js';

/**
 * The columns (column-stats.ts) against the rows (every query evaluated record by record, as
 * before the columns): on generated records, in the default format, the demo's and a reordered
 * custom one, with odd records among them, every query must answer the same at every step.
 */

const T0 = Date.UTC(2026, 2, 1, 9, 0, 0);
const MINUTE = 60_000;
const REORDERED = parseFormatString(
	'${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} ${interface-id} ${version} ${account-id}',
);
const FORMATS: ReadonlyArray<readonly [string, FlowFormat]> = [
	['default', DEFAULT_FORMAT],
	['demo', DEMO_FORMAT],
	['reordered', REORDERED],
];

// Few values, so groups and tests on a value meet again; IPv6 spelt two ways, which discovery reads as one address and parse as two.
const ADDRESSES = ['10.0.0.1', '10.0.0.2', '203.0.113.9', '2001:db8::1', '2001:DB8:0:0:0:0:0:1', '198.51.100.77'];
const PORTS = [22, 80, 443, 3389, 40_000, 65_535];

const flowValues = fc.record({
	srcaddr: fc.constantFrom(...ADDRESSES),
	dstaddr: fc.constantFrom(...ADDRESSES),
	srcport: fc.constantFrom(...PORTS),
	dstport: fc.constantFrom(...PORTS),
	protocol: fc.constantFrom(6, 17, 1),
	packets: fc.integer({min: 0, max: 50}),
	bytes: fc.constantFrom(0, 40, 1500, 123_456, 9_007_199_254_740),
	action: fc.constantFrom('ACCEPT', 'REJECT'),
	'log-status': fc.constantFrom('OK', 'OK', 'OK', 'NODATA', 'SKIPDATA'),
	'interface-id': fc.constantFrom('eni-0a1', 'eni-0b2', 'eni-0c3'),
	'flow-direction': fc.constantFrom('ingress', 'egress'),
	'tcp-flags': fc.constantFrom(2, 18, 0),
	'vpc-id': fc.constantFrom('vpc-1', 'vpc-2'),
	'subnet-id': fc.constantFrom('subnet-1', 'subnet-2'),
	'instance-id': fc.constantFrom('i-1', 'i-2'),
	'az-id': fc.constantFrom('use1-az1'),
	'traffic-path': fc.constantFrom(1, 8),
	'pkt-srcaddr': fc.constantFrom(...ADDRESSES),
	'pkt-dstaddr': fc.constantFrom(...ADDRESSES),
	type: fc.constantFrom('IPv4', 'IPv6'),
	minute: fc.integer({min: 0, max: 4}),
});

/** A field written `-`, as AWS writes one it has no value for. */
const dashed = fc.constantFrom(undefined, 'srcport', 'dstaddr', 'bytes', 'action', 'interface-id', 'tcp-flags');

/**
 * What is not a flow-log record of the format, or is one spaced unlike the rest: text, unicode, a
 * record with a field too many or one that reads as a number in a text field, a blank field, a
 * tab, a line end, a comment.
 */
const oddMessage = fc.constantFrom(
	'flöw ✓ not a record',
	'hello world',
	'2 123456789012 eni-0a1 10.0.0.1  10.0.0.2 443 22 6 1 40 1700000000 1700000060 ACCEPT',
	'2\t123456789012 eni-0a1 10.0.0.1 10.0.0.2 443 22 6 1 40 1700000000 1700000060 ACCEPT OK',
	'2 123456789012 eni-0a1 10.0.0.1 10.0.0.2 443 22 6 1 40 1700000000 1700000060 ACCEPT OK\r\n',
	'2 123456789012 eni-0a1 10.0.0.1 10.0.0.2 443 22 6 1 40 1700000000 1700000060 ACCEPT #OK',
	'2 123456789012 eni-0a1 10.0.0.1 10.0.0.2 443 22 6 1 40 1700000000 1700000060 ACCEPT OK extra',
	'2 123456789012 eni-0a1 10.0.0.1 10.0.0.2 443 22 6 1 1e3 1700000000 1700000060 ACCEPT OK',
	'２ 123456789012 eni-ü 10.0.0.1 10.0.0.2 443 22 6 1 40 1700000000 1700000060 ACCEPT OK',
);

interface Delivery {
	readonly stream: string;
	readonly minute: number;
	readonly late: number;
	readonly messages: Array<{readonly minute: number; readonly message: string}>;
}

function deliveries(format: FlowFormat): fc.Arbitrary<Delivery[]> {
	const message = fc.oneof(
		{weight: 8, arbitrary: fc.tuple(flowValues, dashed)},
		{weight: 1, arbitrary: fc.tuple(fc.record({minute: fc.integer({min: 0, max: 4})}), oddMessage)},
	);
	return fc.array(
		fc.record({
			stream: fc.constantFrom('eni-0a1-all', 'eni-0b2-all'),
			minute: fc.integer({min: 0, max: 4}),
			late: fc.integer({min: 0, max: 3}),
			messages: fc.array(message, {minLength: 1, maxLength: 12}).map(items =>
				items.map(([values, odd]) => {
					if (typeof odd === 'string' && !('srcaddr' in values)) {
						return {minute: values.minute, message: odd};
					}

					const flow = values as Record<string, string | number | undefined>;
					const start = (T0 + (values.minute as number) * MINUTE) / 1000;
					const withDash = odd === undefined ? flow : {...flow, [odd]: undefined};
					return {
						minute: values.minute,
						message: formatLine(
							{...withDash, version: 5, 'account-id': '123456789012', start, end: start + 60},
							format,
						),
					};
				}),
			),
		}),
		{minLength: 1, maxLength: 8},
	);
}

/** `columnBudget` 0 keeps no columns; `dictionarySlack` 0 starts a new dictionary as soon as half of one is out of the window. */
function storeOf(
	batches: readonly Delivery[],
	options: {columnBudget?: number; dictionarySlack?: number} = {},
): {store: LogStore; clock: ScaledClock} {
	const clock = new ScaledClock(0, T0 + 20 * MINUTE);
	const store = new LogStore(clock.now, options);
	store.createGroup('g');
	for (const {stream, minute, late, messages} of batches) {
		store.deliver(
			'g',
			stream,
			messages.map(({minute: at, message}) => ({timestamp: T0 + at * MINUTE, message})),
			T0 + (minute + late + 1) * MINUTE,
		);
	}

	return {store, clock};
}

/** Every answer a query gives, call by call, until it ends: a few records a call, so partial results are compared too. */
function answers(engine: QueryEngine, text: string): QueryResults[] {
	const id = engine.start(['g'], T0 - MINUTE, T0 + 10 * MINUTE, parseQuery(text), 10_000, text);
	const seen: QueryResults[] = [];
	let answer: QueryResults;
	do {
		answer = engine.results(id);
		seen.push(answer);
	} while (answer.status === 'Scheduled' || answer.status === 'Running');
	return seen;
}

/** A few records a call by default, so partial results are compared too; a query of many reads what it covers at once. */
function engines(store: LogStore, clock: ScaledClock, recordsPerPoll = 5): {columns: QueryEngine; rows: QueryEngine} {
	const limits = {...DEFAULT_LIMITS, recordsPerPoll, runMs: Number.POSITIVE_INFINITY};
	return {
		columns: new QueryEngine(store, new Faults(), limits, clock.now),
		rows: new QueryEngine(store, new Faults(), limits, clock.now, {rowByRow: true}),
	};
}

function flowtopQueries(format: FlowFormat, kept: readonly string[]): string[] {
	const fields = aggregateFields(format);
	if (typeof fields === 'string') {
		throw new TypeError(fields);
	}

	const gateways = gatewaysQuery(fields);
	const parts = [
		detailQuery(fields),
		loginQuery(fields),
		...restQueries(fields, kept, ['10.0.0.0/31']),
		...restQueries(fields, kept, [], ['eni-0a1', 'eni-0c3']),
		...(gateways ? [gateways] : []),
	];
	const window = {after: T0 + 2 * MINUTE, upTo: T0 + 5 * MINUTE};
	return [
		countQuery().query,
		partsCountQuery(fields).query,
		acceptedOfQuery(fields, kept.length > 0 ? kept : ['10.0.0.1']).query,
		...topQueries(fields, 2).map(planned => planned.query),
		...restQueries(fields, kept).map(planned => planned.query),
		...parts.map(planned => planned.query),
		...[countQuery(), delayQuery(), ...parts].map(planned => ingestedInWindow(planned, window).query),
	];
}

/** The Insights names a query can read in this format, and a few it cannot. */
function namesOf(format: FlowFormat): string[] {
	return [
		...format.fields.map(name => fieldSpec(name)!.insights),
		'@logStream',
		'@timestamp',
		'@message',
		'nosuch',
		'flowDirection',
	];
}

const literal = fc.oneof(
	fc.constantFrom(...ADDRESSES, ...PORTS, 'ACCEPT', 'REJECT', 'OK', 'NODATA', 'eni-0a1', 'ingress', '443', '1e3', 0, 6),
);

function text(value: string | number): string {
	return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** The names of the format's numeric fields, where comparisons are numeric. */
function numbersOf(format: FlowFormat): string[] {
	return format.fields.filter(name => fieldSpec(name)!.type === 'int').map(name => fieldSpec(name)!.insights);
}

/** Filters of every kind the language has, over the format's fields. */
function filterOf(names: readonly string[], numbers: readonly string[]): fc.Arbitrary<string> {
	const field = fc.constantFrom(...names);
	const number = fc.constantFrom(...numbers);
	const operator = fc.constantFrom('=', '!=', '<', '<=', '>', '>=');
	const leaf = fc.oneof(
		{
			weight: 4,
			arbitrary: fc.tuple(field, operator, literal).map(([name, op, value]) => `${name} ${op} ${text(value)}`),
		},
		{weight: 4, arbitrary: fc.tuple(field, operator, field).map(([a, op, b]) => `${a} ${op} ${b}`)},
		{weight: 4, arbitrary: fc.tuple(number, operator, number).map(([a, op, b]) => `${a} ${op} ${b}`)},
		fc
			.tuple(field, fc.array(literal, {minLength: 1, maxLength: 4}))
			.map(([name, items]) => `${name} in [${items.map(item => text(item)).join(', ')}]`),
		fc
			.tuple(field, fc.constantFrom('10.0', 'eni', 'ö', 'OK'))
			.map(([name, part]) => `${name} like ${JSON.stringify(part)}`),
		field.map(name => `ispresent(${name})`),
		field.map(name => `isIpv4InSubnet(${name}, "10.0.0.0/24")`),
		fc.integer({min: 0, max: 6}).map(minute => `toMillis(@ingestionTime) > ${T0 + minute * MINUTE}`),
		fc.integer({min: 0, max: 4}).map(minute => `toMillis(@timestamp) >= ${T0 + minute * MINUTE}`),
		fc.tuple(field, field).map(([a, b]) => `${a} * 2 > ${b} + 1`),
		fc.constantFrom('@logStream = "eni-0a1-all"', '@message like /ACCEPT/'),
	);
	return fc.letrec<{filter: string}>(tie => ({
		filter: fc.oneof(
			{depthSize: 'xsmall', withCrossShrink: true},
			leaf,
			tie('filter').map(inner => `not (${inner})`),
			fc.tuple(tie('filter'), fc.constantFrom('and', 'or'), tie('filter')).map(([a, op, b]) => `(${a}) ${op} (${b})`),
		),
	})).filter;
}

function statsOf(names: readonly string[]): fc.Arbitrary<string> {
	const field = fc.constantFrom(...names);
	const aggregate = fc.oneof(
		fc.constant('count(*)'),
		fc.tuple(fc.constantFrom('count', 'sum', 'avg', 'min', 'max'), field).map(([fn, name]) => `${fn}(${name})`),
	);
	const group = fc.oneof(field, fc.constantFrom('bin(1m)', 'bin(5m)'));
	return fc
		.tuple(
			fc.uniqueArray(aggregate, {minLength: 1, maxLength: 3}),
			fc.uniqueArray(group, {maxLength: 3}),
			fc.option(fc.tuple(fc.boolean(), fc.integer({min: 1, max: 4}))),
		)
		.map(([aggregates, groups, top]) => {
			const named = aggregates.map((aggregate, i) => `${aggregate} as a${i}`);
			const by = groups.length > 0 ? ` by ${groups.join(', ')}` : '';
			const tail = top ? ` | sort a0 ${top[0] ? 'desc' : 'asc'} | limit ${top[1]}` : '';
			return `stats ${named.join(', ')}${by}${tail}`;
		});
}

/** A `fields` that computes c0 (and c1) for the stats after it, or nothing. */
function computedOf(names: readonly string[], numbers: readonly string[]): fc.Arbitrary<string | undefined> {
	const field = fc.constantFrom(...names);
	const number = fc.constantFrom(...numbers);
	const expression = fc.oneof(
		field,
		number.map(name => `${name} * 2`),
		fc.tuple(number, field).map(([a, b]) => `${a} - ${b}`),
		fc.constant('toMillis(@ingestionTime) - toMillis(@timestamp)'),
		fc.constant('c0 + 1'),
	);
	return fc.option(
		fc
			.array(expression, {minLength: 1, maxLength: 2})
			.map(items => `fields ${items.map((item, i) => `${item} as c${i}`).join(', ')}`),
		{nil: undefined},
	);
}

function parsePrefix(format: FlowFormat): string {
	const fields = aggregateFields(format);
	return typeof fields === 'string' ? '' : fields.prefix;
}

describe('stats over the columns', () => {
	for (const [name, format] of FORMATS) {
		// Forty windows, each answered by some thirty queries twice over: seconds on a loaded machine.
		it(`answers flowtop's own queries as the rows do, step by step, in the ${name} format`, () => {
			fc.assert(
				fc.property(
					deliveries(format),
					fc.subarray(ADDRESSES),
					fc.constantFrom(0, 1 << 30),
					fc.constantFrom(0, 1 << 20),
					fc.constantFrom(5, 1_000_000),
					(batches, kept, columnBudget, dictionarySlack, recordsPerPoll) => {
						const {store, clock} = storeOf(batches, {columnBudget, dictionarySlack});
						const {columns, rows} = engines(store, clock, recordsPerPoll);
						for (const query of flowtopQueries(format, kept)) {
							expect(answers(columns, query), query).toEqual(answers(rows, query));
						}

						// The window moves on: blocks go, and with them the columns and maybe the dictionary; a late delivery comes.
						store.forget('g', T0 + 2 * MINUTE);
						const [late] = batches;
						store.deliver(
							'g',
							late!.stream,
							late!.messages.map(({message}) => ({timestamp: T0 + 3 * MINUTE, message})),
							T0,
						);
						for (const query of flowtopQueries(format, kept)) {
							expect(answers(columns, query), query).toEqual(answers(rows, query));
						}
					},
				),
				{numRuns: 40},
			);
		}, 60_000);

		it(`answers generated filters and stats as the rows do, in the ${name} format`, () => {
			const names = namesOf(format);
			fc.assert(
				fc.property(
					deliveries(format),
					fc.array(filterOf(names, numbersOf(format)), {maxLength: 2}),
					fc.array(filterOf(names, numbersOf(format)), {maxLength: 1}),
					computedOf(names, numbersOf(format)),
					statsOf([...names, 'c0', 'c1']),
					fc.boolean(),
					(batches, filters, before, computed, stats, parsed) => {
						const {store, clock} = storeOf(batches);
						const {columns, rows} = engines(store, clock);
						// Filters before the parse read the fields Insights discovers, after it the parsed ones.
						const query = [
							...(parsed ? [...before.map(filter => `filter ${filter} | `), parsePrefix(format)] : []),
							[...filters.map(filter => `filter ${filter}`), ...(computed ? [computed] : []), stats].join(' | '),
						].join('');
						expect(compileColumnStats(parseQuery(query)), query).toBeDefined();
						expect(answers(columns, query), query).toEqual(answers(rows, query));
					},
				),
				{numRuns: 200},
			);
		});
	}

	it("takes every query of flowtop's aggregate poll, and leaves the shapes it does not know to the rows", () => {
		for (const query of [
			...flowtopQueries(DEMO_FORMAT, ADDRESSES),
			'fields bytes * 2 as double | stats sum(double) as n',
			'fields bytes as b | fields b * 2 as double | stats sum(double) as n by b',
		]) {
			expect(compileColumnStats(parseQuery(query)), query).toBeDefined();
		}

		for (const query of [
			'fields @timestamp, @message',
			'stats count_distinct(srcAddr) as n',
			'fields bytes * 2 as double | filter double > 10 | stats sum(double) as n',
			'fields bytes * 2 as double | stats count(*) by ispresent(double)',
			'fields bytes as @b | stats sum(@b) as n',
			'parse @message /(?<word>\\w+)/ | stats count(*) by word',
			'parse @message "* *" as a, b | parse @message "* *" as c, d | stats count(*) by a',
			'parse @message "* *" as @timestamp, b | stats count(*) by b',
			'sort @timestamp | stats count(*)',
		]) {
			expect(compileColumnStats(parseQuery(query)), query).toBeUndefined();
		}
	});

	it('answers the queries it leaves to the rows as the rows do', () => {
		const {store, clock} = storeOf([
			{
				stream: 'eni-0a1-all',
				minute: 0,
				late: 0,
				messages: [0, 1, 2].map(i => ({
					minute: i,
					message: `2 123456789012 eni-0a1 10.0.0.${i} 10.0.0.9 443 ${40_000 + i} 6 1 ${40 * i} 1700000000 1700000060 ACCEPT OK`,
				})),
			},
		]);
		const {columns, rows} = engines(store, clock);
		const query = 'stats count_distinct(srcAddr) as n, sum(bytes) as b by dstAddr';
		expect(answers(columns, query).at(-1)?.results).toEqual([
			[
				{field: 'dstAddr', value: '10.0.0.9'},
				{field: 'n', value: '3'},
				{field: 'b', value: '120'},
			],
		]);
		expect(answers(columns, query)).toEqual(answers(rows, query));
	});

	it('compares two fields as numbers when both read as numbers, equal ones included', () => {
		const line = (src: number, dst: number | string) =>
			`2 123456789012 eni-0a1 10.0.0.1 10.0.0.9 ${src} ${dst} 6 1 40 1772355600 1772355660 ACCEPT OK`;
		const {store, clock} = storeOf([
			{
				stream: 'eni-0a1-all',
				minute: 0,
				late: 0,
				messages: [line(443, 443), line(9, 10), line(10, 9)].map(message => ({minute: 0, message})),
			},
		]);
		const {columns, rows} = engines(store, clock);
		for (const [query, count] of [
			['filter srcPort <= dstPort | stats count(*) as n', '2'],
			['filter srcPort < dstPort | stats count(*) as n', '1'],
			['filter srcPort = dstPort | stats count(*) as n', '1'],
			['filter srcPort != dstPort | stats count(*) as n', '2'],
			['filter srcPort >= dstPort | stats count(*) as n', '2'],
			['filter srcPort > dstPort | stats count(*) as n', '1'],
		] as const) {
			expect(answers(columns, query).at(-1)?.results, query).toEqual([[{field: 'n', value: count}]]);
			expect(answers(columns, query), query).toEqual(answers(rows, query));
		}
	});

	it('keeps reading a running query in the dictionary it began with when the store starts a new one', () => {
		// A new client on each side of every record, as a busy VPC's crowd gives: old values leave the window with their blocks.
		const minuteOf = (minute: number): Delivery => ({
			stream: 'eni-0a1-all',
			minute,
			late: 0,
			messages: Array.from({length: 40}, (_, i) => ({
				minute,
				message: `2 123456789012 eni-0a1 10.1.${minute}.${i} 10.2.${minute}.${i} 40000 ${i % 2 === 0 ? 443 : 22} 6 1 40 1772355600 1772355660 ACCEPT OK`,
			})),
		});
		const query = 'stats count(*) as n, sum(bytes) as b by srcAddr, dstPort';
		const steps = (engine: QueryEngine, store: LogStore): {seen: QueryResults[]; held: number[]} => {
			const held = [];
			answers(engine, query);
			held.push(store.footprint().columnBytes);
			const id = engine.start(['g'], T0 - MINUTE, T0 + 10 * MINUTE, parseQuery(query), 10_000, query);
			const seen = [engine.results(id), engine.results(id)];
			// Most of the window goes and a new minute comes: the next query's columns start a new dictionary.
			store.forget('g', T0 + 5 * MINUTE);
			const late = minuteOf(6);
			store.deliver(
				'g',
				late.stream,
				late.messages.map(({message}) => ({timestamp: T0 + 6 * MINUTE, message})),
				T0,
			);
			seen.push(...answers(engine, query));
			held.push(store.footprint().columnBytes);
			let answer: QueryResults;
			do {
				answer = engine.results(id);
				seen.push(answer);
			} while (answer.status === 'Running');
			return {seen, held};
		};
		const batches = [0, 1, 2, 3, 4, 5].map(minute => minuteOf(minute));
		const columnStore = storeOf(batches, {dictionarySlack: 0});
		const rowStore = storeOf(batches);
		const columns = steps(engines(columnStore.store, columnStore.clock).columns, columnStore.store);
		const rows = steps(engines(rowStore.store, rowStore.clock).rows, rowStore.store);
		expect(columns.seen).toEqual(rows.seen);
		expect(columns.seen.at(-1)?.results).toHaveLength(240);
		// Two of the six minutes are left: the new dictionary names their values alone, the old one went with the columns named in it.
		expect(columns.held[1]).toBeLessThan(columns.held[0]! / 4);
	});

	it('answers a query that asks what the last one computed, sorted another way, from its groups, and only over the same records', () => {
		const flow = (client: string, bytes: number) => ({
			minute: 0,
			message: `2 123456789012 eni-0a1 ${client} 10.0.0.9 40000 443 6 ${1000 - bytes} ${bytes} 1772355600 1772355660 ACCEPT OK`,
		});
		const first = {stream: 'eni-0a1-all', minute: 0, late: 0, messages: [flow('10.0.0.1', 100), flow('10.0.0.2', 900)]};
		const {store, clock} = storeOf([first]);
		const {columns, rows} = engines(store, clock, 1_000_000);
		const top = (metric: string) =>
			`filter logStatus = "OK" | stats sum(bytes) as sumBytes, sum(packets) as sumPackets by srcAddr | sort ${metric} desc | limit 1`;
		const adopt = vi.spyOn(QueryRun.prototype, 'adopt');
		const both = (query: string) => {
			const answered = answers(columns, query);
			expect(answered).toEqual(answers(rows, query));
			return answered.at(-1)?.results[0]?.[0]?.value;
		};
		try {
			expect(both(top('sumBytes'))).toBe('10.0.0.2');
			expect(adopt).not.toHaveBeenCalled();
			expect(both(top('sumPackets'))).toBe('10.0.0.1');
			expect(adopt).toHaveBeenCalledTimes(1);
			// A record more, and the same question is worked out again.
			store.deliver('g', 'eni-0b2-all', [{timestamp: T0, message: flow('10.0.0.3', 950).message}], T0);
			expect(both(top('sumBytes'))).toBe('10.0.0.3');
			expect(adopt).toHaveBeenCalledTimes(1);
			store.forget('g', T0 + 1);
			expect(both(top('sumPackets'))).toBeUndefined();
			expect(adopt).toHaveBeenCalledTimes(1);
		} finally {
			adopt.mockRestore();
		}
	});
});
