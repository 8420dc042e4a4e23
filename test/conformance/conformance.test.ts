import {describe, expect, it} from 'vitest';
import {loadCases, runConformance} from './conformance.js';
import {corpusPath, corpusPresent} from './corpus.js';
import type {Case} from './pair.js';
import {failureLines} from './report.js';

const root = corpusPath();
const present = corpusPresent(root);

let loaded: Case[] | undefined;
function cases(): Case[] {
	loaded ??= loadCases(root);
	return loaded;
}

interface Tally {
	records: number;
	malformed: number;
}

// Expected records and expected rejections of one source, for line pairs and file cases apart.
function tally(source: string): Partial<Record<Case['kind'], Tally>> {
	const out: Partial<Record<Case['kind'], Tally>> = {};
	for (const testCase of cases().filter(c => c.source === source)) {
		out[testCase.kind] ??= {records: 0, malformed: 0};
		const counts = out[testCase.kind]!;
		for (const expect of testCase.kind === 'line' ? [testCase.expect] : testCase.expect) {
			counts[expect.kind === 'fields' ? 'records' : 'malformed']++;
		}
	}

	return out;
}

describe.skipIf(!present)('the third-party conformance corpus', () => {
	it('parses as the other parsers do, apart from the listed deliberate differences', () => {
		expect(failureLines(runConformance(cases()))).toEqual([]);
	});

	// The counts INDEX.md gives for each source (file cases exist only where the raw file was read whole).
	it.each([
		['beats-processor', {line: {records: 30, malformed: 0}}],
		// 15 events plus bad.log; tcp-flag-sequence.log is from another revision than its events, so no file case.
		['beats-module', {line: {records: 15, malformed: 1}, file: {records: 12, malformed: 1}}],
		['integrations', {line: {records: 33, malformed: 0}, file: {records: 33, malformed: 0}}],
		['otel-awslogsencoding', {file: {records: 7, malformed: 2}}],
		['vrl', {line: {records: 36, malformed: 0}}],
		// 7 S3 records and the v5 file's bogus line; 2 default-format lines and the millisecond case.
		['flowlogs-reader', {line: {records: 3, malformed: 0}, file: {records: 7, malformed: 1}}],
		['panther', {file: {records: 3, malformed: 0}}],
		['aws-docs', {line: {records: 27, malformed: 0}}],
	])('builds every %s pair', (source, expected) => {
		expect(tally(source)).toEqual(expected);
	});
});
