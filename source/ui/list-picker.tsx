import {Box, Text, useInput} from 'ink';
import {useState} from 'react';
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

/**
 * A list to choose from, narrowed by typing: the ENI picker and the demo's scenario switch.
 * Arrows or j/k move, enter picks, esc closes, backspace widens again.
 */
export function ListPicker({title, items, header, width, height, onPick, onCancel}: ListPickerProps) {
	const [query, setQuery] = useState('');
	const [selected, setSelected] = useState(0);
	const shown = items.filter(item => item.search.toLowerCase().includes(query.toLowerCase()));
	const chosen = Math.min(selected, Math.max(shown.length - 1, 0));
	useInput((input, key) => {
		if (key.escape) {
			onCancel();
		} else if (key.return) {
			if (shown[chosen]) {
				onPick(shown[chosen].key);
			}
		} else if (key.upArrow || (input === 'k' && query === '')) {
			setSelected(Math.max(chosen - 1, 0));
		} else if (key.downArrow || (input === 'j' && query === '')) {
			setSelected(Math.min(chosen + 1, shown.length - 1));
		} else if (key.backspace || key.delete) {
			setQuery(query.slice(0, -1));
			setSelected(0);
		} else if (input && !key.ctrl && !key.meta && /^[\w.:/-]+$/.test(input)) {
			setQuery(query + input);
			setSelected(0);
		}
	});
	const space = Math.max(height - 2 - (header ? 1 : 0), 1);
	const first = Math.min(Math.max(chosen - space + 1, 0), Math.max(shown.length - space, 0));
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Text bold inverse>{fit(` ${title}  (type to narrow, enter picks, esc closes)`, width)}</Text>
			<Text color='cyan'>{fit(`  › ${query}`, width)}</Text>
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
