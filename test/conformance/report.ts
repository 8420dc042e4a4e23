import type {Difference} from './compare.js';
import type {ConformanceReport, Result} from './conformance.js';
import type {DeliberateDifference} from './deliberate-differences.js';

function show(value: string | undefined): string {
	return value === undefined ? 'absent' : JSON.stringify(value);
}

function difference({field, expected, got}: Difference): string {
	return `${field} expected ${show(expected)}, got ${show(got)}`;
}

function label(result: Result): string {
	return `${result.source} ${result.kind} ${result.id}`;
}

function stale(entry: DeliberateDifference): string {
	return `FAIL deliberate-differences: ${entry.source} ${String(entry.id)} ${entry.field} matches nothing (stale entry)`;
}

/** One line per failed pair (and per stale table entry), naming the differing fields. */
export function failureLines(report: ConformanceReport): string[] {
	return [
		...report.results
			.filter(result => result.verdict === 'fail')
			.map(result => `FAIL ${label(result)}: ${result.differences.map(d => difference(d)).join('; ')}`),
		...report.unused.map(entry => stale(entry)),
	];
}

export function deliberateLines(report: ConformanceReport): string[] {
	return report.results
		.filter(result => result.verdict === 'deliberate')
		.map(
			result =>
				`DELIBERATE ${label(result)}: ${result.differences.map(d => difference(d)).join('; ')} (${result.explained.map(entry => entry.reason).join('; ')})`,
		);
}

export function counts(report: ConformanceReport): {passed: number; failed: number; deliberate: number} {
	const count = (verdict: Result['verdict']): number =>
		report.results.filter(result => result.verdict === verdict).length;
	return {passed: count('pass'), failed: count('fail') + report.unused.length, deliberate: count('deliberate')};
}
