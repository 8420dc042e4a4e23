import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {portScan} from '../../source/diagnosis/port-scan.js';
import {accept, range, reject, T, v2Store, v5Store} from './flows.js';

const bastion = 'eni-0bastion';
const scanner = '92.118.39.73';

/** The engineers' own sessions, which the bastion is there for. */
const office = range(3).map(minute => accept(bastion, `81.2.69.${142 + minute}:50000`, '10.0.0.10:22', {minute}));

/** A SYN scan from one source port: SSH answers, the rest is refused. */
function sweep(ports: readonly number[], minute = 0) {
	return [
		...office,
		accept(bastion, `${scanner}:40000`, '10.0.0.10:22', {minute}),
		accept(bastion, '10.0.0.10:22', `${scanner}:40000`, {minute}),
		...ports.map(port => reject(bastion, `${scanner}:40000`, `10.0.0.10:${port}`, {minute})),
	];
}

describe('port-scan', () => {
	it('reports a source refused on many ports of an interface within a minute, and what answered', () => {
		const findings = diagnose(v2Store(sweep(range(30, 1000))));
		expect(findings.map(finding => finding.kind)).toEqual(['port-scan']);
		expect(findings[0]).toMatchObject({
			severity: 'warning',
			eni: bastion,
			src: scanner,
			count: 30,
			summary: `${scanner} scanned 30 ports of 10.0.0.10: 30 refusals`,
			filter: `src:${scanner}`,
		});
		expect(findings[0]!.advice).toContain('10.0.0.10:22 answered it');
		expect(findings[0]!.advice).toContain(`deny ${scanner} in the network ACL of the subnet of ${bastion}`);
		expect(findings[0]!.evidence[0]).toMatchObject({action: 'ACCEPT', dstPort: 22});
	});

	it('reports a sweep of one port across many hosts', () => {
		const flows = range(25).map(host => reject(`eni-0host${host}`, `${scanner}:40000`, `10.0.1.${host + 10}:3389`));
		const [finding] = portScan(v2Store(flows));
		expect(finding).toMatchObject({
			src: scanner,
			summary: `${scanner} scanned 25 hosts on TCP 3389: 25 refusals`,
			severity: 'info',
		});
	});

	it('is not a client refused on a handful of ports', () => {
		expect(portScan(v2Store(sweep([23, 80, 443, 3389, 8080])))).toEqual([]);
	});

	it('is not a client retrying a handful of refused ports all window long', () => {
		const ports = [23, 80, 443, 3389, 8080];
		expect(portScan(v2Store(range(5).flatMap(minute => sweep(ports, minute))))).toEqual([]);
	});

	it('counts a port that refused it and let it in another time as refused, not as an answer', () => {
		const ports = range(20, 1000);
		const flows = [
			...sweep(ports),
			...ports.slice(0, 6).map(port => accept(bastion, `${scanner}:40001`, `10.0.0.10:${port}`, {minute: 1})),
		];
		expect(portScan(v2Store(flows))).toMatchObject([{count: 20}]);
	});

	it('reports a slow sweep, a few ports a minute, over the whole window', () => {
		const ports = range(30, 1000);
		const flows = range(10).flatMap(minute => sweep(ports.slice(minute * 3, minute * 3 + 3), minute));
		expect(portScan(v2Store(flows))).toMatchObject([{src: scanner, count: 30}]);
	});

	it('is not a busy client that gets most of what it asks for', () => {
		const monitor = '10.0.5.5';
		const flows = [
			...range(40).map(host => accept(`eni-0h${host}`, `${monitor}:40000`, `10.0.1.${host + 10}:9100`)),
			...range(20).map(host => reject(`eni-0h${host}`, `${monitor}:40000`, `10.0.1.${host + 10}:9200`)),
		];
		expect(portScan(v2Store(flows))).toEqual([]);
	});

	it('is not a database whose answers a NACL drops, each to a new client port', () => {
		const db = 'eni-0db';
		const flows = range(25).flatMap(client => [
			accept(db, `10.0.20.21:${40_000 + client}`, '10.0.30.40:5432'),
			reject(db, '10.0.30.40:5432', `10.0.20.21:${40_000 + client}`),
		]);
		flows.push(accept(db, '10.0.20.30:41000', '10.0.30.40:5432'), accept(db, '10.0.30.40:5432', '10.0.20.30:41000'));
		expect(diagnose(v2Store(flows)).map(finding => finding.kind)).toEqual(['nacl-return-blocked']);
	});
});

describe('port-scan, over the whole window', () => {
	it('calls an internal host slowly sweeping TCP 445 across 120 hosts lateral movement, and opens nothing for it', () => {
		const worm = '10.0.20.57';
		const flows = range(120).map(host =>
			reject(
				`eni-0h${host}`,
				`${worm}:${40_000 + host}`,
				`10.0.${30 + Math.floor(host / 100)}.${(host % 100) + 10}:445`,
				{minute: Math.floor(host / 8)},
			),
		);
		const findings = diagnose(v2Store(flows));
		expect(findings.map(finding => [finding.kind, finding.severity, finding.src])).toEqual([
			['port-scan', 'critical', worm],
		]);
		expect(findings[0]!.summary).toBe(`lateral: ${worm} scanned 120 hosts on TCP 445: 120 refusals`);
		expect(findings[0]!.advice).toContain('Lateral movement');
		expect(findings[0]!.advice).not.toMatch(/open (TCP )?445/);
	});

	it("never counts the scanner's own interface logging its probes going out as an answer", () => {
		const own = 'eni-0scanner';
		const flows = [
			...range(3).map(minute => accept(own, `10.0.20.57:${50_000 + minute}`, '10.0.30.1:443', {minute})),
			...range(200).map(index =>
				accept('eni-0target', `10.0.40.${(index % 50) + 1}:${50_000 + index}`, '10.0.30.40:443'),
			),
			...range(100).flatMap(port => [
				accept(own, '10.0.20.57:40000', `10.0.30.40:${port + 1}`),
				reject('eni-0target', '10.0.20.57:40000', `10.0.30.40:${port + 1}`),
			]),
		];
		const [finding] = portScan(v2Store(flows));
		expect(finding).toMatchObject({
			src: '10.0.20.57',
			summary: 'lateral: 10.0.20.57 scanned 100 ports of 10.0.30.40: 100 refusals',
		});
		expect(finding!.advice).toContain('Nothing answered it.');
	});

	it('is not a passive-FTP client refused on the data ports its server handed out', () => {
		const ftp = 'eni-0ftp';
		const flows = [
			...range(3).map(minute => accept(ftp, `10.0.20.21:${50_000 + minute}`, '10.0.20.30:21', {minute})),
			...range(25).map(index =>
				reject(ftp, `10.0.20.21:${51_000 + index}`, `10.0.20.30:${30_000 + index}`, {minute: index % 3}),
			),
		];
		expect(portScan(v2Store(flows))).toEqual([]);
	});
});

describe('port-scan, in the words the on-call engineer reads', () => {
	it('says what an internet scan swept, over how long, and what answered', () => {
		const ports = range(30, 1000).reverse();
		const flows = [
			...office,
			accept(bastion, `${scanner}:40000`, '10.0.0.10:443'),
			accept(bastion, `${scanner}:40000`, '10.0.0.10:22'),
			...ports.map((port, index) => reject(bastion, `${scanner}:40000`, `10.0.0.10:${port}`, {minute: index % 5})),
			...range(3).map(index => reject(bastion, `81.2.69.200:${50_000 + index}`, '10.0.0.10:3389')),
		];
		expect(portScan(v2Store(flows))).toEqual([
			{
				id: `port-scan|${scanner}`,
				kind: 'port-scan',
				severity: 'warning',
				eni: bastion,
				src: scanner,
				count: 30,
				confidence: 'high',
				why: '30 distinct ports refused over 4 minutes, 2 answered: no client needs that many',
				summary: `${scanner} scanned 30 ports of 10.0.0.10: 30 refusals`,
				advice:
					`Reconnaissance from the internet, not an outage: ${scanner} swept 30 ports of 10.0.0.10 and was refused 30 times. ` +
					'10.0.0.10:22 and 10.0.0.10:443 answered it: make sure only what you meant to expose is open there. ' +
					`Every public address gets this; if it persists, deny ${scanner} in the network ACL of the subnet of ${bastion} ` +
					'(a NACL can deny; a security group cannot). Open nothing for it.',
				firstSeen: T,
				lastSeen: T + 4 * 60 + 5,
				evidence: expect.any(Array),
				sweep: {
					refused: [{eni: bastion, src: scanner, dst: '10.0.0.10', protocol: 6, ports: range(30, 1000)}],
					answered: [
						{host: '10.0.0.10', protocol: 6, port: 22},
						{host: '10.0.0.10', protocol: 6, port: 443},
					],
				},
				filter: `src:${scanner}`,
			},
		]);
	});

	it('is only a note when nothing but a web port answered an internet scan', () => {
		const flows = [
			...office,
			accept(bastion, `${scanner}:40000`, '10.0.0.10:443'),
			...range(30, 1000).map(port => reject(bastion, `${scanner}:40000`, `10.0.0.10:${port}`)),
		];
		expect(portScan(v2Store(flows))).toMatchObject([
			{severity: 'info', sweep: {answered: [{host: '10.0.0.10', protocol: 6, port: 443}]}},
		]);
	});

	it('writes an IPv6 host that answered with its address in brackets', () => {
		const flows = [
			...range(3).map(minute => accept(bastion, `[2a02:8070::${minute + 1}]:50000`, '[2600:1f18::10]:22', {minute})),
			accept(bastion, '[2a01:4f8::7]:40000', '[2600:1f18::10]:22'),
			...range(25, 1000).map(port => reject(bastion, '[2a01:4f8::7]:40000', `[2600:1f18::10]:${port}`)),
		];
		const [finding] = portScan(v2Store(flows));
		expect(finding!.sweep!.answered).toEqual([{host: '2600:1f18::10', protocol: 6, port: 22}]);
		expect(finding!.advice).toContain('[2600:1f18::10]:22 answered it');
	});

	it('names what answered by protocol: a ping by the host alone, a UDP port with its protocol', () => {
		const flows = [
			...office,
			accept(bastion, `${scanner}:0`, '10.0.0.10:0', {protocol: 1}),
			accept(bastion, `${scanner}:40000`, '10.0.0.10:53', {protocol: 17}),
			...range(30, 1000).map(port => reject(bastion, `${scanner}:40000`, `10.0.0.10:${port}`)),
		];
		const [finding] = portScan(v2Store(flows));
		expect(finding!.advice).toContain('10.0.0.10 (ICMP) and 10.0.0.10:53/udp answered it');
		expect(finding!.advice).not.toContain(':0');
		expect(finding!.why).toContain('2 answered');
		expect(finding!.severity).toBe('info');
	});

	it('calls a sweep from inside across many interfaces lateral movement, on the interface refusing it most', () => {
		const worm = '10.0.20.57';
		const flows = range(25).flatMap(host =>
			range(host === 24 ? 3 : 1).map(attempt =>
				reject(`eni-0h${host}`, `${worm}:${40_000 + attempt}`, `10.0.1.${host + 10}:445`),
			),
		);
		const [finding] = portScan(v2Store(flows));
		expect(finding).toMatchObject({
			id: `port-scan|${worm}`,
			severity: 'critical',
			eni: 'eni-0h24',
			count: 27,
			why: '25 distinct hosts refused over 1 minute, none answered: no client needs that many',
			summary: `lateral: ${worm} scanned 25 hosts on TCP 445: 27 refusals`,
			advice:
				`Lateral movement: ${worm} is inside your network and swept 25 hosts on TCP 445 across 25 interfaces, refused 27 times. ` +
				'Nothing answered it. A host of yours that sweeps its neighbours is likely compromised (a worm spreads this way): ' +
				'isolate it (a security group that allows nothing), keep its disk for forensics, and open nothing for it.',
		});
		expect(finding!.sweep!.refused).toHaveLength(25);
		expect(finding!.sweep!.refused[24]).toEqual({
			eni: 'eni-0h24',
			src: worm,
			dst: '10.0.1.34',
			protocol: 6,
			ports: [445],
		});
	});

	it('starts at 20 refused targets, and says nothing of interfaces when there is one', () => {
		const worm = '10.0.20.57';
		const probes = (count: number) =>
			range(count, 1).map(port => reject('eni-0db', `${worm}:40000`, `10.0.30.40:${port}`));
		expect(portScan(v2Store(probes(19)))).toEqual([]);
		const [finding] = portScan(v2Store(probes(20)));
		expect(finding!.advice).toMatch(
			/^Lateral movement: 10\.0\.20\.57 is inside your network and swept 20 ports of 10\.0\.30\.40, refused 20 times\. /,
		);
	});

	it('is a scan with 80% of its targets refused, not with less', () => {
		const probes = (answered: number) => [
			...range(answered, 2000).map(port => accept(bastion, `${scanner}:40000`, `10.0.0.10:${port}`)),
			...range(20, 1000).map(port => reject(bastion, `${scanner}:40000`, `10.0.0.10:${port}`)),
		];
		expect(portScan(v2Store(probes(5)))).toMatchObject([
			{why: '20 distinct ports refused over 1 minute, 5 answered: no client needs that many'},
		]);
		expect(portScan(v2Store(probes(6)))).toEqual([]);
	});

	it('words a sweep by what it spread over most: ports, hosts, or ports of several hosts', () => {
		const scan = (targets: ReadonlyArray<[number, number]>) =>
			portScan(
				v5Store(
					targets.map(([host, port]) =>
						reject(bastion, `${scanner}:40000`, `10.0.0.${host}:${port}`, {direction: 'ingress'}),
					),
				),
			)[0]!.summary;
		expect(scan(range(26).map(host => [host + 10, 80 + (host % 2)]))).toBe(
			`${scanner} scanned 26 hosts on 2 ports: 26 refusals`,
		);
		expect(scan(range(30).map(port => [10 + (port % 2), 1000 + port]))).toBe(
			`${scanner} scanned 30 ports of 2 hosts: 30 refusals`,
		);
		expect(scan(range(20).map(index => [index + 10, 1000 + index]))).toBe(
			`${scanner} scanned 20 ports of 20 hosts: 20 refusals`,
		);
	});
});

describe('port-scan, by protocol', () => {
	/** The scanner refused on `port` of 25 hosts, as their interfaces log it. */
	const acrossHosts = (protocol: number, port: number) =>
		v5Store(
			range(25).map(host =>
				reject(bastion, `${scanner}:${port === 0 ? 0 : 40_000}`, `10.0.1.${host + 10}:${port}`, {
					protocol,
					direction: 'ingress',
				}),
			),
		);

	it('names the protocol of a sweep over one UDP port', () => {
		expect(portScan(acrossHosts(17, 161))[0]!.summary).toBe(`${scanner} scanned 25 hosts on UDP 161: 25 refusals`);
	});

	it('calls a ping sweep ICMP, with no port', () => {
		expect(portScan(acrossHosts(1, 0))[0]!.summary).toBe(`${scanner} scanned 25 hosts on ICMP: 25 refusals`);
	});
});

describe('port-scan, refused only on the way out', () => {
	const app = 'eni-0app';
	/** The app host's own interface refusing its connections out to 25 internet hosts, on these ports in turn. */
	const outbound = (ports: readonly number[]) =>
		range(25).map(host =>
			reject(app, `10.0.20.57:${50_000 + host}`, `203.0.113.${host + 1}:${ports[host % ports.length]}`),
		);

	it('is a missing egress rule, not a sweep, on one or two services', () => {
		expect(portScan(v2Store(outbound([443])))).toEqual([]);
		expect(portScan(v2Store(outbound([443, 8443])))).toEqual([]);
	});

	it('is a sweep on three services or more', () => {
		expect(portScan(v2Store(outbound([22, 443, 8443])))).toMatchObject([
			{src: '10.0.20.57', summary: 'lateral: 10.0.20.57 scanned 25 hosts on 3 ports: 25 refusals'},
		]);
	});
});

describe('port-scan, told from data connections', () => {
	const server = 'eni-0ftpserver';
	/** A client refused on these ports of the FTP server, as the server's interface logs it. */
	const refusedOn = (ports: readonly number[]) =>
		ports.map((port, index) => reject(server, `10.0.20.21:${51_000 + index}`, `10.0.20.30:${port}`));
	const control = range(3).map(minute => accept(server, `10.0.20.21:${50_000 + minute}`, '10.0.20.30:21', {minute}));

	it('is not a client of the server refused on high ports it handed out', () => {
		expect(portScan(v2Store([...control, ...refusedOn(range(25, 1024))]))).toEqual([]);
	});

	it('is a sweep once a refused port is below the client range', () => {
		expect(portScan(v2Store([...control, ...refusedOn(range(25, 1022))]))).toHaveLength(1);
	});

	it('is a sweep of high ports from a host that is not its client', () => {
		expect(portScan(v2Store(refusedOn(range(25, 30_000))))).toHaveLength(1);
	});
});
