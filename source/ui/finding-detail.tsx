import {format} from 'date-fns';
import {Box, Text} from 'ink';
import type {Finding} from '../diagnosis/finding.js';
import {protocolName} from '../flowlog/protocols.js';
import {formatBytes, formatCount} from '../text/units.js';
import {fit, fitMiddle, named, wrap} from './text.js';
import {type InterfaceNames, kindAndName, NO_NAMES} from '../vpc/interface-names.js';
import {withoutUndefined} from '../without-undefined.js';

interface DetailLine {
	readonly text: string;
	readonly heading?: boolean;
}

function when(seconds: number): string {
	return format(seconds * 1000, 'yyyy-MM-dd HH:mm:ss');
}

/** The whole of a finding, as k9s's describe shows a resource: what, where, since when, why, and the records. */
export function detailLines(finding: Finding, width: number, names: InterfaceNames = NO_NAMES): DetailLine[] {
	const text = (value: string): DetailLine[] =>
		wrap(value, width - 2, Number.POSITIVE_INFINITY).map(each => ({text: `  ${each}`}));
	const where = [
		finding.eni === undefined
			? undefined
			: `interface ${finding.eni}${finding.type === undefined ? '' : ` (${kindAndName(finding.type, finding.name)})`}`,
		finding.src === undefined ? undefined : `source ${finding.src}`,
		finding.dst === undefined ? undefined : `destination ${finding.dst}`,
		finding.port === undefined ? undefined : `port ${finding.port}`,
		finding.direction,
	]
		.filter(part => part !== undefined)
		.join(', ');
	// Interface, ports, protocol, action, flows and bytes take 50 columns besides the two addresses,
	// which get the rest, up to a whole IPv6 address each.
	// Narrower, the interface column goes (the finding names it above) before addresses are cut;
	// wider, it has room for the interface's name.
	const anyNamed = finding.evidence.some(row => row.eni !== undefined && names.interface(row.eni) !== undefined);
	const eniWidth = width >= 150 && anyNamed ? 40 : width >= 100 ? 21 : 0;
	const eniColumn = (text: string) => (eniWidth === 0 ? '' : `${text} `);
	const addressWidth = Math.min(Math.max(Math.floor((width - (eniWidth === 0 ? 0 : eniWidth + 1) - 49) / 2), 9), 39);
	return [
		{text: 'Finding', heading: true},
		...text(finding.summary),
		...text(`${finding.kind}, ${finding.severity}; ${formatCount(finding.count)} records; ${where}`),
		...text(`${finding.confidence} confidence: ${finding.why}`),
		...text(`seen ${when(finding.firstSeen)} to ${when(finding.lastSeen)}`),
		{text: ''},
		{text: 'What to do', heading: true},
		...text(finding.advice),
		{text: ''},
		{
			text: `Evidence (${finding.evidence.length} record${finding.evidence.length === 1 ? '' : 's'} that show it)`,
			heading: true,
		},
		{
			text: `  ${eniColumn(fit('INTERFACE', eniWidth))}${fit('SOURCE', addressWidth)} ${fit('PORT', 5, 'right')} → ${fit('DESTINATION', addressWidth)} ${fit('PORT', 5, 'right')} ${fit('PROTO', 6)} ${fit('ACTION', 6)} ${fit('FLOWS', 6, 'right')} ${fit('BYTES', 9, 'right')}`,
		},
		...finding.evidence.map(row => ({
			text: `  ${eniColumn(row.eni === undefined ? fit('-', eniWidth) : named(row.eni, names.interface(row.eni), eniWidth))}${fitMiddle(row.src ?? '-', addressWidth)} ${fit(row.srcPort === undefined ? '-' : String(row.srcPort), 5, 'right')} → ${fitMiddle(row.dst ?? '-', addressWidth)} ${fit(row.dstPort === undefined ? '-' : String(row.dstPort), 5, 'right')} ${fit(row.protocol === undefined ? '-' : protocolName(row.protocol), 6)} ${fit(row.action ?? '-', 6)} ${fit(formatCount(row.flows), 6, 'right')} ${fit(formatBytes(row.bytes), 9, 'right')}`,
		})),
		{text: ''},
		...text(`enter narrows every pane to this evidence (${finding.filter}); esc goes back`),
	];
}

/** Lines of text filling the body, from line `top`, with where one is when they do not all fit. */
export function ScrolledText({
	title,
	lines,
	width,
	height,
	top,
}: {
	readonly title: string;
	readonly lines: readonly DetailLine[];
	readonly width: number;
	readonly height: number;
	readonly top: number;
}) {
	const room = Math.max(height - 1, 1);
	const first = Math.min(Math.max(top, 0), Math.max(lines.length - room, 0));
	const where =
		lines.length > room ? `  ${first + 1}-${Math.min(first + room, lines.length)} of ${lines.length}, ↑↓ scroll` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse>
				{fit(` ${title}${where}  (esc closes)`, width)}
			</Text>
			{lines.slice(first, first + room).map((line, index) => (
				<Text
					key={index}
					{...withoutUndefined({bold: line.heading, color: line.heading ? 'cyan' : undefined})}
					wrap="truncate"
				>
					{fit(line.text, width)}
				</Text>
			))}
		</Box>
	);
}
