import {Box, Text, useInput} from 'ink';
import {useReducer, useRef} from 'react';
import {fit} from './text.js';

export interface PickerItem {
	readonly key: string;
	readonly text: string;
	/** What typing matches against. */
	readonly search: string;
}

export interface ListPickerProps {
	readonly title: string;
	readonly items: readonly PickerItem[];
	readonly header?: string;
	readonly width: number;
	readonly height: number;
	readonly onPick: (key: string) => void;
	readonly onCancel: () => void;
}

function matching(items: readonly PickerItem[], query: string): PickerItem[] {
	const lower = query.toLowerCase();
	return items.filter(item => item.search.toLowerCase().includes(lower));
}

/**
 * A list to choose from, narrowed by typing: the ENI picker, the demo's scenario switch, the log
 * group picker. Arrows or j/k move, enter picks, esc closes, backspace widens again. The query
 * and the selection live in refs: typed text and enter often arrive together (a paste, tmux,
 * a fast typist), and enter must pick from the list the text just narrowed.
 */
export function ListPicker({title, items, header, width, height, onPick, onCancel}: ListPickerProps) {
	const query = useRef('');
	const selected = useRef(0);
	const [, redraw] = useReducer((count: number) => count + 1, 0);
	useInput((input, key) => {
		const shown = () => matching(items, query.current);
		const move = (step: number) => {
			selected.current = Math.min(Math.max(selected.current + step, 0), Math.max(shown().length - 1, 0));
		};

		if (key.escape) {
			onCancel();
			return;
		}

		if (key.return) {
			const item = shown()[selected.current];
			if (item) {
				onPick(item.key);
			}

			return;
		}

		if (key.upArrow) {
			move(-1);
		} else if (key.downArrow) {
			move(1);
		} else if (key.backspace || key.delete) {
			query.current = query.current.slice(0, -1);
			selected.current = 0;
		} else if (!key.ctrl && !key.meta) {
			for (const character of input) {
				if (character === '\r') {
					const item = shown()[selected.current];
					if (item) {
						onPick(item.key);
					}

					return;
				}

				if ((character === 'k' || character === 'j') && query.current === '') {
					move(character === 'k' ? -1 : 1);
				} else if (/^[\w.:/-]$/.test(character)) {
					query.current += character;
					selected.current = 0;
				}
			}
		}

		redraw();
	});
	const shown = matching(items, query.current);
	const chosen = Math.min(selected.current, Math.max(shown.length - 1, 0));
	const space = Math.max(height - 2 - (header ? 1 : 0), 1);
	const first = Math.min(Math.max(chosen - space + 1, 0), Math.max(shown.length - space, 0));
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Text bold inverse>{fit(` ${title}  (type to narrow, enter picks, esc closes)`, width)}</Text>
			<Text color='cyan'>{fit(`  › ${query.current}`, width)}</Text>
			{header && <Text dimColor>{`  ${fit(header, width - 2)}`}</Text>}
			{shown.length === 0
				? <Text dimColor>{fit('  nothing matches', width)}</Text>
				: shown.slice(first, first + space).map((item, index) => {
					const isSelected = first + index === chosen;
					return <Text key={item.key} inverse={isSelected} wrap='truncate'>{`${isSelected ? '›' : ' '} ${fit(item.text, width - 2)}`}</Text>;
				})}
		</Box>
	);
}
