import {describe, expect, it} from 'vitest';
import {blockPublicAccess} from '../../source/diagnosis/block-public-access.js';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import type {Finding} from '../../source/diagnosis/finding.js';
import {matchesFilter, parseFilter} from '../../source/engine/filter.js';
import {FlowStore} from '../../source/engine/store.js';
import {parseFormatString} from '../../source/flowlog/format.js';
import {accept, formatStore, later, range, reject, T, V5_FORMAT, V8_FORMAT, without} from './flows.js';

const bastion = 'eni-0bastion';
const web = 'eni-0web';

/** Internet hosts trying SSH on a bastion whose VPC has Block Public Access on. */
const sshKeptOut = range(4).flatMap(minute =>
	range(3).map(host =>
		reject(bastion, `45.33.${host}.9:${50_000 + minute}`, '10.0.0.10:22', {
			minute,
			direction: 'ingress',
			rejectReason: 'BPA',
		}),
	),
);

/** An instance with a public address calls an API; in ingress-only mode the replies are refused coming in. */
const repliesCutOff = range(4).flatMap(minute => [
	accept(web, `10.0.1.20:${40_000 + minute}`, '54.187.216.72:443', {minute, direction: 'egress', tcpFlags: 2}),
	reject(web, '54.187.216.72:443', `10.0.1.20:${40_000 + minute}`, {
		minute,
		direction: 'ingress',
		tcpFlags: 18,
		rejectReason: 'BPA',
	}),
]);

/** The same format without flow-direction: which end is the interface is left to the rule. */
const NO_DIRECTION_FORMAT = parseFormatString(
	'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status reject-reason',
);

/** What the on-call engineer reads of a finding; its evidence rows are pinned in evidence.test.ts. */
function read({evidence, ...finding}: Finding) {
	return finding;
}

describe('reject-reason BPA', () => {
	it('attributes refused internet requests to Block Public Access, not a security group or NACL', () => {
		const findings = diagnose(formatStore(sshKeptOut, V8_FORMAT));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'inbound-rejected',
			severity: 'info',
			confidence: 'high',
			eni: bastion,
			port: 22,
			direction: 'inbound',
			rejectReason: 'BPA',
			count: 12,
			summary: 'eni-0bastion: Block Public Access refuses TCP 22 from 3 internet hosts (12 records)',
			filter: 'eni-0bastion port:22 reject',
		});
		expect(findings[0]!.advice).toContain('add a Block Public Access exclusion for the subnet of eni-0bastion');
		expect(findings[0]!.advice).toContain('not a security group or network ACL');
		expect(findings[0]!.advice).not.toMatch(/Check the security group|needs an inbound rule/);
	});

	it("says a host's own connections are cut when the replies are refused, where a NACL would otherwise be blamed", () => {
		const findings = diagnose(formatStore(repliesCutOff, V8_FORMAT));
		expect(findings.map(finding => [finding.kind, finding.severity, finding.rejectReason])).toEqual([
			['outbound-rejected', 'warning', 'BPA'],
		]);
		expect(findings[0]).toMatchObject({eni: web, dst: '54.187.216.72', port: 443, direction: 'outbound', count: 4});
		expect(findings[0]!.advice).toContain('send it through a NAT gateway');

		// The same records without a reason are what a NACL blocking the return path looks like.
		const withoutReason = repliesCutOff.map(flow => ({values: {...flow.values, 'reject-reason': undefined}}));
		expect(diagnose(formatStore(withoutReason, V5_FORMAT)).map(finding => finding.kind)).toEqual([
			'nacl-return-blocked',
		]);
	});

	it('tells which end is the interface without flow-direction', () => {
		const findings = diagnose(formatStore([...sshKeptOut, ...repliesCutOff], NO_DIRECTION_FORMAT));
		expect(findings.map(finding => [finding.kind, finding.eni, finding.rejectReason]).sort()).toEqual([
			['inbound-rejected', bastion, 'BPA'],
			['outbound-rejected', web, 'BPA'],
		]);
	});

	it('leaves rejects with no reason (`-`) to the security group and NACL rules', () => {
		const refused = range(4).map(minute =>
			reject('eni-0db', `10.0.20.21:${42_000 + minute}`, '10.0.30.40:5432', {minute, direction: 'ingress'}),
		);
		const [finding] = diagnose(formatStore(refused, V8_FORMAT));
		expect(finding).toMatchObject({kind: 'inbound-rejected', port: 5432});
		expect(finding!.rejectReason).toBeUndefined();
		expect(finding!.advice).toContain('Check the security group of eni-0db first');
	});

	it('says who was kept out, how often and for how long, and that only the exclusion changes it', () => {
		const [finding] = blockPublicAccess(formatStore(sshKeptOut, V8_FORMAT));
		expect(read(finding!)).toEqual({
			id: 'inbound-rejected|eni-0bastion|bpa',
			kind: 'inbound-rejected',
			severity: 'info',
			eni: bastion,
			port: 22,
			direction: 'inbound',
			rejectReason: 'BPA',
			count: 12,
			confidence: 'high',
			why: '12 records over 4 minutes with reject-reason BPA: the log names Block Public Access itself',
			summary: 'eni-0bastion: Block Public Access refuses TCP 22 from 3 internet hosts (12 records)',
			advice:
				'VPC Block Public Access refuses TCP 22 from 3 internet hosts to eni-0bastion. ' +
				'The records say so (reject-reason BPA): not a security group or network ACL, so changing those rules changes nothing. ' +
				'If eni-0bastion is meant to be reachable from the internet, add a Block Public Access exclusion for the subnet of eni-0bastion ' +
				'(VPC console, Settings, Block public access); if not, nothing to do: the setting is doing its job.',
			firstSeen: T,
			lastSeen: T + 3 * 60 + 5,
			filter: 'eni-0bastion port:22 reject',
		});
	});

	it("says a host's own connections are cut, naming the one host it was talking to", () => {
		const [finding] = blockPublicAccess(formatStore(repliesCutOff, V8_FORMAT));
		expect(read(finding!)).toEqual({
			id: 'outbound-rejected|eni-0web|bpa',
			kind: 'outbound-rejected',
			severity: 'warning',
			eni: web,
			dst: '54.187.216.72',
			port: 443,
			direction: 'outbound',
			rejectReason: 'BPA',
			count: 4,
			confidence: 'high',
			why: '4 records over 4 minutes with reject-reason BPA: the log names Block Public Access itself',
			summary: 'eni-0web: Block Public Access cuts its TCP 443 to 54.187.216.72 (4 records)',
			advice:
				"VPC Block Public Access cuts eni-0web's own connections to TCP 443 with 54.187.216.72. " +
				'The records say so (reject-reason BPA): not a security group or network ACL, so changing those rules changes nothing. ' +
				'If eni-0web should reach the internet, send it through a NAT gateway (allowed in ingress-only mode) or add a Block Public Access ' +
				'exclusion for the subnet of eni-0web (VPC console, Settings, Block public access); if it should not, this is the setting doing its job.',
			firstSeen: T,
			lastSeen: T + 3 * 60 + 5,
			filter: 'eni-0web port:443 reject',
		});
	});

	it('says "at least" of the hosts kept out once the memory bound folded some of their addresses away, the count staying exact', () => {
		const crowd = range(120).map(host =>
			reject(bastion, `45.33.${host}.9:50000`, '10.0.0.10:22', {direction: 'ingress', rejectReason: 'BPA'}),
		);
		const busy = range(40).map(host =>
			accept(web, `10.0.1.${host}:40000`, '10.0.2.9:443', {direction: 'egress', bytes: 1_000_000}),
		);
		const store = formatStore([...busy, ...crowd], V8_FORMAT, new FlowStore({maxFlows: 40}));
		expect(store.summarized).toBeGreaterThan(0);
		const [finding] = blockPublicAccess(store);
		expect(finding).toMatchObject({count: 120});
		expect(finding).not.toHaveProperty('src');
		expect(finding!.summary).toMatch(
			/^eni-0bastion: Block Public Access refuses TCP 22 from at least \d+ internet hosts \(120 records\)$/,
		);
		expect(Number(/at least (\d+)/.exec(finding!.summary)![1])).toBeLessThan(120);
		expect(finding!.advice).toContain('from at least ');
	});

	it('names the subnet to exclude by id when the records carry it', () => {
		const flows = sshKeptOut.map(flow => ({values: {...flow.values, 'subnet-id': 'subnet-0public'}}));
		const [finding] = blockPublicAccess(formatStore(flows, V8_FORMAT));
		expect(finding!.advice).toContain('add a Block Public Access exclusion for subnet-0public (VPC console');
	});

	it('counts the minutes the refusals span, not the records in them', () => {
		const flows = [0, 20, 40].map(seconds =>
			later(
				reject(bastion, `45.33.1.9:${50_000 + seconds}`, '10.0.0.10:22', {direction: 'ingress', rejectReason: 'BPA'}),
				seconds,
			),
		);
		const [finding] = blockPublicAccess(formatStore(flows, V8_FORMAT));
		expect(finding!.why).toBe(
			'3 records over 1 minute with reject-reason BPA: the log names Block Public Access itself',
		);
		expect(finding).toMatchObject({src: '45.33.1.9', firstSeen: T, lastSeen: T + 45});
	});

	it("in bidirectional mode, says the host's own requests out are cut", () => {
		const flows = range(3).map(minute =>
			reject(web, `10.0.1.20:${40_000 + minute}`, '54.187.216.72:443', {
				minute,
				direction: 'egress',
				rejectReason: 'BPA',
			}),
		);
		for (const format of [V8_FORMAT, NO_DIRECTION_FORMAT]) {
			const [finding, ...others] = blockPublicAccess(formatStore(flows, format));
			expect(others).toEqual([]);
			expect(finding).toMatchObject({kind: 'outbound-rejected', severity: 'warning', dst: '54.187.216.72', port: 443});
		}
	});

	it('tells a ping out from a ping in by the direction, ICMP having no ports', () => {
		const pingsOut = range(3).map(minute =>
			reject(web, '10.0.1.20:0', '8.8.8.8:0', {minute, protocol: 1, direction: 'egress', rejectReason: 'BPA'}),
		);
		const pingsIn = range(3).map(minute =>
			reject(web, '8.8.8.8:0', '10.0.1.20:0', {minute, protocol: 1, direction: 'ingress', rejectReason: 'BPA'}),
		);
		const findings = blockPublicAccess(formatStore([...pingsOut, ...pingsIn], V8_FORMAT));
		expect(findings.map(finding => [finding.kind, finding.summary, finding.filter, finding.port])).toEqual([
			[
				'outbound-rejected',
				'eni-0web: Block Public Access cuts its ICMP to 8.8.8.8 (3 records)',
				'eni-0web reject',
				undefined,
			],
			[
				'inbound-rejected',
				'eni-0web: Block Public Access refuses ICMP from 8.8.8.8 (3 records)',
				'eni-0web reject',
				undefined,
			],
		]);
	});

	it('lists what was refused most first, and narrows to the ports while there are few', () => {
		// An internet host sweeping the bastion: 3389 the most, then 22, then 80.
		const sweep = (ports: ReadonlyArray<[number, number]>) =>
			ports.flatMap(([port, times]) =>
				range(times).map(minute =>
					reject(bastion, `45.33.1.9:${50_000 + minute}`, `10.0.0.10:${port}`, {
						minute,
						direction: 'ingress',
						rejectReason: 'BPA',
					}),
				),
			);
		const [few] = blockPublicAccess(
			formatStore(
				sweep([
					[22, 2],
					[3389, 4],
					[80, 1],
				]),
				V8_FORMAT,
			),
		);
		expect(few).toMatchObject({
			summary: 'eni-0bastion: Block Public Access refuses TCP 3389, TCP 22 and TCP 80 from 45.33.1.9 (7 records)',
			filter: 'eni-0bastion port:22,80,3389 reject',
		});
		expect(few!.port).toBeUndefined();

		const eight = range(8, 1).map(port => [port, 1] as [number, number]);
		const [atMost] = blockPublicAccess(formatStore(sweep(eight), V8_FORMAT));
		expect(atMost!.filter).toBe('eni-0bastion port:1,2,3,4,5,6,7,8 reject');
		expect(atMost!.summary).toBe(
			'eni-0bastion: Block Public Access refuses TCP 1, TCP 2 and 6 more from 45.33.1.9 (8 records)',
		);

		const [tooMany] = blockPublicAccess(formatStore(sweep([...eight, [9, 1]]), V8_FORMAT));
		expect(tooMany!.filter).toBe('eni-0bastion reject');
	});

	it("narrows to no port where some of the records have none, so pressing enter keeps all of the finding's records", () => {
		const ssh = range(3).map(minute =>
			reject(bastion, `45.33.1.9:${50_000 + minute}`, '10.0.0.10:22', {
				minute,
				direction: 'ingress',
				rejectReason: 'BPA',
			}),
		);
		const pings = range(5).map(minute =>
			reject(bastion, '45.33.2.9:0', '10.0.0.10:0', {minute, protocol: 1, direction: 'ingress', rejectReason: 'BPA'}),
		);
		const portless = without(ssh[0]!, 'srcport', 'dstport');
		for (const flows of [
			[...ssh, ...pings],
			[...ssh, portless],
		]) {
			const [finding] = blockPublicAccess(formatStore(flows, V8_FORMAT));
			expect(finding!.filter).toBe('eni-0bastion reject');
			expect(finding!.port).toBeUndefined();
			const filter = parseFilter(finding!.filter);
			expect(finding!.evidence.every(row => matchesFilter(filter, row))).toBe(true);
		}
	});

	it('without flow-direction or an address in most records, takes the end inside the VPC for the interface', () => {
		// Two addresses of one interface, each in half of its records: neither can be told to be its own.
		const flows = range(2).flatMap(minute => [
			reject(web, `45.33.${minute}.9:50000`, '10.0.1.20:22', {minute, rejectReason: 'BPA'}),
			reject(web, `46.33.${minute}.9:50000`, '10.0.1.21:22', {minute, rejectReason: 'BPA'}),
			reject(web, '10.0.1.20:40000', `54.187.216.${minute}:443`, {minute, rejectReason: 'BPA'}),
			reject(web, '10.0.1.21:40000', `55.187.216.${minute}:443`, {minute, rejectReason: 'BPA'}),
		]);
		expect(blockPublicAccess(formatStore(flows, NO_DIRECTION_FORMAT)).map(finding => finding.summary)).toEqual([
			'eni-0web: Block Public Access refuses TCP 22 from 4 internet hosts (4 records)',
			'eni-0web: Block Public Access cuts its TCP 443 to 4 internet hosts (4 records)',
		]);
	});

	it('leaves a record without an interface out: there is no interface to exclude', () => {
		expect(
			blockPublicAccess(
				formatStore(
					sshKeptOut.map(flow => without(flow, 'interface-id')),
					V8_FORMAT,
				),
			),
		).toEqual([]);
	});
});
