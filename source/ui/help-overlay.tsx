import {Box, Text} from 'ink';
import {bindingsFor, type KeyContext} from './keymap.js';
import {fit, wrap} from './text.js';

interface HelpLine {
	readonly key: string;
	readonly label: string;
	readonly text: string;
}

/** Every key and what it does, from the keymap; a description wider than the screen goes on. */
export function helpLines(width: number, context: KeyContext): HelpLine[] {
	const bindings = bindingsFor(context);
	const labelWidth = Math.max(...bindings.map(binding => binding.label.length)) + 4;
	return bindings.flatMap(binding =>
		wrap(binding.description, Math.max(width - labelWidth, 10), Number.POSITIVE_INFINITY).map((text, index) => ({
			key: `${binding.command}-${index}`,
			label: fit(index === 0 ? `  ${binding.label}` : '', labelWidth),
			text,
		})),
	);
}

/** `?`: the keys, scrolled from line `top` when they do not all fit. */
export function HelpOverlay({
	width,
	height,
	context,
	top,
}: {
	readonly width: number;
	readonly height: number;
	readonly context: KeyContext;
	readonly top: number;
}) {
	const lines = helpLines(width, context);
	const room = Math.max(height - 1, 1);
	const first = Math.min(Math.max(top, 0), Math.max(lines.length - room, 0));
	const scrolls = lines.length > room;
	const title = scrolls
		? ` Keys  ${first + 1}-${Math.min(first + room, lines.length)} of ${lines.length}, ↑↓ scroll  (esc or ? closes)`
		: ' Keys  (esc or ? closes)';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse>
				{fit(title, width)}
			</Text>
			{lines.slice(first, first + room).map(line => (
				<Text key={line.key} wrap="truncate">
					<Text bold color="cyan">
						{line.label}
					</Text>
					{fit(line.text, Math.max(width - line.label.length, 0))}
				</Text>
			))}
		</Box>
	);
}
