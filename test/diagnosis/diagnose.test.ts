import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {matchesFilter, parseFilter} from '../../source/engine/filter.js';
import {accept, range, reject, v2Store} from './flows.js';

const db = 'eni-0db';
const app = 'eni-0app';

/** A NACL dropping the database's answers, and an app server refused HTTPS on its way out. */
const twoProblems = [
	accept(db, '10.0.20.30:41000', '10.0.30.40:5432'),
	accept(db, '10.0.30.40:5432', '10.0.20.30:41000'),
	...range(3).flatMap(minute => [
		accept(db, `10.0.20.21:${40_001 + minute}`, '10.0.30.40:5432', {minute}),
		reject(db, '10.0.30.40:5432', `10.0.20.21:${40_001 + minute}`, {minute}),
		accept(app, `10.0.10.${11 + minute}:40000`, '10.0.20.22:8080', {minute}),
	]),
	...range(5).map(minute => reject(app, `10.0.20.22:${41_000 + minute}`, '54.187.216.72:443', {minute})),
];

describe('diagnose', () => {
	it('finds nothing in traffic that works', () => {
		const healthy = range(5).flatMap(minute => [
			accept(db, `10.0.20.21:${40_001 + minute}`, '10.0.30.40:5432', {minute}),
			accept(db, '10.0.30.40:5432', `10.0.20.21:${40_001 + minute}`, {minute}),
			accept(app, `10.0.10.11:${40_001 + minute}`, '10.0.20.22:8080', {minute}),
			accept(app, '10.0.20.22:8080', `10.0.10.11:${40_001 + minute}`, {minute}),
		]);
		expect(diagnose(v2Store(healthy))).toEqual([]);
	});

	it('lists the most severe first, then the one with the most records', () => {
		expect(diagnose(v2Store(twoProblems)).map(finding => [finding.kind, finding.severity, finding.count])).toEqual([
			['nacl-return-blocked', 'critical', 3],
			['outbound-rejected', 'warning', 5],
		]);
	});

	it('keeps, under a filter, the findings whose evidence it matches', () => {
		const store = v2Store(twoProblems);
		expect(diagnose(store, {filter: parseFilter(app)}).map(finding => finding.kind)).toEqual(['outbound-rejected']);
		expect(diagnose(store, {filter: parseFilter('port:5432')}).map(finding => finding.kind)).toEqual([
			'nacl-return-blocked',
		]);
		expect(diagnose(store, {filter: parseFilter('')})).toHaveLength(2);
	});

	it('keeps, under a filter, a finding of which only some evidence matches: one client of the refused replies', () => {
		expect(diagnose(v2Store(twoProblems), {filter: parseFilter('port:40002')}).map(finding => finding.kind)).toEqual([
			'nacl-return-blocked',
		]);
	});

	it('lists the most severe first whichever rule found it', () => {
		const lateReply = [
			...range(3).flatMap(minute => [
				accept(db, `10.0.20.21:${40_001 + minute}`, '10.0.30.40:5432', {minute}),
				accept(db, '10.0.30.40:5432', `10.0.20.21:${40_001 + minute}`, {minute}),
			]),
			reject(db, '10.0.30.40:5432', '10.0.20.21:40002', {minute: 2, packets: 1, bytes: 40}),
		];
		const refused = range(5).map(minute => reject(app, `10.0.20.22:${41_000 + minute}`, '54.187.216.72:443', {minute}));
		expect(diagnose(v2Store([...lateReply, ...refused])).map(finding => [finding.kind, finding.severity])).toEqual([
			['outbound-rejected', 'warning'],
			['nacl-return-blocked', 'info'],
		]);
	});

	it('gives each finding a filter that selects its own evidence', () => {
		for (const finding of diagnose(v2Store(twoProblems))) {
			const filter = parseFilter(finding.filter);
			expect(filter.enis).toEqual([finding.eni]);
			expect(finding.evidence.every(evidence => matchesFilter(filter, evidence))).toBe(true);
		}
	});

	it('reports a finding under the same id as more records arrive', () => {
		const store = v2Store(twoProblems);
		const before = diagnose(store).find(finding => finding.kind === 'outbound-rejected')!;
		v2Store([reject(app, '10.0.20.22:41009', '54.187.216.72:443', {minute: 5})], store);
		const after = diagnose(store).find(finding => finding.kind === 'outbound-rejected')!;
		expect(after.id).toBe(before.id);
		expect(after.count).toBe(before.count + 1);
	});
});
