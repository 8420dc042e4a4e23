import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {EMPTY_FILTER, type Filter, matchesFilter, parseFilter} from '../../../source/engine/filter.js';
import {type Endpoint, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {ScaledClock} from '../../../source/clock.js';
import {FlowLogDecoder, parseRecord} from '../../../source/flowlog/decoder.js';
import {DEFAULT_FORMAT, type FlowFormat, formatLine, parseFormatString} from '../../../source/flowlog/format.js';
import type {FlowRecord} from '../../../source/flowlog/record.js';
import {buildQuery} from '../../../source/sources/insights/query.js';
import {createLogsClient} from '../../../source/sources/insights/client.js';
import {rows, runQuery} from '../../demo/endpoint/harness.js';

const V5 = parseFormatString('${version} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${bytes} ${start} ${action} ${log-status} ${flow-direction}');
const NO_PORTS = parseFormatString('${version} ${interface-id} ${srcaddr} ${dstaddr} ${protocol} ${bytes} ${start} ${action} ${log-status}');

const query = (format: FlowFormat, filter: string, exclude: string[] = []) =>
	buildQuery({format, filter: filter === '' ? EMPTY_FILTER : parseFilter(filter), exclude: exclude.map(text => parseFilter(text))});

describe('the query for a filter', () => {
	it('asks for raw records, fields auto-discovered for the default format', () => {
		expect(query(DEFAULT_FORMAT, '')).toBe('fields @timestamp, @message, @ptr, @ingestionTime');
		expect(query(DEFAULT_FORMAT, 'eni-0a1 10.0.0.0/16 port:22 tcp reject')).toBe([
			'fields @timestamp, @message, @ptr, @ingestionTime',
			'| filter interfaceId = "eni-0a1" and (isIpv4InSubnet(srcAddr, "10.0.0.0/16") or isIpv4InSubnet(dstAddr, "10.0.0.0/16"))'
			+ ' and (srcPort = 22 or dstPort = 22) and protocol = 6 and action = "REJECT"',
		].join('\n'));
	});

	it('lists several values with in, ranges with bounds, and IPv6 with its own function', () => {
		expect(query(DEFAULT_FORMAT, 'eni-0a1 eni-0b2 port:22,443,1024-65535 udp icmp 2001:db8::/32 accept reject')).toBe([
			'fields @timestamp, @message, @ptr, @ingestionTime',
			'| filter interfaceId in ["eni-0a1", "eni-0b2"]'
			+ ' and (isIpv6InSubnet(srcAddr, "2001:db8::/32") or isIpv6InSubnet(dstAddr, "2001:db8::/32"))'
			+ ' and (srcPort in [22, 443] or (srcPort >= 1024 and srcPort <= 65535) or dstPort in [22, 443] or (dstPort >= 1024 and dstPort <= 65535))'
			+ ' and protocol in [17, 1] and action in ["ACCEPT", "REJECT"]',
		].join('\n'));
	});

	it('pins src: and dst: to one end, in canonical CIDR form', () => {
		expect(query(DEFAULT_FORMAT, 'src:10.0.1.5 dst:10.0.2.0/23')).toBe([
			'fields @timestamp, @message, @ptr, @ingestionTime',
			'| filter isIpv4InSubnet(srcAddr, "10.0.1.5/32") and isIpv4InSubnet(dstAddr, "10.0.2.0/23")',
		].join('\n'));
	});

	it('parses a custom format into the catalog names, only when a filter needs a field, and displays only the raw record', () => {
		expect(query(V5, '')).toBe('fields @timestamp, @message, @ptr, @ingestionTime');
		expect(query(V5, 'reject port:22')).toBe([
			'parse @message "* * * * * * * * * * * *" as version, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, bytes, startTime, action, logStatus, flowDirection',
			'| filter (srcPort = 22 or dstPort = 22) and action = "REJECT"',
			'| display @timestamp, @message, @ptr, @ingestionTime',
		].join('\n'));
	});

	it('pushes down only what the format has fields for', () => {
		expect(query(NO_PORTS, 'port:22 tcp')).toBe([
			'parse @message "* * * * * * * * *" as version, interfaceId, srcAddr, dstAddr, protocol, bytes, startTime, action, logStatus',
			'| filter protocol = 6',
			'| display @timestamp, @message, @ptr, @ingestionTime',
		].join('\n'));
	});

	it('leaves out, exactly, what a backfill fetched before', () => {
		expect(query(DEFAULT_FORMAT, '', ['reject', 'eni-0a1 port:22'])).toBe([
			'fields @timestamp, @message, @ptr, @ingestionTime',
			'| filter not (action = "REJECT")',
			'| filter not (interfaceId = "eni-0a1" and (srcPort = 22 or dstPort = 22))',
		].join('\n'));
		// A fetched filter on a field the format lacks matched nothing: nothing of it to leave out.
		expect(query(NO_PORTS, 'tcp', ['port:22'])).toBe([
			'parse @message "* * * * * * * * *" as version, interfaceId, srcAddr, dstAddr, protocol, bytes, startTime, action, logStatus',
			'| filter protocol = 6',
			'| display @timestamp, @message, @ptr, @ingestionTime',
		].join('\n'));
		// Nothing is left when everything was fetched.
		expect(query(DEFAULT_FORMAT, 'reject', [''])).toBeUndefined();
	});
});

const T0 = Date.parse('2024-05-01T12:00:00Z');
const START = T0 / 1000 - 300;

/** Records that straddle every clause: each end, each family, ports in and out of ranges, NODATA, a malformed line. */
function sampleValues(): Array<Record<string, string | number>> {
	const values: Array<Record<string, string | number>> = [];
	const addresses = [['10.0.1.5', '10.0.2.9'], ['10.0.2.9', '10.0.1.5'], ['192.168.1.1', '10.0.9.9'], ['2001:db8::10', '2001:db8:1::20'], ['203.0.113.9', '198.51.100.7']];
	const ports = [[49_152, 22], [22, 49_152], [443, 8080], [1023, 1024], [65_535, 53]];
	let i = 0;
	for (const eni of ['eni-0a1', 'eni-0b2', 'eni-0c3']) {
		for (const [src, dst] of addresses) {
			for (const [srcport, dstport] of ports) {
				values.push({
					version: 5, 'interface-id': eni, srcaddr: src!, dstaddr: dst!, srcport: srcport!, dstport: dstport!,
					protocol: [6, 17, 1][i % 3]!, bytes: 100 + i, start: START + (i % 200), action: i % 4 === 0 ? 'REJECT' : 'ACCEPT',
					'log-status': 'OK', 'flow-direction': i % 2 === 0 ? 'ingress' : 'egress',
					'account-id': '123456789012', packets: 1, end: START + 250,
				});
				i++;
			}
		}

		values.push({version: 5, 'interface-id': eni, start: START + 10, 'log-status': 'NODATA'});
	}

	return values;
}

const filters = [
	'eni-0a1',
	'eni-0a1 eni-0c3 reject',
	'10.0.1.0/24',
	'2001:db8::/48',
	'src:10.0.2.9',
	'dst:10.0.0.0/16 udp',
	'port:22',
	'port:22,53 tcp',
	'port:1024-49152',
	'icmp accept',
	'eni-0b2 10.0.0.0/8 port:1-1023 tcp accept',
];

describe.each([['the default format', DEFAULT_FORMAT], ['a custom format', V5], ['a format without ports', NO_PORTS]])('each query on the local endpoint, %s', (_, format) => {
	let endpoint: Endpoint;
	let records: Map<string, FlowRecord>;
	let client: ReturnType<typeof createLogsClient>;
	beforeEach(async () => {
		const clock = new ScaledClock(0, T0);
		endpoint = await startEndpoint({clock: clock.now});
		client = createLogsClient({endpoint: endpoint.url, credentials: {accessKeyId: 'test', secretAccessKey: 'test'}});
		const events = [...sampleValues().map(values => formatLine(values, format)), 'this line is not a flow log'].map(message => ({timestamp: START * 1000, message}));
		endpoint.store.deliver('flows', 'eni-all', events, T0);
		const decoder = new FlowLogDecoder(format);
		records = new Map();
		for (const {message} of events) {
			const parsed: FlowRecord[] = [];
			decoder.decode(message, 0, message.length, parseRecord, parsed);
			if (parsed[0]) {
				records.set(message, parsed[0]);
			}
		}
	});
	afterEach(async () => {
		client.destroy();
		await endpoint.close();
	});

	const run = async (text: string) => new Set(rows(await runQuery(client, text, {startTime: START - 60, endTime: START + 600})).map(row => row['@message']!));

	it.each(filters)('is accepted and returns exactly what %s matches', async text => {
		const filter = parseFilter(text);
		const returned = [...await run(buildQuery({format, filter})!)].filter(message => records.has(message)).sort();
		const wanted = [...records].filter(([, record]) => matchesFilter(filter, record)).map(([message]) => message).sort();
		if (format === NO_PORTS && filter.ports.length > 0) {
			// The port clause cannot be pushed down: more comes back, and the local filter drops it.
			expect(returned).toEqual(expect.arrayContaining(wanted));
			expect(returned.length).toBeGreaterThan(wanted.length);
		} else {
			expect(returned).toEqual(wanted);
		}
	});

	it.each(filters)('leaves out exactly the records %s matches', async text => {
		const fetched: Filter = parseFilter(text);
		const returned = await run(buildQuery({format, filter: EMPTY_FILTER, exclude: [fetched]})!);
		const expected = [...records].filter(([, record]) => !matchesFilter(fetched, record)).map(([message]) => message);
		expect([...returned].filter(message => records.has(message)).sort()).toEqual(expected.sort());
	});
});
