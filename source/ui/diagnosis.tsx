import type {Finding} from '../diagnosis/finding.js';
import {Pane} from './pane.js';
import {adviceLines, findingRows, type DiagnosisBasis, type Row} from './pane-rows.js';

export interface DiagnosisProps {
	readonly findings: readonly Finding[];
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly selected: number;
	readonly isNew: (finding: Finding) => boolean;
	readonly order: (rows: readonly Row[]) => readonly Row[];
	readonly basis: DiagnosisBasis;
}

// The list keeps at least this many rows when there are that many findings; the selected
// finding's advice gets every other line of the pane.
const MIN_LIST_ROWS = 3;

export function Diagnosis({findings, width, height, focused, selected, isNew, order, basis}: DiagnosisProps) {
	const content = findingRows(findings, width - 2, isNew, basis);
	const rows = order(content.rows);
	const chosen = findings.find(finding => finding.id === rows[Math.min(selected, rows.length - 1)]?.key);
	const listRows = Math.min(Math.max(rows.length, 1), Math.max(height - 1 - MIN_LIST_ROWS, MIN_LIST_ROWS));
	const footer = adviceLines(chosen, width - 2, Math.max(height - 1 - listRows, 0));
	return (
		<Pane
			name="Diagnosis"
			content={{...content, rows, footer}}
			width={width}
			height={height}
			focused={focused}
			selected={selected}
		/>
	);
}
