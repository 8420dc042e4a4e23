import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {portScan} from '../../source/diagnosis/port-scan.js';
import {accept, range, reject, v2Store} from './flows.js';

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
