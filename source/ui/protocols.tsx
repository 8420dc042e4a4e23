import type {Views} from '../engine/views.js';
import {Pane} from './pane.js';
import {protocolRows, type Row} from './pane-rows.js';
import type {PaneView} from './state.js';

export interface ProtocolsProps {
	readonly views: Views;
	readonly mode: PaneView<'protocols'>;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly selected: number;
	readonly order: (rows: readonly Row[]) => readonly Row[];
}

export function Protocols({views, mode, width, height, focused, selected, order}: ProtocolsProps) {
	const content = protocolRows(views, mode, width - 2);
	return (
		<Pane
			name="Protocols"
			content={{...content, rows: order(content.rows)}}
			width={width}
			height={height}
			focused={focused}
			selected={selected}
		/>
	);
}
