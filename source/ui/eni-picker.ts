import type {EniRow} from '../engine/views.js';
import type {InterfaceNames} from '../vpc/interface-names.js';
import {formatBytes, formatCount} from '../text/units.js';
import type {PickerItem} from './list-picker.js';
import {fit, fitMiddle} from './text.js';

export const ENI_PICKER_TITLE = 'Pick an interface';

/** The column header over eniItems' rows. */
export function eniHeader(width: number): string {
	const nameWidth = Math.max(width - 32, 12);
	const idWidth = Math.min(nameWidth, 21);
	return `${fit('INTERFACE', idWidth)} ${fit('ADDRESS', Math.max(nameWidth - idWidth - 1, 0))} ${fit('BYTES', 10, 'right')} ${fit('FLOWS', 8, 'right')} ${fit('REJECTS', 8, 'right')}`;
}

/**
 * `e`: the interfaces seen in the window, busiest first, with their own addresses and traffic, and
 * their kind and name (`instance · web-1`) where the VPC's configuration knows them.
 */
export function eniItems(
	enis: readonly EniRow[],
	addressesOf: (eni: string) => readonly string[],
	width: number,
	names: InterfaceNames,
): PickerItem[] {
	const nameWidth = Math.max(width - 32, 12);
	const idWidth = Math.min(nameWidth, 21);
	return enis.map(row => {
		const addresses = [
			...addressesOf(row.eni),
			...[names.interface(row.eni)].filter(label => label !== undefined),
		].join(' ');
		return {
			key: row.eni,
			search: `${row.eni} ${addresses}`,
			text: `${fitMiddle(row.eni, idWidth)} ${fit(addresses, Math.max(nameWidth - idWidth - 1, 0))} ${fit(formatBytes(row.bytes), 10, 'right')} ${fit(formatCount(row.flows), 8, 'right')} ${fit(formatCount(row.rejects), 8, 'right')}`,
		};
	});
}
