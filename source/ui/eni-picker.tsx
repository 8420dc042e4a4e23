import type {EniRow} from '../engine/views.js';
import {formatBytes, formatCount} from '../text/units.js';
import {ListPicker} from './list-picker.js';
import {fit, fitMiddle} from './text.js';

export interface EniPickerProps {
	readonly enis: readonly EniRow[];
	readonly width: number;
	readonly height: number;
	readonly onPick: (eni: string) => void;
	readonly onCancel: () => void;
	/** An interface's kind and name (`instance · web-1`), when the VPC's configuration knows it. */
	readonly describe?: (eni: string) => string | undefined;
}

/** `e`: the interfaces seen in the window with their traffic, busiest first. */
export function EniPicker({enis, width, height, onPick, onCancel, describe}: EniPickerProps) {
	const nameWidth = Math.max(width - 32, 12);
	return (
		<ListPicker
			title='Pick an interface'
			header={`${fit('INTERFACE', nameWidth)} ${fit('BYTES', 10, 'right')} ${fit('FLOWS', 8, 'right')} ${fit('REJECTS', 8, 'right')}`}
			items={enis.map(row => {
				const label = describe?.(row.eni);
				const name = label === undefined ? row.eni : `${row.eni} ${label}`;
				// A label may run long: cut its end, never the id.
				const shown = label === undefined ? fitMiddle(name, nameWidth) : fit(name, nameWidth);
				return {
					key: row.eni,
					search: name,
					text: `${shown} ${fit(formatBytes(row.bytes), 10, 'right')} ${fit(formatCount(row.flows), 8, 'right')} ${fit(formatCount(row.rejects), 8, 'right')}`,
				};
			})}
			width={width}
			height={height}
			onPick={onPick}
			onCancel={onCancel}
		/>
	);
}
