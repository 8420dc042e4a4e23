import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {interfaceSilent} from '../../source/diagnosis/interface-silent.js';
import {logSkipped} from '../../source/diagnosis/log-skipped.js';
import {accept, range, status, T, v2Store} from './flows.js';

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
			id: 'log-skipped|eni-0web',
			firstSeen: T + 3 * 60,
			lastSeen: T + 7 * 60 + 59,
			why: '5 SKIPDATA records: the log says so itself',
			summary: 'eni-0web: flow logs skipped records 22:17-22:21; panes undercount',
			advice:
				'Flow logs skipped records on eni-0web from 22:17 to 22:21 UTC (5 SKIPDATA records): every pane undercounts that ' +
				'interface for those minutes, and no finding there can be trusted to be complete. Nothing to change in the VPC; ' +
				'if it recurs, AWS hit an internal capacity limit or error: capture less (a narrower filter or fewer fields) or ask AWS Support.',
			evidence: [{eni: web, flows: 5}],
		});
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
			id: 'interface-silent|eni-0web',
			firstSeen: T + 6 * 60,
			lastSeen: T + 10 * 60 + 59,
			why: 'traffic until 22:19, then 5 NODATA records for 6 minutes; an idle interface looks the same',
			summary: 'eni-0web went quiet at 22:19: NODATA for 6 minutes',
			advice:
				'eni-0web carried traffic until 22:19 UTC and has logged no packet since (NODATA). Check that its instance is running ' +
				'and the interface attached, and whether its traffic moved (a failover, a new instance, a DNS or target-group change). ' +
				'Its absence from the panes is not an all-clear.',
			evidence: [{eni: web, flows: 5}],
		});
	});

	it('is not an interface that was idle before between its busy minutes: its silence now may be more of the same', () => {
		const flows = [
			...serving(3),
			status('NODATA', web, 3),
			...serving(3, 4),
			...range(5, 7).map(minute => status('NODATA', web, minute)),
		];
		expect(interfaceSilent(v2Store(flows))).toEqual([]);
	});

	it('is not an interface that carried traffic for only a minute', () => {
		const flows = [...serving(1), ...range(5, 1).map(minute => status('NODATA', web, minute))];
		expect(interfaceSilent(v2Store(flows))).toEqual([]);
	});

	it('is not an interface quiet for under three minutes', () => {
		const flows = [...serving(6), ...range(3, 6).map(minute => status('NODATA', web, minute))];
		expect(interfaceSilent(v2Store(flows))).toEqual([]);
	});

	it('is not an interface idle for a minute between busy ones', () => {
		expect(interfaceSilent(v2Store([...serving(3), status('NODATA', web, 3), ...serving(3, 4)]))).toEqual([]);
	});

	it('is not an interface that never carried traffic', () => {
		expect(interfaceSilent(v2Store(range(5).map(minute => status('NODATA', 'eni-0spare', minute))))).toEqual([]);
	});
});
