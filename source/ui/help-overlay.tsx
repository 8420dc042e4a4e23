import {Box, Text} from 'ink';
import {bindingsFor} from './keymap.js';
import {fit} from './text.js';

/** `?`: every key and what it does, straight from the keymap. */
export function HelpOverlay({width, height, demo}: {readonly width: number; readonly height: number; readonly demo: boolean}) {
	const bindings = bindingsFor(demo);
	const labelWidth = Math.max(...bindings.map(binding => binding.label.length)) + 2;
	return (
		<Box flexDirection='column' width={width} height={height}>
			<Text bold inverse>{fit(' Keys  (esc or ? closes)', width)}</Text>
			{bindings.slice(0, Math.max(height - 1, 0)).map(binding => (
				<Text key={binding.command} wrap='truncate'>
					<Text bold color='cyan'>{fit(`  ${binding.label}`, labelWidth + 2)}</Text>
					{fit(binding.description, Math.max(width - labelWidth - 2, 0))}
				</Text>
			))}
		</Box>
	);
}
