import {Box, Text} from 'ink';
import type {Keystroke} from './keystrokes.js';
import type {PickerState} from './state.js';
import {fit} from './text.js';

export interface PickerItem {
	readonly key: string;
	readonly text: string;
	/** What typing matches against. */
	readonly search: string;
}

export function matching(items: readonly PickerItem[], query: string): PickerItem[] {
	const lower = query.toLowerCase();
	return items.filter(item => item.search.toLowerCase().includes(lower));
}

type Steer =
	| {readonly kind: 'moved'; readonly picker: PickerState}
	| {readonly kind: 'picked'; readonly key: string}
	| {readonly kind: 'cancelled'};

/**
 * A keystroke in a list to choose from: arrows (or j/k before anything is typed) move, typing
 * narrows, backspace widens again, enter picks from the list as the keys before it left it, esc
 * closes. Pure, so the app, the log group picker and a test drive it alike.
 */
export function steer(picker: PickerState, {input, key}: Keystroke, items: readonly PickerItem[]): Steer {
	const shown = matching(items, picker.query);
	const move = (step: number): Steer => ({
		kind: 'moved',
		picker: {...picker, selected: Math.min(Math.max(picker.selected + step, 0), Math.max(shown.length - 1, 0))},
	});
	if (key.escape) {
		return {kind: 'cancelled'};
	}

	if (key.return) {
		const item = shown[Math.min(picker.selected, shown.length - 1)];
		return item ? {kind: 'picked', key: item.key} : {kind: 'moved', picker};
	}

	if (key.upArrow || (input === 'k' && picker.query === '')) {
		return move(-1);
	}

	if (key.downArrow || (input === 'j' && picker.query === '')) {
		return move(1);
	}

	if (key.backspace || key.delete) {
		return {kind: 'moved', picker: {query: [...picker.query].slice(0, -1).join(''), selected: 0}};
	}

	if (!key.ctrl && !key.meta && /^[\w.:/-]$/.test(input)) {
		return {kind: 'moved', picker: {query: picker.query + input, selected: 0}};
	}

	return {kind: 'moved', picker};
}

export interface ListPickerProps {
	readonly title: string;
	readonly items: readonly PickerItem[];
	readonly header?: string | undefined;
	readonly picker: PickerState;
	readonly width: number;
	readonly height: number;
}

/** The ENI picker, the demo's scenario switch, the log group picker: a list narrowed by typing. */
export function ListPicker({title, items, header, picker, width, height}: ListPickerProps) {
	const shown = matching(items, picker.query);
	const chosen = Math.min(picker.selected, Math.max(shown.length - 1, 0));
	const space = Math.max(height - 2 - (header ? 1 : 0), 1);
	const first = Math.min(Math.max(chosen - space + 1, 0), Math.max(shown.length - space, 0));
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse>
				{fit(` ${title}  (type to narrow, enter picks, esc closes)`, width)}
			</Text>
			<Text color="cyan">{fit(`  › ${picker.query}`, width)}</Text>
			{header && <Text dimColor>{`  ${fit(header, width - 2)}`}</Text>}
			{shown.length === 0 ? (
				<Text dimColor>{fit('  nothing matches', width)}</Text>
			) : (
				shown.slice(first, first + space).map((item, index) => {
					const isSelected = first + index === chosen;
					return (
						<Text
							key={item.key}
							inverse={isSelected}
							wrap="truncate"
						>{`${isSelected ? '›' : ' '} ${fit(item.text, width - 2)}`}</Text>
					);
				})
			)}
		</Box>
	);
}
