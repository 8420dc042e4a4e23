import {formatDistanceStrict} from 'date-fns';
import {Box, Text} from 'ink';
import type {QueryCost, SourceStatus} from '../sources/source.js';
import {formatBytes, formatCount} from '../text/units.js';
import {fit, wrap} from './text.js';

export interface StatusInput {
	readonly recordsPerSecond: number;
	readonly inWindow: number;
	readonly malformed: number;
	/** Records folded by the memory bound. */
	readonly summarized: number;
	readonly source: SourceStatus;
	readonly cost: QueryCost | undefined;
	readonly pricePerGb: number;
	/** A transient message (a snapshot's path), or a prompt's error. */
	readonly notice: {readonly text: string; readonly error: boolean} | undefined;
	/** What the diagnosis lacks of the VPC's configuration, on a line of its own. */
	readonly configuration?: string | undefined;
	/** Milliseconds since the epoch. */
	readonly now: number;
	readonly width: number;
}

/** The status bar as lines: the figures, and the source's state beside them or, when long, above. */
export interface StatusContent {
	/** Lines of a message too long to share a line with the figures (at most two). */
	readonly above: readonly string[];
	readonly line: string;
	readonly message: string;
	readonly error: boolean;
}

// A message that does not fit beside the figures gets up to this many lines of its own: an error
// that says what to do must be read whole.
const MESSAGE_LINES = 2;

function inSeconds(at: number, now: number): string {
	return formatDistanceStrict(Math.max(at, now), now, {unit: 'second', roundingMethod: 'ceil'}).replace(' seconds', 's').replace(' second', 's');
}

function sourceText(status: SourceStatus, now: number): {text: string; error: boolean} {
	switch (status.kind) {
		case 'starting': {
			return {text: 'starting', error: false};
		}

		case 'reading': {
			return {text: 'reading', error: false};
		}

		case 'following': {
			return {text: 'following the file', error: false};
		}

		case 'done': {
			return {text: 'end of input', error: false};
		}

		case 'polling': {
			return {text: 'polling', error: false};
		}

		case 'waiting': {
			return {text: `${status.note === undefined ? '' : `${status.note} · `}next poll in ${inSeconds(status.nextPollAt, now)}`, error: false};
		}

		case 'backing-off': {
			return {text: `backing off (${status.reason}), retry in ${inSeconds(status.retryAt, now)}`, error: false};
		}

		case 'error': {
			return {text: `${status.message}${status.retryAt === undefined ? '' : ` (retry in ${inSeconds(status.retryAt, now)})`}`, error: true};
		}
	}
}

/** A cost to the cent once it is worth one; below, to four places, and never a false `$0.0000`. */
export function dollars(amount: number): string {
	if (amount >= 0.01) {
		return `$${amount.toFixed(2)}`;
	}

	return amount > 0 && amount < 0.0001 ? '<$0.0001' : `$${amount.toFixed(4)}`;
}

/** Throughput, what the window holds, what went wrong, and what the queries cost. */
export function statusContent(input: StatusInput): StatusContent {
	const content = figuresAndState(input);
	return input.configuration === undefined ? content : {...content, above: [fit(input.configuration, input.width), ...content.above]};
}

function figuresAndState({recordsPerSecond, inWindow, malformed, summarized, source, cost, pricePerGb, notice, now, width}: StatusInput): StatusContent {
	const parts = [
		`${formatCount(recordsPerSecond)} rec/s`,
		`${formatCount(inWindow)} in window`,
		...(malformed > 0 ? [`${formatCount(malformed)} malformed`] : []),
		...(summarized > 0 ? [`${formatCount(summarized)} summarized (memory bound)`] : []),
		...(cost ? [`scanned ${formatBytes(cost.bytesScanned)} ≈ ${dollars((cost.bytesScanned / 1e9) * pricePerGb)}${cost.bytesReceived > 0 ? ` (${(cost.bytesScanned / cost.bytesReceived).toFixed(1)}× received)` : ''}`] : []),
	];
	const state = notice ?? sourceText(source, now);
	const figures = parts.join(' · ');
	const beside = width - figures.length - 3;
	if ([...state.text].length <= beside) {
		return {above: [], line: `${figures} · `, message: state.text, error: state.error};
	}

	return {above: wrap(state.text, width, MESSAGE_LINES), line: figures, message: '', error: state.error};
}

export function StatusBar({content, width}: {readonly content: StatusContent; readonly width: number}) {
	const color = content.error ? 'red' : undefined;
	return (
		<Box flexDirection='column' width={width}>
			{content.above.map((line, index) => <Text key={index} color={color} bold={content.error} wrap='truncate'>{fit(line, width)}</Text>)}
			<Box width={width}>
				<Text wrap='truncate'>{content.line}</Text>
				<Text color={color} bold={content.error} wrap='truncate'>{fit(content.message, Math.max(width - content.line.length, 0))}</Text>
			</Box>
		</Box>
	);
}
