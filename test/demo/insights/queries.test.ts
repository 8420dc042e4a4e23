import {MalformedQueryException, StartQueryCommand} from '@aws-sdk/client-cloudwatch-logs';
import {beforeEach, describe, expect, it} from 'vitest';
import {formatLine, parseFormatString} from '../../../source/flowlog/format.js';
import {flowEvents, rows, runQuery, T0, T0_SECONDS, useEndpoint} from '../endpoint/harness.js';

const STREAM = 'eni-0a1b2c3d4e5f60001-all';

// Seven records, five minutes before T0 (12:00:00 UTC), one per line of the table below.
const records = flowEvents(
	{
		start: T0_SECONDS - 300,
		srcaddr: '10.0.1.5',
		dstaddr: '10.0.2.9',
		dstport: 443,
		protocol: 6,
		packets: 20,
		bytes: 5000,
		action: 'ACCEPT',
	},
	{
		start: T0_SECONDS - 290,
		srcaddr: '10.0.1.5',
		dstaddr: '10.0.2.9',
		dstport: 443,
		protocol: 6,
		packets: 10,
		bytes: 3000,
		action: 'ACCEPT',
	},
	{
		start: T0_SECONDS - 240,
		srcaddr: '10.0.1.7',
		dstaddr: '10.0.2.9',
		dstport: 22,
		protocol: 6,
		packets: 2,
		bytes: 120,
		action: 'REJECT',
	},
	{
		start: T0_SECONDS - 180,
		srcaddr: '203.0.113.50',
		dstaddr: '10.0.1.5',
		dstport: 3389,
		protocol: 6,
		packets: 1,
		bytes: 60,
		action: 'REJECT',
	},
	{
		start: T0_SECONDS - 120,
		srcaddr: '10.0.1.7',
		dstaddr: '8.8.8.8',
		dstport: 53,
		protocol: 17,
		packets: 4,
		bytes: 400,
		action: 'ACCEPT',
	},
	{
		start: T0_SECONDS - 60,
		srcaddr: '2001:db8::10',
		dstaddr: '2001:db8::20',
		dstport: 443,
		protocol: 6,
		packets: 6,
		bytes: 900,
		action: 'ACCEPT',
	},
	{
		start: T0_SECONDS - 30,
		srcaddr: undefined,
		dstaddr: undefined,
		srcport: undefined,
		dstport: undefined,
		protocol: undefined,
		packets: undefined,
		bytes: undefined,
		action: undefined,
		'log-status': 'NODATA',
	},
);

const DELIVERED_AT = T0 - 10_000;

describe('Logs Insights queries over flow-log records', () => {
	const harness = useEndpoint();
	beforeEach(() => {
		harness.endpoint.store.deliver('flows', STREAM, records, DELIVERED_AT);
	});

	const query = async (queryString: string) => rows(await runQuery(harness.client, queryString));
	const column = async (queryString: string, field: string) => (await query(queryString)).map(row => row[field]);

	describe('fields and system fields', () => {
		it('shows @timestamp and @message (and @ptr) when no fields are chosen', async () => {
			const output = await runQuery(harness.client, 'filter dstPort = 3389');
			expect(output.results).toHaveLength(1);
			expect(output.results![0]!.map(field => field.field)).toEqual(['@timestamp', '@message', '@ptr']);
			expect(rows(output)).toEqual([{'@timestamp': '2024-05-01 11:57:00.000', '@message': records[3]!.message}]);
		});

		it('gives every system field', async () => {
			const [row] = await query(
				'fields @timestamp, @ingestionTime, @logStream, @log, @message | filter dstPort = 3389',
			);
			expect(row).toEqual({
				'@timestamp': '2024-05-01 11:57:00.000',
				'@ingestionTime': '2024-05-01 11:59:50.000',
				'@logStream': STREAM,
				'@log': '123456789012:flows',
				'@message': records[3]!.message,
			});
		});

		it('gives each record its own @ptr', async () => {
			const output = await runQuery(harness.client, 'fields @timestamp');
			const pointers = output.results!.map(fields => fields.find(field => field.field === '@ptr')?.value);
			expect(pointers).toHaveLength(7);
			expect(new Set(pointers).size).toBe(7);
		});

		it('computes fields with arithmetic and aliases', async () => {
			expect(await column('fields bytes / packets as perPacket | filter srcAddr = "10.0.1.5"', 'perPacket')).toEqual([
				'250',
				'300',
			]);
			expect(await column('fields bytes * 8 + 1 as bits, -packets as negative | filter dstPort = 22', 'bits')).toEqual([
				'961',
			]);
		});

		it('lets display pick the final columns', async () => {
			expect(await query('fields srcAddr, dstAddr, bytes | filter dstPort = 53 | display dstAddr')).toEqual([
				{dstAddr: '8.8.8.8'},
			]);
		});
	});

	describe('auto-discovered flow-log fields', () => {
		it('discovers every default-format field under its Insights name', async () => {
			const [row] = await query(
				'fields version, accountId, interfaceId, srcAddr, dstAddr, srcPort, dstPort, protocol, packets, bytes, startTime, endTime, action, logStatus | filter dstPort = 22',
			);
			expect(row).toEqual({
				version: '2',
				accountId: '123456789010',
				interfaceId: 'eni-0a1b2c3d4e5f60001',
				srcAddr: '10.0.1.7',
				dstAddr: '10.0.2.9',
				srcPort: '49152',
				dstPort: '22',
				protocol: '6',
				packets: '2',
				bytes: '120',
				startTime: String(T0_SECONDS - 240),
				endTime: String(T0_SECONDS - 60),
				action: 'REJECT',
				logStatus: 'OK',
			});
		});

		it('leaves out what a NODATA record writes as -', async () => {
			expect(await query('fields logStatus, srcAddr, bytes | filter logStatus = "NODATA"')).toEqual([
				{logStatus: 'NODATA'},
			]);
		});

		it('discovers nothing in a custom format: only parse gives fields', async () => {
			const format = parseFormatString('${version} ${vpc-id} ${srcaddr} ${dstaddr} ${action}');
			const custom = [
				{
					timestamp: T0 - 60_000,
					message: formatLine(
						{version: 3, 'vpc-id': 'vpc-1', srcaddr: '10.9.0.1', dstaddr: '10.9.0.2', action: 'REJECT'},
						format,
					),
				},
				{
					timestamp: T0 - 50_000,
					message: formatLine(
						{version: 3, 'vpc-id': 'vpc-1', srcaddr: '10.9.0.3', dstaddr: '10.9.0.2', action: 'ACCEPT'},
						format,
					),
				},
			];
			harness.endpoint.store.deliver('custom', 'eni-1-all', custom, DELIVERED_AT);
			const inCustom = {logGroupName: 'custom'};
			expect(rows(await runQuery(harness.client, 'filter ispresent(srcAddr)', inCustom))).toEqual([]);
			const parsed = await runQuery(
				harness.client,
				'parse @message "* * * * *" as version, vpcId, srcAddr, dstAddr, action | filter action = "REJECT" | display srcAddr, vpcId',
				inCustom,
			);
			expect(rows(parsed)).toEqual([{srcAddr: '10.9.0.1', vpcId: 'vpc-1'}]);
		});
	});

	describe('filter', () => {
		it('compares numbers with = != < <= > >=', async () => {
			expect(await query('filter bytes = 400')).toHaveLength(1);
			expect(await column('fields bytes | filter bytes = 400', 'bytes')).toEqual(['400']);
			expect(await column('fields bytes | filter bytes != 5000 and bytes > 0', 'bytes')).toEqual([
				'3000',
				'120',
				'60',
				'400',
				'900',
			]);
			expect(await column('fields bytes | filter bytes < 400', 'bytes')).toEqual(['120', '60']);
			expect(await column('fields bytes | filter bytes <= 400', 'bytes')).toEqual(['120', '60', '400']);
			expect(await column('fields bytes | filter bytes > 900', 'bytes')).toEqual(['5000', '3000']);
			expect(await column('fields bytes | filter bytes >= 900', 'bytes')).toEqual(['5000', '3000', '900']);
		});

		it('compares text, and a number written as text as a number', async () => {
			expect(await column('fields srcAddr | filter action = "REJECT"', 'srcAddr')).toEqual([
				'10.0.1.7',
				'203.0.113.50',
			]);
			expect(await column('fields srcAddr | filter dstPort = "53"', 'srcAddr')).toEqual(['10.0.1.7']);
		});

		it('compares a timestamp as epoch milliseconds with toMillis, as the documented toMillis(fieldName) does', async () => {
			const at = String(DELIVERED_AT);
			expect(await query(`filter toMillis(@ingestionTime) = ${at}`)).toHaveLength(7);
			expect(await query(`filter toMillis(@ingestionTime) > ${at}`)).toHaveLength(0);
			expect(
				await column(
					`fields toMillis(@timestamp) as ms | filter toMillis(@timestamp) > ${T0 - 100_000} and toMillis(@timestamp) <= ${T0 - 60_000}`,
					'ms',
				),
			).toEqual([String(T0 - 60_000)]);
			await expect(runQuery(harness.client, 'filter toMillis(1 + 2) > 0')).rejects.toBeInstanceOf(
				MalformedQueryException,
			);
		});

		it('combines conditions with and, or, not and parentheses', async () => {
			const condition = '(action = "REJECT" or protocol = 17) and not srcAddr = "10.0.1.7"';
			expect(await column(`fields srcAddr | filter ${condition}`, 'srcAddr')).toEqual(['203.0.113.50']);
			expect(
				await column('fields srcAddr | filter action = "REJECT" or protocol = 17 and srcAddr = "10.0.1.7"', 'srcAddr'),
			).toEqual(['10.0.1.7', '203.0.113.50', '10.0.1.7']);
		});

		it('matches lists with in and not in', async () => {
			expect(await column('fields dstPort | filter dstPort in [22, 3389]', 'dstPort')).toEqual(['22', '3389']);
			expect(await column('fields action | filter action in ["REJECT"]', 'action')).toEqual(['REJECT', 'REJECT']);
			expect(await column('fields dstPort | filter logStatus = "OK" and dstPort not in [443, 22]', 'dstPort')).toEqual([
				'3389',
				'53',
			]);
		});

		it('matches a list item as = would: numbers by value, text as text, among hundreds', async () => {
			expect(await column('fields dstPort | filter dstPort in [22.0, "3389", "ssh"]', 'dstPort')).toEqual([
				'22',
				'3389',
			]);
			expect(await column('fields action | filter action in ["reject", 1]', 'action')).toEqual([]);
			const many = [...Array.from({length: 300}, (_, i) => `"10.9.${i}.1"`), '"203.0.113.50"'].join(', ');
			expect(await column(`fields srcAddr | filter srcAddr in [${many}]`, 'srcAddr')).toEqual(['203.0.113.50']);
		});

		it('matches substrings and regular expressions with like and =~', async () => {
			expect(await column('fields srcAddr | filter srcAddr like "113"', 'srcAddr')).toEqual(['203.0.113.50']);
			expect(await column('fields srcAddr | filter srcAddr like /^10\\.0\\.1\\.7$/', 'srcAddr')).toEqual([
				'10.0.1.7',
				'10.0.1.7',
			]);
			expect(await column('fields srcAddr | filter srcAddr =~ /^2001:/', 'srcAddr')).toEqual(['2001:db8::10']);
			expect(await column('fields action | filter action like /(?i)^reject$/', 'action')).toEqual(['REJECT', 'REJECT']);
			expect(await column('fields action | filter action like /reject/', 'action')).toEqual([]);
			expect(await column('fields srcAddr | filter logStatus = "OK" and srcAddr not like /^10\\./', 'srcAddr')).toEqual(
				['203.0.113.50', '2001:db8::10'],
			);
		});

		it('tests addresses against subnets', async () => {
			expect(await column('fields srcAddr | filter isIpv4InSubnet(srcAddr, "10.0.1.0/24")', 'srcAddr')).toEqual([
				'10.0.1.5',
				'10.0.1.5',
				'10.0.1.7',
				'10.0.1.7',
			]);
			expect(await column('fields srcAddr | filter isIpv4InSubnet(srcAddr, "10.0.1.4/31")', 'srcAddr')).toEqual([
				'10.0.1.5',
				'10.0.1.5',
			]);
			expect(await column('fields srcAddr | filter isIpv6InSubnet(srcAddr, "2001:db8::/32")', 'srcAddr')).toEqual([
				'2001:db8::10',
			]);
			expect(
				await column(
					'fields dstAddr | filter isIpInSubnet(dstAddr, "2001:db8::/64") or isIpInSubnet(dstAddr, "8.8.8.0/24")',
					'dstAddr',
				),
			).toEqual(['8.8.8.8', '2001:db8::20']);
			expect(
				await column(
					'fields srcAddr | filter not isIpv4InSubnet(srcAddr, "10.0.0.0/8") and ispresent(srcAddr)',
					'srcAddr',
				),
			).toEqual(['203.0.113.50', '2001:db8::10']);
		});
	});

	describe('parse', () => {
		it('extracts fields with a glob', async () => {
			const output = await query(
				'parse @message "* * * * * * * *" as v, account, eni, src, dst, sport, dport, rest | filter dport = 3389 | display eni, src, dport',
			);
			expect(output).toEqual([{eni: 'eni-0a1b2c3d4e5f60001', src: '203.0.113.50', dport: '3389'}]);
		});

		it('extracts fields with a regular expression, and shows them beside @message', async () => {
			const output = await runQuery(
				harness.client,
				'parse @message /eni-\\w+ (?<src>\\S+) (?<dst>\\S+)/ | filter dst = "8.8.8.8"',
			);
			expect(rows(output)).toEqual([
				{'@timestamp': '2024-05-01 11:58:00.000', '@message': records[4]!.message, src: '10.0.1.7', dst: '8.8.8.8'},
			]);
		});

		it('leaves a record whose value does not match without the fields', async () => {
			expect(
				await query('parse @message "ACCEPT *" as tail | filter ispresent(tail) | stats count(*) as accepted'),
			).toEqual([{accepted: '4'}]);
		});
	});

	describe('stats', () => {
		it('counts, sums, averages and finds extremes by group', async () => {
			const output = await query(
				'filter logStatus = "OK" | stats count(*) as flows, sum(bytes) as total, avg(bytes), min(bytes), max(bytes), count_distinct(srcAddr) as sources by action | sort action',
			);
			expect(output).toEqual([
				{
					action: 'ACCEPT',
					flows: '4',
					total: '9300',
					'avg(bytes)': '2325',
					'min(bytes)': '400',
					'max(bytes)': '5000',
					sources: '3',
				},
				{
					action: 'REJECT',
					flows: '2',
					total: '180',
					'avg(bytes)': '90',
					'min(bytes)': '60',
					'max(bytes)': '120',
					sources: '2',
				},
			]);
		});

		it('counts records with count(*) and records having a field with count(field)', async () => {
			expect(await query('stats count(*), count(srcAddr), count()')).toEqual([
				{'count(*)': '7', 'count(srcAddr)': '6', 'count()': '7'},
			]);
		});

		it('groups by several fields, puts the groups first, sorts addresses naturally (8.8.8.8 before 10.0.2.9)', async () => {
			const output = await runQuery(
				harness.client,
				'filter logStatus = "OK" | stats sum(bytes) by srcAddr, dstAddr | sort srcAddr, dstAddr',
			);
			expect(output.results![0]!.map(field => field.field)).toEqual(['srcAddr', 'dstAddr', 'sum(bytes)']);
			expect(rows(output)).toEqual([
				{srcAddr: '10.0.1.5', dstAddr: '10.0.2.9', 'sum(bytes)': '8000'},
				{srcAddr: '10.0.1.7', dstAddr: '8.8.8.8', 'sum(bytes)': '400'},
				{srcAddr: '10.0.1.7', dstAddr: '10.0.2.9', 'sum(bytes)': '120'},
				{srcAddr: '203.0.113.50', dstAddr: '10.0.1.5', 'sum(bytes)': '60'},
				{srcAddr: '2001:db8::10', dstAddr: '2001:db8::20', 'sum(bytes)': '900'},
			]);
		});

		it('buckets time with bin()', async () => {
			expect(await query('stats count(*) as records by bin(1m) as minute | sort minute')).toEqual([
				{minute: '2024-05-01 11:55:00.000', records: '2'},
				{minute: '2024-05-01 11:56:00.000', records: '1'},
				{minute: '2024-05-01 11:57:00.000', records: '1'},
				{minute: '2024-05-01 11:58:00.000', records: '1'},
				{minute: '2024-05-01 11:59:00.000', records: '2'},
			]);
			expect(await query('stats count(*) by bin(5m)')).toEqual([
				{'bin(5m)': '2024-05-01 11:55:00.000', 'count(*)': '7'},
			]);
		});

		it('filters and sorts the aggregated rows', async () => {
			expect(await query('stats sum(bytes) as total by srcAddr | filter total > 500 | sort total desc')).toEqual([
				{srcAddr: '10.0.1.5', total: '8000'},
				{srcAddr: '2001:db8::10', total: '900'},
				{srcAddr: '10.0.1.7', total: '520'},
			]);
		});

		it('gives no row and no @ptr for aggregates', async () => {
			const output = await runQuery(harness.client, 'stats max(@timestamp) as latest');
			expect(output.results).toEqual([[{field: 'latest', value: '2024-05-01 11:59:30.000'}]]);
		});
	});

	describe('sort and limit', () => {
		it('sorts descending or ascending (the default), on several keys', async () => {
			expect(await column('fields bytes | sort bytes desc | limit 3', 'bytes')).toEqual(['5000', '3000', '900']);
			expect(await column('fields bytes | filter ispresent(bytes) | sort bytes | limit 3', 'bytes')).toEqual([
				'60',
				'120',
				'400',
			]);
			expect(
				await column('fields dstPort, bytes | filter ispresent(dstPort) | sort dstPort desc, bytes asc', 'bytes'),
			).toEqual(['60', '900', '3000', '5000', '400', '120']);
		});

		it('sorts text before numbers and text in natural order, missing values last', async () => {
			expect(await column('fields srcAddr | sort srcAddr asc', 'srcAddr')).toEqual([
				'10.0.1.5',
				'10.0.1.5',
				'10.0.1.7',
				'10.0.1.7',
				'203.0.113.50',
				'2001:db8::10',
				undefined,
			]);
		});

		it('sorts by @timestamp and keeps the newest with limit', async () => {
			expect(await column('fields @timestamp | sort @timestamp desc | limit 2', '@timestamp')).toEqual([
				'2024-05-01 11:59:30.000',
				'2024-05-01 11:59:00.000',
			]);
		});

		it('limits raw records', async () => {
			expect(await query('fields action | limit 2')).toEqual([{action: 'ACCEPT'}, {action: 'ACCEPT'}]);
		});
	});

	describe('refused queries', () => {
		it('answers MalformedQueryException with where the compiler stopped', async () => {
			const attempt = harness.client.send(
				new StartQueryCommand({
					logGroupName: 'flows',
					startTime: T0_SECONDS - 60,
					endTime: T0_SECONDS,
					queryString: 'fields srcAddr | dedup srcAddr',
				}),
			);
			await expect(attempt).rejects.toBeInstanceOf(MalformedQueryException);
			await expect(attempt).rejects.toMatchObject({
				message: 'unexpected symbol found dedup at line 1 and position 17',
				queryCompileError: {location: {startCharOffset: 17, endCharOffset: 22}},
			});
			expect(harness.endpoint.runningQueries()).toBe(0);
		});
	});
});
