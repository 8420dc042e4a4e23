import type {Finding} from './diagnosis/finding.js';
import {kindAndName} from './vpc/interface-names.js';
import type {RuleExplanation} from './vpc/rule-explanation.js';
import type {ParseStats} from './flowlog/decoder.js';
import {EMPTY_FILTER, formatFilter, isEmptyFilter} from './engine/filter.js';
import type {FlowStore} from './engine/store.js';
import type {Views} from './engine/views.js';
import {safeText} from './text/safe-text.js';
import {formatBytes, formatCount} from './text/units.js';

/** The lists a filter narrows; `window` and `records` always count the whole window. */
export const FILTERED_SECTIONS = ['topTalkers', 'rejected', 'protocols', 'findings'] as const;

/**
 * The `--once --json` document (design.md); its shape is a contract that scripts rely on. `window`
 * is null at both ends when nothing had a time to span (an empty file, only malformed lines): a
 * made-up span such as now..now would read as "looked, and the last moments were quiet".
 */
export interface Report {
	readonly window: {readonly start: string | null; readonly end: string | null};
	/** Present when a filter was given: its text, and which parts of the document count only what it matches. */
	readonly filter?: {readonly text: string; readonly narrows: typeof FILTERED_SECTIONS};
	readonly records: {
		readonly total: number;
		readonly ok: number;
		readonly nodata: number;
		readonly skipdata: number;
		readonly malformed: number;
	};
	/**
	 * Present only when the memory bound folded detail: the records that lost their ports or
	 * addresses. Totals and the sums the lists are ranked by stay exact.
	 */
	readonly summarized?: {readonly records: number};
	/**
	 * Present only when a sum passed 2^53 (Number.MAX_SAFE_INTEGER, 8 PiB of bytes): past it a
	 * JSON number holds no more digits, so the sums are right to about one part in 10^16, not exact.
	 */
	readonly inexactSums?: true;
	readonly topTalkers: ReadonlyArray<{src: string; dst: string; bytes: number; packets: number; flows: number}>;
	readonly rejected: {
		readonly total: number;
		readonly bySource: ReadonlyArray<{src: string; flows: number; packets: number; bytes: number; ports: number}>;
	};
	readonly protocols: ReadonlyArray<{protocol: number; name: string; bytes: number; packets: number; flows: number}>;
	readonly findings: ReadonlyArray<{
		kind: string;
		severity: string;
		eni: string | undefined;
		/** The interface's name and kind, when the VPC's configuration was read. */
		name?: string;
		type?: string;
		src?: string;
		dst?: string;
		port?: number;
		direction?: string;
		/** `BPA` when the records say VPC Block Public Access refused the flows. */
		rejectReason?: string;
		count: number;
		confidence: string;
		why: string;
		summary: string;
		advice: string;
		/** The entry that refuses the flows, or that nothing configured now would, when the configuration was read. */
		rule?: RuleExplanation;
	}>;
}

/** Sums are of non-negative integers, so all are exact while the largest total is. */
export function hasInexactSums(views: Views): boolean {
	return Math.max(views.totals.bytes, views.totals.packets, views.totals.flows) > Number.MAX_SAFE_INTEGER;
}

function iso(seconds: number): string {
	return new Date(seconds * 1000).toISOString();
}

/** `polled`: the span a poll asked for (seconds), which is the window even when no record came back. */
export function buildReport(
	store: FlowStore,
	stats: ParseStats,
	views: Views,
	findings: readonly Finding[],
	polled?: {start: number; end: number},
	filter = EMPTY_FILTER,
): Report {
	// The records of the window, as the lists are: records a sliding window left behind are not in them.
	const {ok, nodata, skipdata} = store.windowCounts();
	const span = views.window ?? polled;
	return {
		window: span ? {start: iso(span.start), end: iso(span.end)} : {start: null, end: null},
		...(isEmptyFilter(filter) ? {} : {filter: {text: formatFilter(filter), narrows: FILTERED_SECTIONS}}),
		records: {total: ok + nodata + skipdata + stats.malformed, ok, nodata, skipdata, malformed: stats.malformed},
		...(store.summarized > 0 ? {summarized: {records: store.summarized}} : {}),
		...(hasInexactSums(views) ? {inexactSums: true} : {}),
		topTalkers: views.talkers.pair
			.filter(row => row.src !== undefined && row.dst !== undefined)
			.map(row => ({src: row.src!, dst: row.dst!, bytes: row.bytes, packets: row.packets, flows: row.flows})),
		rejected: {
			total: views.rejectTotals.flows,
			bySource: views.rejectsBySource.map(row => ({
				src: row.src,
				flows: row.flows,
				packets: row.packets,
				bytes: row.bytes,
				ports: row.ports,
			})),
		},
		protocols: views.protocols.map(row => ({
			protocol: row.protocol,
			name: row.name,
			bytes: row.bytes,
			packets: row.packets,
			flows: row.flows,
		})),
		findings: findings.map(finding => ({
			kind: finding.kind,
			severity: finding.severity,
			eni: finding.eni,
			...(finding.name === undefined ? {} : {name: finding.name}),
			...(finding.type === undefined ? {} : {type: finding.type}),
			...(finding.src === undefined ? {} : {src: finding.src}),
			...(finding.dst === undefined ? {} : {dst: finding.dst}),
			...(finding.port === undefined ? {} : {port: finding.port}),
			...(finding.direction === undefined ? {} : {direction: finding.direction}),
			...(finding.rejectReason === undefined ? {} : {rejectReason: finding.rejectReason}),
			count: finding.count,
			confidence: finding.confidence,
			why: finding.why,
			summary: finding.summary,
			advice: finding.advice,
			...(finding.rule === undefined ? {} : {rule: finding.rule}),
		})),
	};
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function table(
	header: readonly string[],
	rows: ReadonlyArray<readonly string[]>,
	numeric: ReadonlySet<number>,
): string {
	rows = rows.map(row => row.map(cell => safeText(cell)));
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, column) => (numeric.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
			.join('  ')
			.trimEnd();
	return [line(header), ...rows.map(row => line(row))].join('\n');
}

/** The same report for a person: one titled table per section. */
export function renderReportText(report: Report): string {
	const {records} = report;
	const sections = [
		report.window.start === null
			? 'Window   none: no record had a time'
			: `Window   ${report.window.start} .. ${report.window.end}`,
		`Records  ${records.total} read: ${records.ok} OK, ${records.nodata} NODATA, ${records.skipdata} SKIPDATA, ${records.malformed} malformed`,
		...(report.filter
			? [
					`Filter   ${safeText(report.filter.text)}: the lists below count only what it matches; the records above are the whole window's`,
				]
			: []),
		'',
		'TOP TALKERS (by bytes)',
		report.topTalkers.length === 0
			? '  none'
			: table(
					['SOURCE', 'DESTINATION', 'BYTES', 'PACKETS', 'FLOWS'],
					report.topTalkers.map(row => [
						row.src,
						row.dst,
						formatBytes(row.bytes),
						formatCount(row.packets),
						formatCount(row.flows),
					]),
					new Set([2, 3, 4]),
				),
		'',
		`REJECTED (${report.rejected.total} records)`,
		report.rejected.bySource.length === 0
			? '  none'
			: table(
					['SOURCE', 'FLOWS', 'PACKETS', 'BYTES', 'PORTS'],
					report.rejected.bySource.map(row => [
						row.src,
						formatCount(row.flows),
						formatCount(row.packets),
						formatBytes(row.bytes),
						String(row.ports),
					]),
					new Set([1, 2, 3, 4]),
				),
		'',
		'PROTOCOLS',
		report.protocols.length === 0
			? '  none'
			: table(
					['PROTOCOL', 'BYTES', 'PACKETS', 'FLOWS'],
					report.protocols.map(row => [
						`${row.name} (${row.protocol})`,
						formatBytes(row.bytes),
						formatCount(row.packets),
						formatCount(row.flows),
					]),
					new Set([1, 2, 3]),
				),
		'',
		'DIAGNOSIS',
		report.findings.length === 0
			? '  no findings'
			: report.findings
					.map(
						finding =>
							`  [${finding.severity}, ${finding.confidence} confidence] ${safeText(finding.summary)}\n${
								finding.type === undefined
									? ''
									: `    interface: ${finding.eni} (${safeText(kindAndName(finding.type, finding.name))})\n`
							}    why: ${safeText(finding.why)}\n    -> ${safeText(finding.advice)}`,
					)
					.join('\n'),
	];
	return `${sections.join('\n')}\n`;
}
