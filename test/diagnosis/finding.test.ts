import {describe, expect, it} from 'vitest';
import {compareFindings, type Finding, type Severity} from '../../source/diagnosis/finding.js';

function finding(id: string, severity: Severity, count: number): Finding {
	return {
		id,
		kind: 'inbound-rejected',
		severity,
		eni: 'eni-0db',
		count,
		confidence: 'high',
		why: '',
		summary: id,
		advice: '',
		firstSeen: 0,
		lastSeen: 0,
		evidence: [],
		filter: 'eni-0db',
	};
}

describe('the order findings are listed in', () => {
	it('puts the most severe first, then the one with the most records, then by id', () => {
		const listed = [
			finding('info-many', 'info', 900),
			finding('warning-b', 'warning', 5),
			finding('warning-few', 'warning', 3),
			finding('critical', 'critical', 1),
			finding('warning-a', 'warning', 5),
			finding('warning-many', 'warning', 40),
		].sort(compareFindings);
		expect(listed.map(each => each.id)).toEqual([
			'critical',
			'warning-many',
			'warning-a',
			'warning-b',
			'warning-few',
			'info-many',
		]);
	});

	it('is the same order whichever way round two findings come', () => {
		const a = finding('inbound-rejected|eni-0db|6|5432', 'warning', 8);
		const b = finding('inbound-rejected|eni-0db|6|5433', 'warning', 8);
		expect(compareFindings(a, b)).toBeLessThan(0);
		expect(compareFindings(b, a)).toBeGreaterThan(0);
		expect(compareFindings(a, {...a})).toBe(0);
	});
});
