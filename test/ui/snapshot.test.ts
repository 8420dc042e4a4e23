import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import type {Report} from '../../source/report.js';
import {writeSnapshot} from '../../source/ui/snapshot.js';

const report: Report = {
	window: {start: null, end: null},
	records: {total: 0, ok: 0, nodata: 0, skipdata: 0, malformed: 0},
	topTalkers: [],
	rejected: {total: 0, bySource: []},
	protocols: [],
	findings: [
		{
			kind: 'inbound-rejected',
			severity: 'warning',
			eni: 'eni-0a\u009B2J',
			count: 1,
			summary: 'refused',
			confidence: 'high',
			why: 'no accepted request',
			advice: 'look',
		},
	],
};

describe('writeSnapshot', () => {
	it('writes C1 controls from the records as escapes, as --once --json does', () => {
		const path = writeSnapshot(
			report,
			mkdtempSync(join(tmpdir(), 'flowtop-snapshot-')),
			Date.parse('2026-11-28T12:00:00Z'),
		);
		const text = readFileSync(path, 'utf8');
		expect(text).toContain(String.raw`"eni": "eni-0a\u009b2J"`);
		expect(text).not.toContain('\u009B');
		expect(JSON.parse(text)).toEqual(report);
	});
});
