import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {accept, range, reject, v2Store} from './flows.js';

const checker = '3.91.170.28';
const albA = 'eni-0alba';
const albB = 'eni-0albb';

/** Customers reach both load balancer nodes on 443. */
const customers = range(3).flatMap(minute => [
	accept(albA, `198.51.100.${minute + 1}:50000`, '10.0.0.45:443', {minute}),
	accept(albB, `198.51.100.${minute + 1}:50000`, '10.0.1.77:443', {minute}),
]);

describe('repeated-rejects', () => {
	it('reports one client refused again and again across interfaces, and not each interface apart', () => {
		const flows = [
			...customers,
			...range(6).flatMap(minute => [
				reject(albA, `${checker}:${33_000 + minute}`, '10.0.0.45:8443', {minute}),
				reject(albB, `${checker}:${34_000 + minute}`, '10.0.1.77:8443', {minute}),
			]),
		];
		const findings = diagnose(v2Store(flows));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'repeated-rejects',
			severity: 'warning',
			eni: undefined,
			src: checker,
			count: 12,
			summary: `${checker} refused 12 times on 2 interfaces (TCP 8443)`,
			filter: `src:${checker} reject`,
		});
		expect(findings[0]!.advice).toContain(`TCP 8443 on ${albA} and ${albB}`);
		expect(findings[0]!.advice).toContain('tell its owner');
	});

	it('leaves a client refused on one interface to inbound-rejected, about that interface', () => {
		const flows = [
			...customers,
			...range(12).map(minute => reject(albA, `${checker}:${33_000 + minute}`, '10.0.0.45:8443', {minute})),
		];
		expect(diagnose(v2Store(flows)).map(finding => finding.kind)).toEqual(['inbound-rejected']);
	});

	it('needs more than a few refusals', () => {
		const flows = [
			...customers,
			...range(2).flatMap(minute => [
				reject(albA, `${checker}:${33_000 + minute}`, '10.0.0.45:8443', {minute}),
				reject(albB, `${checker}:${34_000 + minute}`, '10.0.1.77:8443', {minute}),
			]),
		];
		expect(diagnose(v2Store(flows))).toEqual([]);
	});

	it('is not said again of a scanner', () => {
		const scanner = '92.118.39.73';
		const flows = [
			...customers,
			...range(30, 1000).flatMap(port => [
				reject(albA, `${scanner}:40000`, `10.0.0.45:${port}`),
				reject(albB, `${scanner}:40000`, `10.0.1.77:${port}`),
			]),
		];
		expect(diagnose(v2Store(flows)).map(finding => finding.kind)).toEqual(['port-scan']);
	});
});
