import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {afterAll, afterEach, beforeAll, describe, expect, it, vi} from 'vitest';
import {type Endpoint, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {REGION} from '../../../source/demo/endpoint/account.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {diagnose} from '../../../source/diagnosis/diagnose.js';
import {EMPTY_FILTER} from '../../../source/engine/filter.js';
import {FlowStore} from '../../../source/engine/store.js';
import {computeViews} from '../../../source/engine/views.js';
import {FlowLogDecoder, ParseStats, parseRecord} from '../../../source/flowlog/decoder.js';
import {DEFAULT_FORMAT, type FlowFormat, formatLine, parseFormatString} from '../../../source/flowlog/format.js';
import type {FlowRecord} from '../../../source/flowlog/record.js';
import {type AggregateFields, aggregateFields} from '../../../source/sources/insights/aggregate-plan.js';
import {
	type AggregateWindow,
	countRecords,
	NoAggregation,
	pollAggregateWindow,
} from '../../../source/sources/insights/aggregate-poll.js';
import {createLogsClient} from '../../../source/sources/insights/client.js';
import {CostMeter} from '../../../source/sources/insights/cost-meter.js';
import {QueryRunner, type TimeRange} from '../../../source/sources/insights/query-runner.js';
import {hasMoto, Moto} from '../../e2e/moto.js';
import {VirtualTime} from './virtual-time.js';
import {T0} from './world.js';

// A poll is 13 to 19 queries, a few hundred where a crowded second splits them: seconds on a loaded machine.
vi.setConfig({testTimeout: 60_000});

const GROUP = '/vpc/flows';
const NOW = Math.floor(T0 / 1000);
/** Minutes before now, in seconds, for a record's start. */
const minutesAgo = (minutes: number) => NOW - minutes * 60;

type Values = Record<string, string | number | undefined>;

/** An accepted OK TCP record on the web server's interface, `values` aside. */
function flow(values: Values): Values {
	return {
		version: 5,
		'account-id': '123456789012',
		'interface-id': 'eni-0web',
		protocol: 6,
		packets: 10,
		bytes: 1000,
		start: minutesAgo(5),
		end: minutesAgo(5) + 30,
		action: 'ACCEPT',
		'log-status': 'OK',
		...values,
	};
}

const WEB = '10.0.1.5';
/**
 * A web server's few minutes: clients of all sizes, its calls to a cache, DNS, someone trying SSH
 * again and again, refused RDP knocks, a response refused on its way out, and a capture window with
 * no data.
 */
const traffic: Values[] = [
	...Array.from({length: 8}, (_, i) =>
		[3, 7].map(minutes =>
			flow({
				srcaddr: `198.51.100.${i + 1}`,
				dstaddr: WEB,
				srcport: 40_001 + i,
				dstport: 443,
				bytes: 1000 * (i + 1),
				packets: 2 * (i + 1),
				start: minutesAgo(minutes),
				end: minutesAgo(minutes) + 50,
			}),
		),
	).flat(),
	...Array.from({length: 3}, (_, i) =>
		flow({srcaddr: WEB, dstaddr: `198.51.100.${i + 1}`, srcport: 443, dstport: 40_001 + i, bytes: 20_000 + i}),
	),
	...Array.from({length: 4}, (_, i) =>
		flow({srcaddr: WEB, dstaddr: '10.0.2.9', srcport: 45_000 + i, dstport: 6379, bytes: 300, start: minutesAgo(i + 1)}),
	),
	flow({srcaddr: WEB, dstaddr: '10.0.0.2', srcport: 53_001, dstport: 53, protocol: 17, bytes: 80, packets: 1}),
	// Forty SSH logins in a minute, from ten hosts on the internet: too few bytes for any top list.
	...Array.from({length: 40}, (_, i) =>
		flow({
			srcaddr: `203.0.113.${50 + (i % 10)}`,
			dstaddr: WEB,
			srcport: 50_000 + i,
			dstport: 22,
			bytes: 120,
			packets: 2,
			start: minutesAgo(2),
		}),
	),
	...Array.from({length: 3}, (_, i) =>
		flow({
			srcaddr: '192.0.2.66',
			dstaddr: WEB,
			srcport: 60_000 + i,
			dstport: 3389,
			bytes: 40,
			packets: 1,
			action: 'REJECT',
		}),
	),
	flow({srcaddr: '198.51.100.99', dstaddr: WEB, srcport: 41_999, dstport: 443, bytes: 60, packets: 1}),
	flow({
		srcaddr: WEB,
		dstaddr: '198.51.100.99',
		srcport: 443,
		dstport: 41_999,
		bytes: 60,
		packets: 1,
		action: 'REJECT',
	}),
	{
		version: 5,
		'account-id': '123456789012',
		'interface-id': 'eni-0idle',
		start: minutesAgo(4),
		end: minutesAgo(3),
		'log-status': 'NODATA',
	},
];

const TOP = 2;

interface Setup {
	readonly endpoint: Endpoint;
	readonly client: CloudWatchLogsClient;
	readonly time: VirtualTime;
}

let open: Setup | undefined;
afterEach(async () => {
	open?.client.destroy();
	await open?.endpoint.close();
	open = undefined;
});

async function setup(format: FlowFormat, records: readonly Values[]): Promise<Setup> {
	const time = new VirtualTime(T0);
	const endpoint = await startEndpoint({clock: time.now});
	const client = createLogsClient({endpoint: endpoint.url, region: REGION, credentials: DEMO_CREDENTIALS});
	endpoint.store.deliver(
		GROUP,
		'eni-all',
		records.map(values => ({timestamp: Number(values.start) * 1000, message: formatLine(values, format)})),
		T0 - 60_000,
	);
	open = {endpoint, client, time};
	return open;
}

async function aggregatePoll(
	s: Setup,
	format: FlowFormat,
	options: {top?: number; limit?: number; range?: TimeRange} = {},
): Promise<{window: AggregateWindow; stats: ParseStats}> {
	const fields = aggregateFields(format) as AggregateFields;
	const runner = new QueryRunner({
		client: s.client,
		logGroups: [GROUP],
		timing: s.time,
		cost: new CostMeter(),
		context: {logGroups: [GROUP], endpoint: s.endpoint.url, region: REGION, profile: undefined},
		limit: options.limit,
	});
	const stats = new ParseStats();
	s.time.runFreely();
	const window = await pollAggregateWindow({
		runner,
		range: options.range ?? {from: NOW - 3600, to: NOW},
		fields,
		stats,
		top: options.top ?? TOP,
		endpoint: s.endpoint.url,
		signal: new AbortController().signal,
		retrying() {},
	});
	return {window, stats};
}

function rawStore(format: FlowFormat, records: readonly Values[]): FlowStore {
	const decoder = new FlowLogDecoder(format);
	const parsed: FlowRecord[] = [];
	for (const values of records) {
		const line = formatLine(values, format);
		decoder.decode(line, 0, line.length, parseRecord, parsed);
	}

	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	store.add(parsed);
	return store;
}

function aggregateStore(window: AggregateWindow): FlowStore {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	store.addAggregated(window.rows);
	return store;
}

/** What the panes and the diagnosis show of a store: its top TOP of every list, its totals, its findings. */
function shown(store: FlowStore) {
	const {recentRejects, ...views} = computeViews(store, EMPTY_FILTER, {limit: TOP});
	return {
		views,
		findings: diagnose(store).map(({kind, eni, src, dst, port, count, summary}) => ({
			kind,
			eni,
			src,
			dst,
			port,
			count,
			summary,
		})),
	};
}

describe('an aggregate poll of a few records', () => {
	it('shows what the raw records show, in the default format whose fields Insights discovers', async () => {
		const s = await setup(DEFAULT_FORMAT, traffic);
		const {window, stats} = await aggregatePoll(s, DEFAULT_FORMAT);
		expect(stats.malformed).toBe(0);
		const raw = shown(rawStore(DEFAULT_FORMAT, traffic));
		expect(shown(aggregateStore(window))).toEqual(raw);
		expect(raw.findings.map(finding => finding.kind)).toEqual(expect.arrayContaining(['brute-force']));
		expect(window.records).toBe(traffic.length);
		expect(window.cut).toEqual([]);
		expect(window.unkept).toBe(0);
		// The refused records, the login attempts, nine top lists, the rest in eight parts, a count of
		// the messages that are no record, and the requests taken from inside hosts and sent to the
		// internet, which name the NAT gateways (here none).
		expect(window.queries).toBe(22);
		// Rows received are those kept, and those of the top lists and the requests: a handful each, whatever the traffic.
		expect(window.rowsReceived).toBeGreaterThan(window.rows.length);
		expect(window.rowsReceived).toBeLessThanOrEqual(window.rows.length + 9 * (TOP + 5) + 2 * 5);
	});
});

describe('an aggregate poll in a custom format', () => {
	const format = parseFormatString(
		'${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status} ${flow-direction} ${interface-type}',
	);
	const described = traffic.map(values => ({
		...values,
		'vpc-id': 'vpc-0a',
		'subnet-id': values['interface-id'] === 'eni-0idle' ? 'subnet-0b' : 'subnet-0a',
		'instance-id': 'i-0web',
		'interface-type': 'interface',
		'tcp-flags': values['log-status'] === 'OK' ? (values.action === 'REJECT' ? 2 : 19) : undefined,
		'flow-direction': values.dstaddr === WEB ? 'ingress' : values.srcaddr === WEB ? 'egress' : undefined,
	}));

	it('parses the fields on the service, and still shows what the raw records show', async () => {
		const s = await setup(format, described);
		const {window, stats} = await aggregatePoll(s, format);
		expect(stats.malformed).toBe(0);
		expect(shown(aggregateStore(window))).toEqual(shown(rawStore(format, described)));
		expect(window.records).toBe(described.length);
	});

	it('cannot be summed without the fields every part groups or sums by', () => {
		expect(aggregateFields(parseFormatString('${version} ${srcaddr} ${dstaddr} ${action} ${log-status}'))).toBe(
			'the log format has no interface-id, srcport, dstport, protocol, packets, bytes, start, end',
		);
	});
});

describe('the parts of an aggregate poll', () => {
	it('of a group with no records: one rest part for every address, which none is kept from', async () => {
		const s = await setup(DEFAULT_FORMAT, []);
		const {window} = await aggregatePoll(s, DEFAULT_FORMAT);
		expect(window).toEqual({
			rows: [],
			records: 0,
			queries: 16,
			rowsReceived: 0,
			cut: [],
			unkept: 0,
			kept: [],
			gateways: [],
			unread: {messages: 0, sample: undefined},
		});
	});

	it('keep at most 200 addresses by name, and say how many more would have been', async () => {
		const knocks = Array.from({length: 210}, (_, i) =>
			flow({
				srcaddr: `198.18.${i >> 8}.${i & 255}`,
				dstaddr: WEB,
				srcport: 40_000 + i,
				dstport: 23,
				action: 'REJECT',
				packets: 1,
				bytes: 40,
			}),
		);
		const s = await setup(DEFAULT_FORMAT, [...knocks, ...traffic]);
		const {window} = await aggregatePoll(s, DEFAULT_FORMAT);
		expect(window.unkept).toBeGreaterThan(10);
		expect(window.records).toBe(knocks.length + traffic.length);
		const totals = (store: FlowStore) => computeViews(store, EMPTY_FILTER).totals;
		expect(totals(aggregateStore(window))).toEqual(totals(rawStore(DEFAULT_FORMAT, [...knocks, ...traffic])));
	});

	it('name each part of which a second held more rows than a query returns, never a top list, cut by design', async () => {
		const second = minutesAgo(2);
		const crowd = Array.from({length: 9}, (_, i) => [
			flow({srcaddr: `198.51.100.${i + 1}`, dstaddr: WEB, srcport: 40_000 + i, dstport: 443, start: second}),
			flow({
				srcaddr: `192.0.2.${i + 1}`,
				dstaddr: WEB,
				srcport: 50_000 + i,
				dstport: 25,
				start: second,
				action: 'REJECT',
			}),
			flow({srcaddr: `203.0.113.${i + 1}`, dstaddr: WEB, srcport: 51_000 + i, dstport: 22, start: second, bytes: 1}),
		]).flat();
		const s = await setup(DEFAULT_FORMAT, crowd);
		// Nine of each in one second: the refused records, the logins and the top lists fill a query of eight rows.
		const {window} = await aggregatePoll(s, DEFAULT_FORMAT, {
			top: 3,
			limit: 8,
			range: {from: second - 60, to: second + 60},
		});
		expect([...window.cut].sort()).toEqual(['accepted requests to login ports', 'refused and not-OK records']);
	});
	it('name a part of the rest by the addresses it keeps and the port it groups by', async () => {
		const second = minutesAgo(2);
		// Six big clients of six big servers, twice each, fill every top list: the many small talkers are kept by no name.
		const big = Array.from({length: 6}, (_, i) =>
			[30, 20].map(before =>
				flow({
					srcaddr: `198.51.100.${i + 1}`,
					dstaddr: `10.0.3.${i + 1}`,
					srcport: 40_000 + i,
					dstport: 443,
					bytes: 100_000,
					packets: 100,
					start: second - before,
				}),
			),
		).flat();
		const crowded = Array.from({length: 9}, (_, i) => [
			// Small talkers, each from a low port of its own: the other addresses' part grouped by source port.
			flow({
				srcaddr: `203.0.113.${i + 1}`,
				dstaddr: `192.0.2.${i + 1}`,
				srcport: 100 + i,
				dstport: 60_000,
				bytes: 1,
				packets: 1,
				start: second,
			}),
			// A big client to its server on nine ports: the kept addresses' part grouped by destination port.
			flow({srcaddr: '198.51.100.1', dstaddr: '10.0.3.1', srcport: 50_000, dstport: 8000 + i, start: second}),
		]).flat();
		const s = await setup(DEFAULT_FORMAT, [...big, ...crowded]);
		const {window} = await aggregatePoll(s, DEFAULT_FORMAT, {
			top: 1,
			limit: 8,
			range: {from: second - 60, to: second + 60},
		});
		expect([...window.cut].sort()).toEqual([
			'accepted, kept sources to kept destinations, destination port',
			'accepted, other sources to other destinations, source port',
		]);
	});
});

describe('counting the records of a window', () => {
	it('asks the service, which counts them', async () => {
		const s = await setup(DEFAULT_FORMAT, traffic);
		s.time.runFreely();
		const runner = new QueryRunner({
			client: s.client,
			logGroups: [GROUP],
			timing: s.time,
			cost: new CostMeter(),
			context: {logGroups: [GROUP], endpoint: s.endpoint.url, region: REGION, profile: undefined},
		});
		const count = async (range: {from: number; to: number}) =>
			countRecords({runner, range, endpoint: s.endpoint.url, signal: new AbortController().signal, retrying() {}});
		expect(await count({from: NOW - 3600, to: NOW})).toEqual({records: traffic.length, ingested: traffic.length});
		expect(await count({from: NOW - 30, to: NOW})).toEqual({records: 0, ingested: 0});
	});
});

if (!hasMoto) {
	console.log("skipped: the aggregate poll against moto needs moto_server on PATH (pip install 'moto[server]')");
}

describe.skipIf(!hasMoto)('an endpoint that does not aggregate (moto answers fields, sort and limit only)', () => {
	let moto: Moto;
	// moto takes only recent events, as CloudWatch does.
	const now = Math.floor(Date.now() / 1000);
	const time = new VirtualTime(now * 1000);
	beforeAll(async () => {
		moto = await Moto.start();
		await moto.createGroup(GROUP, 'eni-all');
		await moto.put(
			GROUP,
			'eni-all',
			traffic.slice(0, 3).map(values => formatLine({...values, start: now - 60, end: now - 30}, DEFAULT_FORMAT)),
		);
	}, 30_000);
	afterAll(() => {
		moto?.close();
	});

	function motoRunner(): QueryRunner {
		time.runFreely();
		return new QueryRunner({
			client: moto.client,
			logGroups: [GROUP],
			timing: time,
			cost: new CostMeter(),
			context: {logGroups: [GROUP], endpoint: moto.url, region: REGION, profile: undefined},
		});
	}

	const NO_AGGREGATION =
		/ answered a Logs Insights stats query without aggregating \(moto answers fields, sort and limit only\)$/;

	it('is told by its count of the records, which comes back as the records', async () => {
		const counted = countRecords({
			runner: motoRunner(),
			range: {from: 0, to: now},
			endpoint: moto.url,
			signal: new AbortController().signal,
			retrying() {},
		});
		await expect(counted).rejects.toBeInstanceOf(NoAggregation);
		await expect(counted).rejects.toMatchObject({
			kind: 'query-refused',
			message: expect.stringMatching(NO_AGGREGATION),
		});
	});

	it('is told by the rows of an aggregate poll, which are records rather than sums', async () => {
		const polled = pollAggregateWindow({
			runner: motoRunner(),
			range: {from: 0, to: now},
			fields: aggregateFields(DEFAULT_FORMAT) as AggregateFields,
			stats: new ParseStats(),
			top: TOP,
			endpoint: moto.url,
			signal: new AbortController().signal,
			retrying() {},
		});
		await expect(polled).rejects.toMatchObject({kind: 'query-refused', message: expect.stringMatching(NO_AGGREGATION)});
	});
});
