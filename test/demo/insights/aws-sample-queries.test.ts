import {beforeEach, describe, expect, it} from 'vitest';
import type {FieldValues} from '../../../source/flowlog/format.js';
import {flowEvents, rows, runQuery, T0, T0_SECONDS, useEndpoint} from '../endpoint/harness.js';

/** `count` records like `fields`, ten seconds apart from `secondsAgo` on, with `bytes` taken in turn. */
function flows(count: number, secondsAgo: number, fields: FieldValues, bytes: number[]): FieldValues[] {
	return Array.from({length: count}, (_, i) => ({
		...fields,
		start: T0_SECONDS - secondsAgo + i * 10,
		bytes: bytes[i % bytes.length],
	}));
}

const SKIPDATA = {
	srcaddr: undefined,
	dstaddr: undefined,
	srcport: undefined,
	dstport: undefined,
	protocol: undefined,
	packets: undefined,
	bytes: undefined,
	action: undefined,
	'log-status': 'SKIPDATA',
};

// The traffic every sample query below is asked about (the last ten minutes), and three SKIPDATA
// records earlier in the morning.
const traffic = [
	...flows(
		3,
		600,
		{srcaddr: '192.0.2.10', dstaddr: '198.51.100.1', dstport: 443, protocol: 6, packets: 10, action: 'ACCEPT'},
		[900, 1000, 1100],
	),
	...flows(
		2,
		500,
		{srcaddr: '192.0.2.20', dstaddr: '198.51.100.2', dstport: 53, protocol: 17, packets: 3, action: 'ACCEPT'},
		[200],
	),
	...flows(
		4,
		400,
		{srcaddr: '203.0.113.9', dstaddr: '192.0.2.10', dstport: 22, protocol: 6, packets: 1, action: 'REJECT'},
		[40],
	),
	...flows(
		1,
		300,
		{srcaddr: '10.0.0.8', dstaddr: '10.0.0.9', dstport: 5432, protocol: 6, packets: 3, action: 'REJECT'},
		[180],
	),
	...flows(
		1,
		200,
		{srcaddr: '192.0.2.30', dstaddr: '198.51.100.1', dstport: 123, protocol: 17, packets: 1, action: 'ACCEPT'},
		[76],
	),
];
const skipped = [
	{...SKIPDATA, start: T0_SECONDS - 6300},
	{...SKIPDATA, start: T0_SECONDS - 6000},
	{...SKIPDATA, start: T0_SECONDS - 1800},
];

const lastTenMinutes = {startTime: T0_SECONDS - 600, endTime: T0_SECONDS};
const lastThreeHours = {startTime: T0_SECONDS - 3 * 3600, endTime: T0_SECONDS};

// AWS's published sample queries for VPC flow logs (the CloudWatch Logs user guide's "Sample
// queries" page, older and current wording, and the Well-Architected incident-response lab).
describe('AWS sample queries for VPC flow logs', () => {
	const harness = useEndpoint();
	beforeEach(() => {
		const events = flowEvents(...skipped, ...traffic);
		harness.endpoint.store.deliver('flows', 'eni-0a1b2c3d4e5f60001-all', events, T0 - 5000);
	});

	const sample = async (queryString: string, range = lastTenMinutes) =>
		rows(await runQuery(harness.client, queryString, range));

	it('finds the top 15 packet transfers across hosts', async () => {
		expect(
			await sample(
				'stats sum(packets) as packetsTransferred by srcAddr, dstAddr\n| sort packetsTransferred  desc\n| limit 15',
			),
		).toEqual([
			{srcAddr: '192.0.2.10', dstAddr: '198.51.100.1', packetsTransferred: '30'},
			{srcAddr: '192.0.2.20', dstAddr: '198.51.100.2', packetsTransferred: '6'},
			{srcAddr: '203.0.113.9', dstAddr: '192.0.2.10', packetsTransferred: '4'},
			{srcAddr: '10.0.0.8', dstAddr: '10.0.0.9', packetsTransferred: '3'},
			{srcAddr: '192.0.2.30', dstAddr: '198.51.100.1', packetsTransferred: '1'},
		]);
	});

	it('finds the top 15 byte transfers for hosts on a given subnet', async () => {
		const query =
			'filter isIpv4InSubnet(srcAddr, "192.0.2.0/24")\n| stats sum(bytes) as bytesTransferred by dstAddr\n| sort bytesTransferred desc\n| limit 15';
		expect(await sample(query)).toEqual([
			{dstAddr: '198.51.100.1', bytesTransferred: '3076'},
			{dstAddr: '198.51.100.2', bytesTransferred: '400'},
		]);
	});

	it('finds nothing with the older wording, which compares the address to the text of a subnet', async () => {
		expect(
			await sample(
				'filter srcAddr= "192.0.2.0/24"\n| stats sum(bytes) as bytesTransferred by dstAddr\n| sort bytesTransferred  desc\n| limit 15',
			),
		).toEqual([]);
	});

	it('finds the IP addresses using UDP as a data transfer protocol', async () => {
		const found = await sample('filter protocol=17 | stats count(*) by srcAddr');
		expect(found).toHaveLength(2);
		expect(found).toEqual(
			expect.arrayContaining([
				{srcAddr: '192.0.2.20', 'count(*)': '2'},
				{srcAddr: '192.0.2.30', 'count(*)': '1'},
			]),
		);
	});

	it('finds the hours where flow records were skipped during the capture window', async () => {
		expect(
			await sample('filter logStatus="SKIPDATA"\n| stats count(*) by bin(1h) as t\n| sort t', lastThreeHours),
		).toEqual([
			{t: '2024-05-01 10:00:00.000', 'count(*)': '2'},
			{t: '2024-05-01 11:00:00.000', 'count(*)': '1'},
		]);
	});

	it('finds the average, min and max byte transfers by source and destination', async () => {
		const found = await sample('stats avg(bytes), min(bytes), max(bytes) by srcAddr, dstAddr');
		expect(found).toHaveLength(5);
		expect(found).toContainEqual({
			srcAddr: '192.0.2.10',
			dstAddr: '198.51.100.1',
			'avg(bytes)': '1000',
			'min(bytes)': '900',
			'max(bytes)': '1100',
		});
	});

	it('finds the top 20 sources of rejected requests', async () => {
		expect(
			await sample(
				'filter action="REJECT" | stats count(*) as numRejections by srcAddr | sort numRejections desc | limit 20',
			),
		).toEqual([
			{srcAddr: '203.0.113.9', numRejections: '4'},
			{srcAddr: '10.0.0.8', numRejections: '1'},
		]);
	});

	it('finds rejected requests originating from inside the VPC', async () => {
		expect(
			await sample(
				'filter action="REJECT" and srcAddr like /^10\\./ | stats count(*) as numRejections by srcAddr | sort numRejections desc',
			),
		).toEqual([{srcAddr: '10.0.0.8', numRejections: '1'}]);
	});

	it('lists the requests from one address', async () => {
		const found = await sample(
			'filter srcAddr = "203.0.113.9" | fields @timestamp, interfaceId, dstAddr, dstPort, action',
		);
		expect(found).toHaveLength(4);
		expect(new Set(found.map(row => `${row.interfaceId} ${row.dstAddr}:${row.dstPort} ${row.action}`))).toEqual(
			new Set(['eni-0a1b2c3d4e5f60001 192.0.2.10:22 REJECT']),
		);
	});

	it('finds the 25 most recently added log events', async () => {
		const found = await sample('fields @timestamp, @message | sort @timestamp desc | limit 25', lastThreeHours);
		expect(found).toHaveLength(14);
		expect(found[0]).toEqual({
			'@timestamp': '2024-05-01 11:56:40.000',
			'@message': flowEvents(traffic.at(-1)!)[0]!.message,
		});
		expect(found.at(-1)!['@timestamp']).toBe('2024-05-01 10:15:00.000');
	});
});
