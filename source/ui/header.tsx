import {format} from 'date-fns';
import {Box, Text} from 'ink';
import {formatFilter, isEmptyFilter, type Filter} from '../engine/filter.js';
import type {SourceStatus} from '../sources/source.js';
import {formatAge, formatCount, formatDuration} from '../text/units.js';
import {fit, fitMiddle, wrap} from './text.js';

interface HeaderInput {
	readonly label: string;
	readonly windowSeconds: number;
	readonly filter: Filter;
	readonly paused: boolean;
	readonly waiting: number;
	readonly source: SourceStatus;
	/** The source's last error, while it has not succeeded since. */
	readonly failure: string | undefined;
	/** Newest record seen, Unix seconds. */
	readonly newest: number | undefined;
	/** Milliseconds since the epoch. */
	readonly now: number;
	readonly width: number;
}

type BadgeTone = 'live' | 'paused' | 'failing' | 'still';

interface HeaderContent {
	readonly left: string;
	readonly badge: string;
	readonly tone: BadgeTone;
	readonly right: string;
	/** A filter too long to share the first line gets lines of its own: it must be read whole. */
	readonly filterLines: readonly string[];
}

// Past this age a time of day says more than "3h ago", and past a day the date is needed too.
const AGE_SHOWN_SECONDS = 3600;
const AGE_WIDTH = 'newest 59m ago'.length;

/** How fresh the newest record is: flow logs arrive minutes after capture, so this is what to watch. */
function freshness(newest: number | undefined, now: number): string {
	if (newest === undefined) {
		return 'no records yet';
	}

	const age = now / 1000 - newest;
	if (age < AGE_SHOWN_SECONDS) {
		return `newest ${formatAge(age)} ago`;
	}

	const sameDay = format(newest * 1000, 'yyyy-MM-dd') === format(now, 'yyyy-MM-dd');
	return `newest ${format(newest * 1000, sameDay ? 'HH:mm' : 'yyyy-MM-dd HH:mm')}`;
}

/** LIVE only while the source delivers: a failing source and a finished file must not look calm. */
function badgeOf({paused, waiting, source, failure}: HeaderInput): {badge: string; tone: BadgeTone} {
	if (paused) {
		return {badge: ` PAUSED${waiting > 0 ? ` +${formatCount(waiting)} waiting` : ''} `, tone: 'paused'};
	}

	if (failure !== undefined || source.kind === 'error') {
		return {badge: ' SOURCE FAILING ', tone: 'failing'};
	}

	switch (source.kind) {
		case 'done': {
			return {badge: ' END OF FILE ', tone: 'still'};
		}

		case 'starting': {
			return {badge: ' STARTING ', tone: 'still'};
		}

		case 'reading': {
			return {badge: ' READING ', tone: 'still'};
		}

		default: {
			return {badge: ' LIVE ', tone: 'live'};
		}
	}
}

/** What is watched, over which window, through which filter, in what state, and how fresh. */
export function headerContent(input: HeaderInput): HeaderContent {
	const {label, windowSeconds, filter, newest, now, width} = input;
	const {badge, tone} = badgeOf(input);
	// As wide as the widest age ("newest 59m ago"), so the header does not shift as the age ticks.
	const fresh = freshness(newest, now);
	const right = ` ${fresh.length < AGE_WIDTH ? fit(fresh, AGE_WIDTH, 'right') : fresh} `;
	const leftWidth = Math.max(width - badge.length - right.length, 0);
	const filterText = isEmptyFilter(filter) ? 'no filter' : `filter ${formatFilter(filter)}`;
	const windowText = `${width >= 100 ? 'window ' : ''}${formatDuration(windowSeconds)}`;
	const start = 'flowtop · ';
	// The label gives way first (from its middle, where log group names repeat themselves), down to
	// a readable stub; a filter that still does not fit moves to a line of its own, whole.
	const labelRoom = leftWidth - start.length - ` · ${windowText} · ${filterText}`.length;
	const minimumLabel = Math.min([...label].length, 16);
	if (labelRoom >= minimumLabel) {
		const shown = fitMiddle(label, Math.min(labelRoom, [...label].length)).trimEnd();
		return {
			left: fit(`${start}${shown} · ${windowText} · ${filterText}`, leftWidth),
			badge,
			tone,
			right,
			filterLines: [],
		};
	}

	const alone = fitMiddle(
		label,
		Math.min(Math.max(leftWidth - start.length - ` · ${windowText}`.length, 1), [...label].length),
	).trimEnd();
	// No filter is not worth a line of its own.
	return {
		left: fit(`${start}${alone} · ${windowText}`, leftWidth),
		badge,
		tone,
		right,
		filterLines: isEmptyFilter(filter) ? [] : wrap(filterText, width, 3),
	};
}

const BADGE_COLOR = {live: 'green', paused: 'yellow', failing: 'red', still: 'blue'} as const;

export function Header({content, width}: {readonly content: HeaderContent; readonly width: number}) {
	return (
		<Box flexDirection="column" width={width}>
			<Box width={width}>
				<Text bold wrap="truncate">
					{content.left}
				</Text>
				<Text inverse bold color={BADGE_COLOR[content.tone]}>
					{content.badge}
				</Text>
				<Text dimColor>{content.right}</Text>
			</Box>
			{content.filterLines.map((line, index) => (
				<Text key={index} bold wrap="truncate">
					{fit(line, width)}
				</Text>
			))}
		</Box>
	);
}
