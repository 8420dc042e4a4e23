import type {Views} from '../engine/views.js';
import type {InterfaceNames} from '../vpc/interface-names.js';
import {Pane} from './pane.js';
import {talkerRows} from './pane-rows.js';
import type {PaneView} from './state.js';
import type {Row} from './pane-rows.js';

export interface TopTalkersProps {
	readonly views: Views;
	readonly mode: PaneView<'talkers'>;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly selected: number;
	readonly order: (rows: readonly Row[]) => readonly Row[];
	readonly names: InterfaceNames;
}

export function TopTalkers({views, mode, width, height, focused, selected, order, names}: TopTalkersProps) {
	const content = talkerRows(views, mode, width - 2, names);
	return (
		<Pane
			name="Top talkers"
			content={{...content, rows: order(content.rows)}}
			width={width}
			height={height}
			focused={focused}
			selected={selected}
		/>
	);
}
