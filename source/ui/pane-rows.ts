import type {Filter} from '../engine/filter.js';
import type {Metric, Views} from '../engine/views.js';
import type {Finding} from '../diagnosis/finding.js';
import {protocolName} from '../flowlog/protocols.js';
import {formatAge, formatBytes, formatCount, formatPercent} from '../text/units.js';
import {drillTo, drillToFinding} from './drill.js';
import {bar, fit, fitMiddle, named, sparkline, wrap} from './text.js';
import {type InterfaceNames, NO_NAMES} from '../vpc/interface-names.js';
import type {PaneView} from './state.js';

/**
 * What each pane lists, as plain rows: a key (for holding the order steady), the text of the line
 * already fitted to the pane's width, a tone for colour, and the filter enter narrows to. Pure, so
 * a test can read a pane without Ink; the components only draw these.
 */

export type Tone = 'normal' | 'reject' | 'critical' | 'warning' | 'info' | 'dim';

export interface Row {
	readonly key: string;
	readonly text: string;
	readonly tone: Tone;
	/** What enter narrows every pane to. */
	readonly drill: Filter | undefined;
}

export interface PaneContent {
	/** The title line's text after the pane's name. */
	readonly title: string;
	/** The column header, when the pane has columns. */
	readonly header: string | undefined;
	readonly rows: readonly Row[];
	/** Shown when there are no rows. */
	readonly empty: string;
	/** Lines under the rows (the selected finding's advice). */
	readonly footer?: readonly string[];
	/** Drawn at the right end of the title line, so it stays put whatever the title says. */
	readonly trend?: string;
}

function metricText(value: number, metric: Metric): string {
	return metric === 'bytes' ? formatBytes(value) : formatCount(value);
}

function arrow(src: string | undefined, dst: string | undefined, width: number, names: InterfaceNames): string {
	const side = Math.floor((width - 3) / 2);
	return `${address(src, side, names)} → ${address(dst, width - 3 - side, names)}`;
}

/** An address, with the name of the interface that owns it where there is room. */
function address(text: string | undefined, width: number, names: InterfaceNames): string {
	return text === undefined ? fitMiddle('?', width) : named(text, names.address(text), width);
}

// Columns of a talker line besides the addresses: value, share bar and, when there is room,
// the other two metrics.
const VALUE_WIDTH = 9;

export function talkerRows(
	views: Views,
	mode: PaneView<'talkers'>,
	width: number,
	names: InterfaceNames = NO_NAMES,
): PaneContent {
	const {metric, totals} = views;
	const rows = mode === 'pairs' ? views.talkers.pair : mode === 'sources' ? views.talkers.src : views.talkers.dst;
	const barWidth = Math.min(Math.max(Math.floor(width / 8), 4), 14);
	const others = (['bytes', 'packets', 'flows'] as const).filter(other => other !== metric);
	const extra = width >= 90 ? others : [];
	const nameWidth = width - VALUE_WIDTH - 1 - barWidth - 1 - extra.length * (VALUE_WIDTH + 1);
	const header = `${fit(mode === 'pairs' ? 'SOURCE → DESTINATION' : mode === 'sources' ? 'SOURCE' : 'DESTINATION', nameWidth)} ${fit(metric.toUpperCase(), VALUE_WIDTH, 'right')} ${fit('SHARE', barWidth)}${extra.map(other => ` ${fit(other.toUpperCase(), VALUE_WIDTH, 'right')}`).join('')}`;
	return {
		title: `by ${mode}, ${metric}`,
		header,
		empty: 'no traffic in the window',
		rows: rows.map(row => {
			const name =
				mode === 'pairs'
					? arrow(row.src, row.dst, nameWidth, names)
					: address(mode === 'sources' ? row.src : row.dst, nameWidth, names);
			const line = `${name} ${fit(metricText(row[metric], metric), VALUE_WIDTH, 'right')} ${bar(totals[metric] > 0 ? row[metric] / totals[metric] : 0, barWidth)}${extra.map(other => ` ${fit(metricText(row[other], other), VALUE_WIDTH, 'right')}`).join('')}`;
			const drill =
				mode === 'pairs'
					? drillTo({src: row.src, dst: row.dst})
					: drillTo({address: mode === 'sources' ? row.src : row.dst});
			return {key: `${row.src ?? ''}>${row.dst ?? ''}`, text: line, tone: 'normal', drill} satisfies Row;
		}),
	};
}

function ago(seconds: number, now: number): string {
	return formatAge(now - seconds);
}

// Protocols whose records carry ports; an ICMP record's ports are 0 and mean nothing.
const PORTED = new Set([6, 17, 132, 136]);

function portText(port: number | undefined, protocol: number | undefined): string {
	if (protocol !== undefined && !PORTED.has(protocol)) {
		return protocolName(protocol).toLowerCase();
	}

	const name = protocol === undefined ? '' : `/${protocolName(protocol).toLowerCase()}`;
	return port === undefined ? name.slice(1) : `${port}${name}`;
}

const TITLES = {
	sources: 'by source',
	targets: 'by target',
	interfaces: 'by interface',
	recent: 'latest first',
} as const;

export function rejectRows(
	views: Views,
	mode: PaneView<'rejects'>,
	width: number,
	now: number,
	names: InterfaceNames = NO_NAMES,
): PaneContent {
	const trendWidth = width < 78 ? 8 : Math.min(Math.floor(width / 4), 30);
	const title = `${formatCount(views.rejectTotals.flows)} rejected, ${TITLES[mode]}`;
	const trend = `${sparkline(
		views.trend.map(point => point.rejects),
		trendWidth,
	)} /${Math.round(views.bucketSeconds / 60)}m`;
	switch (mode) {
		case 'sources': {
			const nameWidth = width - 34;
			return {
				title,
				trend,
				header: `${fit('SOURCE', nameWidth)} ${fit('FLOWS', 8, 'right')} ${fit('PORTS', 6, 'right')} ${fit('ENIS', 5, 'right')} ${fit('LAST', 10, 'right')}`,
				empty: 'nothing rejected in the window',
				rows: views.rejectsBySource.map(row => ({
					key: row.src,
					text: `${address(row.src, nameWidth, names)} ${fit(formatCount(row.flows), 8, 'right')} ${fit(String(row.ports), 6, 'right')} ${fit(String(row.enis), 5, 'right')} ${fit(`${ago(row.lastSeen, now)} ago`, 10, 'right')}`,
					tone: 'reject',
					drill: drillTo({src: row.src, action: 'REJECT'}),
				})),
			};
		}

		case 'targets': {
			const nameWidth = width - 26;
			return {
				title,
				trend,
				header: `${fit('DESTINATION', nameWidth - 12)} ${fit('PORT', 11)} ${fit('FLOWS', 8, 'right')} ${fit('SOURCES', 8, 'right')}`,
				empty: 'nothing rejected in the window',
				rows: views.rejectsByTarget.map(row => ({
					key: `${row.dst} ${row.port} ${row.protocol}`,
					text: `${address(row.dst, nameWidth - 12, names)} ${fit(portText(row.port, row.protocol), 11)} ${fit(formatCount(row.flows), 8, 'right')} ${fit(String(row.sources), 8, 'right')}`,
					tone: 'reject',
					drill: drillTo({dst: row.dst, port: row.port, action: 'REJECT'}),
				})),
			};
		}

		case 'interfaces': {
			const nameWidth = width - 20;
			return {
				title,
				trend,
				header: `${fit('INTERFACE', nameWidth)} ${fit('FLOWS', 8, 'right')} ${fit('BYTES', 10, 'right')}`,
				empty: 'nothing rejected in the window',
				rows: views.rejectsByEni.map(row => ({
					key: row.eni,
					text: `${named(row.eni, names.interface(row.eni), nameWidth)} ${fit(formatCount(row.flows), 8, 'right')} ${fit(formatBytes(row.bytes), 10, 'right')}`,
					tone: 'reject',
					drill: drillTo({eni: row.eni, action: 'REJECT'}),
				})),
			};
		}

		case 'recent': {
			// Narrow, the interface column goes before the addresses would be cut; wide, it has room for a name.
			const eniWidth = width >= 150 ? 40 : width >= 100 ? 22 : width >= 76 ? 14 : 0;
			const eniColumn = (text: string) => (eniWidth === 0 ? '' : `${text} `);
			const flowWidth = width - (eniWidth === 0 ? 0 : eniWidth + 1) - 7 - 11 - 2;
			return {
				title,
				trend,
				header: `${fit('AGO', 7)} ${eniColumn(fit('INTERFACE', eniWidth))}${fit('SOURCE → DESTINATION', flowWidth)} ${fit('PORT', 11)}`,
				empty: 'nothing rejected in the window',
				rows: views.recentRejects.map((record, index) => ({
					key: `${index}`,
					text: `${fit(ago(record.start ?? now, now), 7)} ${eniColumn(record.eni === undefined ? fit('-', eniWidth) : named(record.eni, names.interface(record.eni), eniWidth))}${arrow(record.src, record.dst, flowWidth, names)} ${fit(portText(record.dstPort, record.protocol), 11)}`,
					tone: 'reject',
					drill: drillTo({src: record.src, dst: record.dst, port: record.dstPort}),
				})),
			};
		}
	}
}

/** `PostgreSQL 5432/tcp` where it fits, else the name alone: a name is read, a port looked up. */
function serviceLabel(name: string | undefined, port: string, width: number): string {
	if (name === undefined) {
		return port;
	}

	const both = `${name} ${port}`;
	return both.length <= width ? both : name;
}

export function protocolRows(views: Views, mode: PaneView<'protocols'>, width: number): PaneContent {
	const {metric, totals} = views;
	const valueWidth = 9;
	const shareWidth = 5;
	const barWidth = Math.max(Math.min(width - 14 - valueWidth - shareWidth - 3, 20), 3);
	const nameWidth = width - valueWidth - shareWidth - barWidth - 3;
	const line = (name: string, value: number) =>
		`${fit(name, nameWidth)} ${fit(metricText(value, metric), valueWidth, 'right')} ${fit(formatPercent(value, totals[metric]), shareWidth, 'right')} ${bar(totals[metric] > 0 ? value / totals[metric] : 0, barWidth)}`;
	if (mode === 'protocols') {
		return {
			title: `by protocol, ${metric}`,
			header: undefined,
			empty: 'no traffic in the window',
			rows: views.protocols.map(row => ({
				key: String(row.protocol),
				text: line(row.name, row[metric]),
				tone: 'normal',
				drill: drillTo({protocol: row.protocol}),
			})),
		};
	}

	return {
		title: `by service, ${metric}`,
		header: undefined,
		empty: 'no traffic in the window',
		rows: views.services.map(row => ({
			key: `${row.protocol}/${row.port}`,
			text: line(serviceLabel(row.name, portText(row.port, row.protocol), nameWidth), row[metric]),
			tone: 'normal',
			drill: drillTo({protocol: row.protocol, port: row.port}),
		})),
	};
}

const severityMark = {critical: '●', warning: '▲', info: '○'} as const;

/** What the diagnosis could look at: "nothing wrong found" is only true of records that arrived. */
export interface DiagnosisBasis {
	/** Records in the window shown. */
	readonly records: number;
	readonly failing: boolean;
}

function calmTitle({records, failing}: DiagnosisBasis): string {
	if (records === 0) {
		return failing
			? 'nothing to diagnose: the source is failing and no records arrived'
			: 'nothing to diagnose: no records in the window yet';
	}

	return failing ? 'nothing wrong in the records so far, but the source is failing' : 'nothing wrong found';
}

export function findingRows(
	findings: readonly Finding[],
	width: number,
	isNew: (finding: Finding) => boolean,
	basis: DiagnosisBasis,
): PaneContent {
	return {
		title: findings.length === 0 ? calmTitle(basis) : `${findings.length} finding${findings.length === 1 ? '' : 's'}`,
		header: undefined,
		empty:
			basis.records === 0 ? 'findings appear here once records arrive' : 'no misconfiguration or attack in the window',
		rows: findings.map(finding => ({
			key: finding.id,
			text: fit(`${severityMark[finding.severity]} ${isNew(finding) ? 'NEW ' : ''}${finding.summary}`, width),
			tone: finding.severity,
			drill: drillToFinding(finding),
		})),
	};
}

/** The advice of the selected finding, wrapped under the list. */
export function adviceLines(finding: Finding | undefined, width: number, lines: number): string[] {
	return finding && lines > 0 ? wrap(`→ ${finding.advice}`, width, lines) : [];
}
