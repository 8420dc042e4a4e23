import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {parseFormatString} from '../../source/flowlog/format.js';
import {accept, formatStore, range, reject, V5_FORMAT, V8_FORMAT} from './flows.js';

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
		const format = parseFormatString(
			'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status reject-reason',
		);
		const findings = diagnose(formatStore([...sshKeptOut, ...repliesCutOff], format));
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
});
