import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {Report} from '../source/report.js';
import {printReport} from '../source/run-once.js';

const empty: Report = {
	window: {start: null, end: null},
	records: {total: 0, ok: 0, nodata: 0, skipdata: 0, malformed: 0},
	topTalkers: [],
	rejected: {total: 0, bySource: []},
	protocols: [],
	findings: [],
};

function printed(json: boolean, notes: string[]): {stdout: string; stderr: string} {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	printReport(empty, notes, json, {stdout, stderr});
	return {stdout: String(stdout.read() ?? ''), stderr: String(stderr.read() ?? '')};
}

describe('printReport', () => {
	// Notes quote what was read (a malformed line's reason): they reach a terminal as inert text.
	it.each([true, false])('prints notes without control characters (json: %s)', json => {
		const {stdout, stderr} = printed(json, ['bad value "\u001B]0;pwned\u0007\u009B2J"']);
		expect(stdout + stderr).toContain('bad value "?]0;pwned??2J"');
		expect(stdout + stderr).not.toMatch(/[\u001B\u0007\u009B]/);
	});
});
