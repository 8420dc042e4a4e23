import {format} from 'date-fns';
import {Box, Text} from 'ink';
import {formatFilter, isEmptyFilter, type Filter} from '../engine/filter.js';
import {formatCount, formatDuration} from '../text/units.js';
import {fit, fitMiddle} from './text.js';

export interface HeaderProps {
	readonly label: string;
	readonly windowSeconds: number;
	readonly filter: Filter;
	readonly paused: boolean;
	readonly waiting: number;
	/** Newest record seen, Unix seconds. */
	readonly newest: number | undefined;
	readonly width: number;
}

/** What is watched, over which window, through which filter, live or paused, and how fresh. */
export function Header({label, windowSeconds, filter, paused, waiting, newest, width}: HeaderProps) {
	const badge = paused ? ` PAUSED${waiting > 0 ? ` +${formatCount(waiting)} waiting` : ''} ` : ' LIVE ';
	// At 80 columns every word counts: the clock loses its label before the filter loses characters.
	const clock = newest === undefined ? 'no records yet' : format(newest * 1000, 'HH:mm:ss');
	const newestText = newest !== undefined && width >= 100 ? `newest ${clock}` : clock;
	const right = ` ${newestText} `;
	const leftWidth = Math.max(width - badge.length - right.length, 0);
	// The filter is what the user just typed and must see whole; a long file path gives way first.
	const tail = ` · ${width >= 100 ? 'window ' : ''}${formatDuration(windowSeconds)} · ${isEmptyFilter(filter) ? 'no filter' : `filter ${formatFilter(filter)}`}`;
	const labelWidth = Math.max(leftWidth - 'flowtop · '.length - tail.length, 12);
	const left = `flowtop · ${fitMiddle(label, Math.min(labelWidth, [...label].length)).trimEnd()}${tail}`;
	return (
		<Box width={width}>
			<Text bold wrap='truncate'>{fit(left, leftWidth)}</Text>
			<Text inverse bold color={paused ? 'yellow' : 'green'}>{badge}</Text>
			<Text dimColor>{right}</Text>
		</Box>
	);
}
