import {formatDistanceStrict} from 'date-fns';
import {Box, Text} from 'ink';
import {modeNote, type QueryMode} from '../sources/insights/query-mode.js';
import type {QueryCost, SourceStatus} from '../sources/source.js';
import {formatAge, formatBytes, formatCount, formatDuration} from '../text/units.js';
import {fit, wrap} from './text.js';
import {withoutUndefined} from '../without-undefined.js';

export interface StatusInput {
	readonly recordsPerSecond: number;
	/** Records behind the panes: the window shown, under the filter. */
	readonly inWindow: number;
	readonly filtered: boolean;
	readonly malformed: number;
	/** Records folded by the memory bound. */
	readonly summarized: number;
	readonly source: SourceStatus;
	/** The source's last error, while it has not succeeded since. */
	readonly failure: string | undefined;
	/** How old the newest record is, in seconds, when there is one. */
	readonly lagSeconds: number | undefined;
	readonly cost: QueryCost | undefined;
	/** How the source reads its log group, and why. */
	readonly queryMode?: QueryMode | undefined;
	readonly pricePerGb: number;
	/** A transient message (a snapshot's path), or a prompt's error. */
	readonly notice: {readonly text: string; readonly error: boolean} | undefined;
	/** What the diagnosis lacks of the VPC's configuration, on a line of its own. */
	readonly configuration?: string | undefined;
	/** Where the configuration is read: when it last was (milliseconds since the epoch), and whether a read is under way. */
	readonly configurationRead?: {readonly at: number | undefined; readonly reading: boolean} | undefined;
	/** Milliseconds since the epoch. */
	readonly now: number;
	readonly width: number;
}

/**
 * The status bar as lines. The figures and the source's state share one line, whatever the state
 * says, so nothing moves from one poll to the next; an error gets lines of its own above it, and
 * keeps them until the source succeeds again.
 */
export interface StatusContent {
	readonly above: readonly string[];
	/** Whether the lines above are an error (red) or a notice. */
	readonly alarm?: boolean;
	/** A standing note over all of it (what the diagnosis works without). */
	readonly note?: string | undefined;
	readonly line: string;
	readonly message: string;
}

// An error that says what to do must be read whole, its fix included.
const ERROR_LINES = 3;
// Flow logs reach CloudWatch minutes after capture: past this, the status bar says why nothing is newer.
const LATE_SECONDS = 120;

function inSeconds(at: number, now: number): string {
	return formatDistanceStrict(Math.max(at, now), now, {unit: 'second', roundingMethod: 'ceil'})
		.replace(' seconds', 's')
		.replace(' second', 's');
}

/** A poll shorter than this just says polling: most are, and a count would flicker. */
const POLL_SECONDS_SHOWN = 3;

function sourceText(status: SourceStatus, lagSeconds: number | undefined, now: number): string {
	switch (status.kind) {
		case 'starting': {
			return 'starting';
		}

		case 'reading': {
			return 'reading';
		}

		case 'following': {
			return 'following the file';
		}

		case 'done': {
			return 'end of file: the window is the whole file';
		}

		case 'polling': {
			// A busy group's first poll is twenty queries: its seconds say it is under way, not stuck.
			const seconds = Math.floor((now - status.since) / 1000);
			return seconds < POLL_SECONDS_SHOWN ? 'polling' : `polling for ${formatDuration(seconds)}`;
		}

		case 'waiting': {
			const note =
				status.note ??
				(lagSeconds !== undefined && lagSeconds >= LATE_SECONDS ? 'flow logs arrive minutes late' : undefined);
			// The countdown first, where it stays put; a note of any length after it.
			return withNote(`next poll in ${inSeconds(status.nextPollAt, now)}`, note);
		}

		case 'backing-off': {
			return `backing off (${status.reason}), retry in ${inSeconds(status.retryAt, now)}`;
		}

		case 'error': {
			return status.retryAt === undefined ? 'stopped' : `retry in ${inSeconds(status.retryAt, now)}`;
		}
	}
}

function configurationText(read: NonNullable<StatusInput['configurationRead']>, now: number): string {
	if (read.reading) {
		return 'reading rules';
	}

	return read.at === undefined ? 'rules unread' : `rules read ${formatAge((now - read.at) / 1000)} ago`;
}

/** A state, then a note of any length after it, so the state stays put. */
function withNote(state: string, note: string | undefined): string {
	return note === undefined ? state : `${state} · ${note}`;
}

/** A cost to the cent once it is worth one; below, to four places, and never a false `$0.0000`. */
export function dollars(amount: number): string {
	if (amount >= 0.01) {
		return `$${amount.toFixed(2)}`;
	}

	return amount > 0 && amount < 0.0001 ? '<$0.0001' : `$${amount.toFixed(4)}`;
}

/**
 * Wrapped to at most `lines` lines; when it is longer, the middle gives way, for the end of an
 * error is what to do about it ("…: give --format").
 */
export function keepEnd(text: string, width: number, lines: number): string[] {
	const all = wrap(text, width, Number.POSITIVE_INFINITY);
	if (all.length <= lines) {
		return all;
	}

	const cut = Math.max(text.lastIndexOf('; '), text.lastIndexOf(': '));
	const fix = cut > 0 ? text.slice(cut + 2) : '';
	const fixLines = wrap(fix, width, Number.POSITIVE_INFINITY);
	if (fix === '' || fixLines.length >= lines) {
		return wrap(text, width, lines);
	}

	return [...wrap(`${text.slice(0, cut + 1)} …`, width, lines - fixLines.length), ...fixLines];
}

/** Throughput, what the panes hold, what went wrong, what the queries cost, and what the diagnosis lacks. */
export function statusContent(input: StatusInput): StatusContent {
	const {source, configuration, queryMode} = input;
	// A file's note (what --format did not do) stands on the note line, read whole, beside the diagnosis's.
	const fileNote = source.kind === 'following' || source.kind === 'done' ? source.note : undefined;
	const notes = [configuration, fileNote, queryMode && modeNote(queryMode)].filter(note => note !== undefined);
	return {...figuresAndState(input), note: notes.length === 0 ? undefined : notes.join(' · ')};
}

// Room kept for the source's state beside the figures: a countdown such as "next poll in 120s".
const STATE_ROOM = 18;

function figuresLine(essential: readonly string[], extras: readonly string[], width: number): string {
	for (let kept = extras.length; ; kept--) {
		const line = `${[...essential, ...extras.slice(0, kept)].join(' · ')} · `;
		if (kept === 0 || line.length + STATE_ROOM <= width) {
			return line;
		}
	}
}

/** Lines the status bar takes. */
export function statusLines(content: StatusContent): number {
	return 1 + content.above.length + (content.note === undefined ? 0 : 1);
}

function figuresAndState(input: StatusInput): StatusContent {
	const {
		recordsPerSecond,
		inWindow,
		filtered,
		malformed,
		summarized,
		source,
		failure,
		lagSeconds,
		cost,
		pricePerGb,
		notice,
		now,
		width,
	} = input;
	const essential = [
		// A finished file has no rate: it is not arriving.
		...(source.kind === 'done' ? [] : [`${fit(formatCount(recordsPerSecond), 5, 'right')} rec/s`]),
		`${formatCount(inWindow)} ${filtered ? 'match' : 'in window'}`,
		...(malformed > 0 ? [`${formatCount(malformed)} malformed`] : []),
		...(summarized > 0 ? [`${formatCount(summarized)} summarized (memory bound)`] : []),
	];
	// Most needed first: on a narrow screen the last give way, for the source's state says whether
	// data is still coming, and a figure that pushed it off the line would hide a stalled poll.
	const extras = [
		// The note line says why when it matters; the word is for a width it does not crowd.
		...(input.queryMode && width >= 100 ? [input.queryMode.mode] : []),
		...(cost
			? [
					`scanned ${formatBytes(cost.bytesScanned)} ≈ ${dollars((cost.bytesScanned / 1e9) * pricePerGb)}${cost.bytesReceived > 0 && width >= 100 ? ` (${(cost.bytesScanned / cost.bytesReceived).toFixed(1)}× received)` : ''}`,
				]
			: []),
		...(input.configurationRead ? [configurationText(input.configurationRead, now)] : []),
	];
	const figures = figuresLine(essential, extras, width);
	const error = failure ?? (notice?.error ? notice.text : undefined);
	if (error !== undefined) {
		const above = keepEnd(error, width, ERROR_LINES);
		return {
			above,
			alarm: true,
			line: figures,
			message: notice && !notice.error ? notice.text : sourceText(source, lagSeconds, now),
		};
	}

	// A notice (where a snapshot went) is read whole: when it does not fit beside the figures it
	// gets a line above them, for as long as it shows.
	if (notice !== undefined && figures.length + [...notice.text].length > width) {
		return {above: wrap(notice.text, width, ERROR_LINES), line: figures, message: sourceText(source, lagSeconds, now)};
	}

	return {above: [], line: figures, message: notice?.text ?? sourceText(source, lagSeconds, now)};
}

export function StatusBar({content, width}: {readonly content: StatusContent; readonly width: number}) {
	return (
		<Box flexDirection="column" width={width}>
			{content.note !== undefined && (
				<Text dimColor wrap="truncate">
					{fit(content.note, width)}
				</Text>
			)}
			{content.above.map((line, index) => (
				<Text
					key={index}
					{...withoutUndefined({color: content.alarm ? 'red' : undefined, bold: content.alarm})}
					wrap="truncate"
				>
					{fit(line, width)}
				</Text>
			))}
			<Box width={width}>
				<Text wrap="truncate">{fit(content.line, Math.min(content.line.length, width))}</Text>
				<Text wrap="truncate">{fit(content.message, Math.max(width - content.line.length, 0))}</Text>
			</Box>
		</Box>
	);
}
