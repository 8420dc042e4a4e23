import {describe, expect, it} from 'vitest';
import {DEFAULT_FORMAT, parseFormatString} from '../../source/flowlog/format.js';
import {LineParser} from '../../source/flowlog/parser.js';

const v2 = new LineParser(DEFAULT_FORMAT);

describe('the default (v2) format', () => {
	it('reads every field of an accepted SSH flow (AWS documentation example)', () => {
		expect(
			v2.parse(
				'2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK',
			),
		).toMatchObject({
			status: 'OK',
			account: '123456789010',
			eni: 'eni-1235b8ca123456789',
			src: '172.31.16.139',
			dst: '172.31.16.21',
			srcPort: 20_641,
			dstPort: 22,
			protocol: 6,
			packets: 20,
			bytes: 4249,
			start: 1_418_530_010,
			end: 1_418_530_070,
			action: 'ACCEPT',
		});
	});

	it('reads a rejected RDP attempt', () => {
		expect(
			v2.parse(
				'2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK',
			),
		).toMatchObject({action: 'REJECT', dstPort: 3389});
	});

	it('treats - as absent in a NODATA record', () => {
		const record = v2.parse('2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA');
		expect(record).toMatchObject({
			status: 'NODATA',
			src: undefined,
			dst: undefined,
			bytes: undefined,
			action: undefined,
			start: 1_431_280_876,
		});
	});

	it('reads SKIPDATA', () => {
		expect(
			v2.parse('2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA'),
		).toMatchObject({status: 'SKIPDATA'});
	});

	it('reads IPv6 addresses', () => {
		expect(
			v2.parse(
				'2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK',
			),
		).toMatchObject({
			src: '2001:db8:1234:a100:8d6e:3477:df66:f105',
			dst: '2001:db8:1234:a102:3304:8879:34cf:4071',
		});
	});

	it('tolerates runs of spaces, tabs and a CRLF line end', () => {
		expect(
			v2.parse('2  123456789010\teni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK\r'),
		).toMatchObject({eni: 'eni-1', dst: '10.0.0.2'});
	});

	it('takes a 13-digit millisecond timestamp as milliseconds', () => {
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1512564058000 1512564059000 ACCEPT OK')).toMatchObject({
			start: 1_512_564_058,
			end: 1_512_564_059,
		});
	});

	it('calls a line of nothing but a comment a comment, not an empty line', () => {
		expect(v2.parse('# flows of the bastion host')).toBe('comment only');
		expect(v2.parse('   ')).toBe('empty line');
	});

	it('ignores an annotation after #', () => {
		expect(
			v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK # SSH from the bastion'),
		).toMatchObject({action: 'ACCEPT'});
	});
});

describe('malformed lines say why', () => {
	it.each([
		[
			'too few fields',
			'2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT',
			'wrong field count: expected 14, got 13',
		],
		[
			'too many fields',
			'2 123456789010 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK extra',
			'wrong field count: expected 14, got 15',
		],
		[
			'a word for a port',
			'2 1 eni-1 10.0.0.1 10.0.0.2 http 2 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad number in srcport',
		],
		[
			'a port past 65535',
			'2 1 eni-1 10.0.0.1 10.0.0.2 70000 2 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad number in srcport',
		],
		[
			'a protocol past 255',
			'2 1 eni-1 10.0.0.1 10.0.0.2 1 2 256 1 1 1700000000 1700000060 ACCEPT OK',
			'bad number in protocol',
		],
		[
			'a negative byte count',
			'2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 -5 1700000000 1700000060 ACCEPT OK',
			'bad number in bytes',
		],
		[
			'an octet past 255',
			'2 1 eni-1 10.0.0.256 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad address in srcaddr',
		],
		['three octets', '2 1 eni-1 10.0.0 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK', 'bad address in srcaddr'],
		[
			'a first octet past 255',
			'2 1 eni-1 256.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad address in srcaddr',
		],
		[
			'an empty octet',
			'2 1 eni-1 10..0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad address in srcaddr',
		],
		[
			'a destination port past 65535',
			'2 1 eni-1 10.0.0.1 10.0.0.2 1 65536 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad number in dstport',
		],
		[
			'a broken IPv6 address',
			'2 1 eni-1 10.0.0.1 2001:db8:::1 1 2 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad address in dstaddr',
		],
		[
			'an unknown action',
			'2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ALLOW OK',
			'bad value in action',
		],
		[
			'a lower-case status',
			'2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT ok',
			'bad value in log-status',
		],
	])('%s', (_, line, reason) => {
		expect(v2.parse(line)).toBe(reason);
	});
});

describe('out-of-range timestamps are malformed, naming the range accepted', () => {
	const now = Math.floor(Date.now() / 1000);
	it.each([
		['a start of 0', `2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 0 ${now} ACCEPT OK`, 'start'],
		['an end in the year 5138', `2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 ${now} 99999999999 ACCEPT OK`, 'end'],
		[
			'a millisecond start in 2100',
			'2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 4102444800000 4102444800000 ACCEPT OK',
			'start',
		],
		[
			'an end two days ahead of the clock',
			`2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 ${now} ${now + 2 * 86_400} ACCEPT OK`,
			'end',
		],
	])('%s', (_, line, field) => {
		expect(v2.parse(line)).toMatch(
			new RegExp(
				`^${field} out of range \\(accepted 2000-01-01 to \\d{4}-\\d{2}-\\d{2}, a day past this machine's clock; Unix seconds or milliseconds\\)$`,
			),
		);
	});

	it("keeps the first second of 2000, and the clock's own time", () => {
		expect(v2.parse(`2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 946684800 ${now + 60} ACCEPT OK`)).toMatchObject({
			start: 946_684_800,
			end: now + 60,
		});
	});
});

describe('addresses are canonical from the parser on', () => {
	it('writes IPv6 one way, however the line spells it', () => {
		const upper = v2.parse(
			'2 1 eni-1 FE80:0:0:0:0:0:0:2 2001:DB8:0:0:1:0:0:1 1 2 6 1 1 1700000000 1700000060 ACCEPT OK',
		);
		expect(upper).toMatchObject({src: 'fe80::2', dst: '2001:db8::1:0:0:1'});
		expect(v2.fields('2 1 eni-1 FE80:0:0:0:0:0:0:2 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK')).toMatchObject({
			srcaddr: 'fe80::2',
		});
	});

	it('refuses leading zeros in IPv4, which some readers take for octal', () => {
		expect(v2.parse('2 1 eni-1 010.000.000.001 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK')).toBe(
			'bad address in srcaddr',
		);
		expect(v2.parse('2 1 eni-1 10.0.0.100 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK')).toMatchObject({
			src: '10.0.0.100',
		});
	});

	it('refuses an IPv6 zone, which no flow log carries', () => {
		expect(v2.parse('2 1 eni-1 fe80::1%eth0 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT OK')).toBe(
			'bad address in srcaddr',
		);
	});
});

describe('custom formats', () => {
	it('reads fields in the order the format gives them', () => {
		const parser = new LineParser(
			parseFormatString(
				'${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status}',
			),
		);
		expect(
			parser.parse(
				'3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK',
			),
		).toMatchObject({
			vpcId: 'vpc-abcdefab012345678',
			subnetId: 'subnet-aaaaaaaa012345678',
			instanceId: 'i-01234567890123456',
			src: '52.213.180.42',
			pktSrc: '52.213.180.42',
			bytes: 568,
			packets: 8,
			tcpFlags: 2,
		});
	});

	it('reads v5 flow-direction and a NAT gateway line without ports', () => {
		const parser = new LineParser(
			parseFormatString('instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr flow-direction'),
		);
		expect(parser.parse('- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 ingress')).toMatchObject({
			instanceId: undefined,
			dst: '10.0.0.220',
			pktDst: '203.0.113.5',
			direction: 'inbound',
			status: 'OK',
		});
	});

	it('reads v11 fields, keeping interface-type for the engine', () => {
		const parser = new LineParser(
			parseFormatString(
				'version srcaddr dstaddr srcport dstport protocol start end action log-status reject-reason resource-id encryption-status interface-type',
			),
		);
		expect(
			parser.fields(
				'11 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 REJECT OK BPA nat-0c50d5961bcb2d47b 1 nat_gateway',
			),
		).toEqual({
			version: 11,
			srcaddr: '10.0.0.71',
			dstaddr: '52.95.128.179',
			srcport: 34_210,
			dstport: 80,
			protocol: 6,
			start: 1_616_729_292,
			end: 1_616_729_349,
			action: 'REJECT',
			'log-status': 'OK',
			'reject-reason': 'BPA',
			'resource-id': 'nat-0c50d5961bcb2d47b',
			'encryption-status': 1,
			'interface-type': 'nat_gateway',
		});
		expect(
			parser.parse(
				'11 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 REJECT OK BPA nat-0c50d5961bcb2d47b 1 nat_gateway',
			),
		).toMatchObject({interfaceType: 'nat_gateway'});
	});

	it('keeps v8 reject-reason on the record, so a Block Public Access refusal is not blamed on a rule', () => {
		// The v8 sample of the Elastic integration's corpus: the v7 default fields, then reject-reason.
		const parser = new LineParser(
			parseFormatString(
				'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status ' +
					'vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id ' +
					'pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path ecs-cluster-arn ecs-cluster-name ' +
					'ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ' +
					'ecs-task-definition-arn ecs-task-arn ecs-task-id reject-reason',
			),
		);
		const sample =
			'3 000000000000 - 2a02:cf40:: 1.128.0.0 42910 80 17 51 33615 1755678754 1755678775 REJECT NODATA - - - - - - - - - - - - - ingress - ' +
			'arn:aws:ecs:us-east-1:000000000000:cluster/backend-cluster backend-cluster ' +
			'arn:aws:ecs:us-east-1:000000000000:container-instance/backend-cluster/i-18de3682c033431da i-18de3682c033431da 601a6500-efa ' +
			'dea79277-480 payments-service arn:aws:ecs:us-east-1:000000000000:task-definition/orders:12 ' +
			'arn:aws:ecs:us-east-1:000000000000:task/backend-cluster/e504f037-35c e504f037-35c BPA';
		expect(parser.parse(sample)).toMatchObject({action: 'REJECT', direction: 'inbound', rejectReason: 'BPA'});
		const v11 = new LineParser(
			parseFormatString('version srcaddr dstaddr srcport dstport protocol action reject-reason'),
		);
		expect(v11.parse('11 10.0.0.71 52.95.128.179 34210 80 6 ACCEPT -')).toMatchObject({rejectReason: undefined});
		expect(v11.parse('11 10.0.0.71 52.95.128.179 34210 80 6 REJECT BPA')).toMatchObject({rejectReason: 'BPA'});
	});

	it('rejects a bad flow-direction', () => {
		const parser = new LineParser(parseFormatString('srcaddr flow-direction'));
		expect(parser.parse('10.0.0.1 sideways')).toBe('bad value in flow-direction');
	});
});

describe('fields() for --ndjson', () => {
	it('keys by AWS name, numbers as numbers, - left out', () => {
		expect(v2.fields('2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA')).toEqual({
			version: 2,
			'account-id': '123456789010',
			'interface-id': 'eni-1235b8ca123456789',
			start: 1_431_280_876,
			end: 1_431_280_934,
			'log-status': 'NODATA',
		});
	});

	it('applies the same checks as parse()', () => {
		expect(v2.fields('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000 1700000060 ACCEPT')).toBe(
			'wrong field count: expected 14, got 13',
		);
	});
});

describe('the checks of fields() for --ndjson, one by one', () => {
	const fields = new LineParser(DEFAULT_FORMAT);
	it.each([
		[
			'a port past 65535',
			'2 1 eni-1 10.0.0.1 10.0.0.2 65536 2 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad number in srcport',
		],
		[
			'a destination port past 65535',
			'2 1 eni-1 10.0.0.1 10.0.0.2 1 70000 6 1 1 1700000000 1700000060 ACCEPT OK',
			'bad number in dstport',
		],
		['a comment only', '# a note', 'comment only'],
		['a comment in place of fields', '2 1 eni-1 # a note', 'wrong field count: expected 14, got 3'],
	])('%s', (_, line, reason) => {
		expect(fields.fields(line)).toBe(reason);
	});
});

describe('addresses in fields beyond the source and destination', () => {
	const v5 = new LineParser(
		parseFormatString('${version} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${action}'),
	);
	it('checks and writes pkt-srcaddr and pkt-dstaddr as addresses', () => {
		expect(v5.fields('5 10.0.1.5 10.0.2.9 192.0.2.1 FE80:0:0:0:0:0:0:2 ACCEPT')).toEqual({
			version: 5,
			srcaddr: '10.0.1.5',
			dstaddr: '10.0.2.9',
			'pkt-srcaddr': '192.0.2.1',
			'pkt-dstaddr': 'fe80::2',
			action: 'ACCEPT',
		});
		expect(v5.fields('5 10.0.1.5 10.0.2.9 192.0.2.300 - ACCEPT')).toBe('bad address in pkt-srcaddr');
		expect(v5.parse('5 10.0.1.5 10.0.2.9 192.0.2.300 - ACCEPT')).toBe('bad address in pkt-srcaddr');
	});
});

describe('the edges of what a field may hold', () => {
	it('takes the largest port, protocol, octet and 16-digit count a record can carry', () => {
		expect(
			v2.parse('2 1 eni-1 255.255.255.255 0.0.0.0 65535 0 255 1 9007199254740991 1700000000 1700000060 ACCEPT OK'),
		).toMatchObject({
			src: '255.255.255.255',
			dst: '0.0.0.0',
			srcPort: 65_535,
			dstPort: 0,
			protocol: 255,
			bytes: 9_007_199_254_740_991,
		});
		expect(v2.fields('2 1 eni-1 10.0.0.1 10.0.0.2 65535 65535 255 1 1 1700000000 1700000060 ACCEPT OK')).toMatchObject({
			srcport: 65_535,
			dstport: 65_535,
			protocol: 255,
		});
	});

	it('refuses a count past 2^53 or of 17 digits, which would lose precision', () => {
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 9007199254740992 1700000000 1700000060 ACCEPT OK')).toBe(
			'bad number in bytes',
		);
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 00000000000000001 1700000000 1700000060 ACCEPT OK')).toBe(
			'bad number in bytes',
		);
		expect(v2.fields('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 9007199254740992 1700000000 1700000060 ACCEPT OK')).toBe(
			'bad number in bytes',
		);
	});

	it('reads 10^11 as seconds and anything past it as milliseconds, in fields() as in parse()', () => {
		const range = /^start out of range/;
		// 10^11 seconds is far in the future: refused as such, not divided.
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 100000000000 1700000060 ACCEPT OK')).toMatch(range);
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000001 1700000060000 ACCEPT OK')).toMatchObject({
			start: 1_700_000_000,
			end: 1_700_000_060,
		});
		expect(v2.fields('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1700000000001 1700000060000 ACCEPT OK')).toMatchObject({
			start: 1_700_000_000,
			end: 1_700_000_060,
		});
	});

	it('counts a dash inside a number as a bad number, and a lone dash as absent', () => {
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1-2 1700000000 1700000060 ACCEPT OK')).toBe(
			'bad number in bytes',
		);
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 -- 1700000000 1700000060 ACCEPT OK')).toBe(
			'bad number in bytes',
		);
		expect(v2.parse('2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 - 1700000000 1700000060 ACCEPT OK')).toMatchObject({
			bytes: undefined,
		});
	});
});
