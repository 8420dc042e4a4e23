import type {Views} from '../engine/views.js';
import type {InterfaceNames} from '../vpc/interface-names.js';
import {Pane} from './pane.js';
import {rejectRows, type Row} from './pane-rows.js';
import type {PaneView} from './state.js';

export interface RejectedFlowsProps {
	readonly views: Views;
	readonly mode: PaneView<'rejects'>;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly selected: number;
	/** Unix seconds, for "how long ago". */
	readonly now: number;
	readonly order: (rows: readonly Row[]) => readonly Row[];
	readonly names: InterfaceNames;
}

export function RejectedFlows({views, mode, width, height, focused, selected, now, order, names}: RejectedFlowsProps) {
	const content = rejectRows(views, mode, width - 2, now, names);
	return (
		<Pane
			name="Rejected flows"
			content={{...content, rows: order(content.rows)}}
			width={width}
			height={height}
			focused={focused}
			selected={selected}
		/>
	);
}
