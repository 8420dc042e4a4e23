import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {interfaceSilent} from '../../source/diagnosis/interface-silent.js';
import {logSkipped} from '../../source/diagnosis/log-skipped.js';
import {accept, range, status, v2Store} from './flows.js';

const web = 'eni-0web';

/** A web server answering every minute from `from` for `minutes`. */
function serving(minutes: number, from = 0) {
	return range(minutes, from).flatMap(minute => [
		accept(web, `203.0.113.${minute + 1}:50000`, '10.0.1.10:443', {minute}),
		accept(web, '10.0.1.10:443', `203.0.113.${minute + 1}:50000`, {minute}),
	]);
}

describe('log-skipped', () => {
	it('says the panes undercount where flow logs skipped records', () => {
		const findings = diagnose(v2Store([...serving(10), ...range(5, 3).map(minute => status('SKIPDATA', web, minute))]));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'log-skipped',
			severity: 'warning',
			confidence: 'high',
			eni: web,
			count: 5,
			filter: web,
		});
		expect(findings[0]!.summary).toBe('eni-0web: flow logs skipped records 22:17-22:21; panes undercount');
		expect(findings[0]!.advice).toContain('every pane undercounts that interface');
	});

	it('is nothing when no record was skipped', () => {
		expect(logSkipped(v2Store(serving(10)))).toEqual([]);
	});
});

describe('interface-silent', () => {
	it('reports an interface that carried traffic and then logged only NODATA', () => {
		const findings = diagnose(v2Store([...serving(6), ...range(5, 6).map(minute => status('NODATA', web, minute))]));
		expect(findings).toHaveLength(1);
		expect(findings[0]).toMatchObject({
			kind: 'interface-silent',
			severity: 'warning',
			confidence: 'medium',
			eni: web,
			count: 5,
			filter: web,
		});
		expect(findings[0]!.summary).toMatch(/^eni-0web went quiet at 22:19: NODATA for \d minutes$/);
	});

	it('is not an interface idle for a minute between busy ones', () => {
		expect(interfaceSilent(v2Store([...serving(3), status('NODATA', web, 3), ...serving(3, 4)]))).toEqual([]);
	});

	it('is not an interface that never carried traffic', () => {
		expect(interfaceSilent(v2Store(range(5).map(minute => status('NODATA', 'eni-0spare', minute))))).toEqual([]);
	});
});
