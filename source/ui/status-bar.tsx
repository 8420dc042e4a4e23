import {formatDistanceStrict} from 'date-fns';
import {Box, Text} from 'ink';
import type {QueryCost, SourceStatus} from '../sources/source.js';
import {formatBytes, formatCount} from '../text/units.js';
import {fit} from './text.js';

export interface StatusBarProps {
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
	/** Milliseconds since the epoch. */
	readonly now: number;
	readonly width: number;
}

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

/** Throughput, what the window holds, what went wrong, and what the queries cost. */
export function StatusBar({recordsPerSecond, inWindow, malformed, summarized, source, cost, pricePerGb, notice, now, width}: StatusBarProps) {
	const parts = [
		`${formatCount(recordsPerSecond)} rec/s`,
		`${formatCount(inWindow)} in window`,
		...(malformed > 0 ? [`${formatCount(malformed)} malformed`] : []),
		...(summarized > 0 ? [`${formatCount(summarized)} summarized (memory bound)`] : []),
		...(cost ? [`scanned ${formatBytes(cost.bytesScanned)} ≈ $${((cost.bytesScanned / 1e9) * pricePerGb).toFixed(4)}${cost.bytesReceived > 0 ? ` (${(cost.bytesScanned / cost.bytesReceived).toFixed(1)}× received)` : ''}`] : []),
	];
	const state = notice ?? sourceText(source, now);
	const left = `${parts.join(' · ')} · `;
	return (
		<Box width={width}>
			<Text wrap='truncate'>{left}</Text>
			<Text color={state.error ? 'red' : undefined} bold={state.error} wrap='truncate'>{fit(state.text, Math.max(width - left.length, 0))}</Text>
		</Box>
	);
}
