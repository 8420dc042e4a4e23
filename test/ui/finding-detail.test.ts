import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {Finding} from '../../source/diagnosis/finding.js';
import {detailLines} from '../../source/ui/finding-detail.js';

const finding: Finding = {
	id: 'b',
	kind: 'brute-force',
	severity: 'critical',
	eni: 'eni-0d1f5bc4a7e6a8931',
	port: 22,
	count: 1230,
	confidence: 'medium',
	why: '97 attempts a minute',
	summary: 'eni-0d1f5bc4a7e6a8931 (bastion): TCP 22 (SSH) brute force',
	advice: 'Restrict port 22 to your office or VPN ranges.',
	firstSeen: 1_700_000_000,
	lastSeen: 1_700_000_600,
	filter: 'eni-0d1f5bc4a7e6a8931 port:22 tcp',
	evidence: [
		{
			eni: 'eni-0d1f5bc4a7e6a8931',
			src: '2600:1f18:abcd:1234:5678:9abc:def0:1234',
			dst: '10.0.0.10',
			srcPort: 51_515,
			dstPort: 22,
			protocol: 6,
			action: 'ACCEPT',
			flows: 5,
			packets: 30,
			bytes: 4200,
		},
	],
};

describe("a finding's detail", () => {
	it('fits the screen from 80 columns up, and shows whole ids and addresses where there is room', () => {
		fc.assert(
			fc.property(fc.integer({min: 80, max: 240}), width => {
				for (const line of detailLines(finding, width)) {
					expect([...line.text].length).toBeLessThanOrEqual(width);
				}
			}),
			{seed: 13},
		);
		const wide = detailLines(finding, 200)
			.map(line => line.text)
			.join('\n');
		expect(
			detailLines(finding, 80)
				.map(line => line.text)
				.join('\n'),
		).toMatch(/ 10\.0\.0\.10\s+22 TCP/);
		expect(wide).toMatch(
			/eni-0d1f5bc4a7e6a8931 2600:1f18:abcd:1234:5678:9abc:def0:1234\s+51515 → 10\.0\.0\.10\s+22 TCP\s+ACCEPT\s+5\s+4\.1 KiB/,
		);
	});

	it('names the interface and its kind where the configuration knows them, in the heading and, wide, beside each record', () => {
		const known = {...finding, name: 'bastion', type: 'instance'};
		const names = {interface: () => 'instance · bastion', address: () => undefined};
		const at = (width: number) =>
			detailLines(known, width, names)
				.map(line => line.text)
				.join('\n');
		expect(at(120)).toContain('interface eni-0d1f5bc4a7e6a8931 (instance · bastion)');
		expect(at(160)).toMatch(/eni-0d1f5bc4a7e6a8931 instance · bastion\s+2600:1f18/);
		expect(at(120)).toMatch(/eni-0d1f5bc4a7e6a8931 2600:1f18/);
	});
});
