import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {repeatedRejects} from '../../source/diagnosis/repeated-rejects.js';
import {accept, formatStore, range, reject, T, V8_FORMAT, v2Store} from './flows.js';

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

describe('repeated-rejects, in the words the on-call engineer reads', () => {
	const host = '10.0.20.57';
	/** `count` refusals of the host, turn about on B's 8443 and A's SSH, two a minute. */
	const refusals = (count: number) =>
		range(count).map(index =>
			index % 2 === 0
				? reject(albB, `${host}:${33_000 + index}`, '10.0.1.77:8443', {minute: Math.floor(index / 2)})
				: reject(albA, `${host}:${33_000 + index}`, '10.0.0.45:22', {minute: Math.floor(index / 2)}),
		);

	it('says in full who keeps trying what, from ten refusals on', () => {
		expect(repeatedRejects(v2Store([...customers, ...refusals(10)]))).toEqual([
			{
				id: `repeated-rejects|${host}`,
				kind: 'repeated-rejects',
				severity: 'warning',
				eni: undefined,
				src: host,
				count: 10,
				confidence: 'medium',
				why: 'refused 10 times by 2 interfaces: the client is what they have in common',
				summary: `${host} refused 10 times on 2 interfaces (TCP 22 and TCP 8443)`,
				advice:
					`One client keeps trying what is refused: TCP 22 and TCP 8443 on ${albA} and ${albB}. ` +
					'A misconfigured client retries on a timer; an attacker moves on. ' +
					`${host} is inside your network: either a client of yours pointed at the wrong place (fix its configuration) or a host probing its ` +
					'neighbours (lateral movement: isolate it). Find out which before opening anything for it.',
				firstSeen: T,
				lastSeen: T + 4 * 60 + 5,
				evidence: expect.any(Array),
				filter: `src:${host} reject`,
			},
		]);
		expect(repeatedRejects(v2Store([...customers, ...refusals(9)]))).toEqual([]);
	});

	it('is sure of it from twenty refusals on', () => {
		expect(repeatedRejects(v2Store(refusals(19)))).toMatchObject([{confidence: 'medium'}]);
		expect(repeatedRejects(v2Store(refusals(20)))).toMatchObject([{confidence: 'high'}]);
	});

	it('leaves refusals by Block Public Access to that rule', () => {
		const flows = range(12).map(minute =>
			reject(minute % 2 === 0 ? albA : albB, `${checker}:${33_000 + minute}`, '10.0.0.45:8443', {
				minute,
				rejectReason: 'BPA',
			}),
		);
		expect(repeatedRejects(formatStore(flows, V8_FORMAT))).toEqual([]);
	});
});
