import {Box, Text} from 'ink';
import type {Line} from './line-editor.js';
import {fit} from './text.js';

export interface TextPromptProps {
	readonly label: string;
	readonly placeholder: string;
	readonly line: Line;
	readonly width: number;
}

/** A one-line input in the footer (the filter `/` and address `c` prompts), its cursor shown inverse. */
export function TextPrompt({label, placeholder, line, width}: TextPromptProps) {
	const prefix = `${label} › `;
	const room = Math.max(width - prefix.length - 1, 1);
	const points = [...line.text];
	// Scrolled just enough to keep the cursor in view.
	const first = Math.max(line.cursor + 1 - room, 0);
	const before = points.slice(first, line.cursor).join('');
	const under = points[line.cursor] ?? ' ';
	const after = points.slice(line.cursor + 1, first + room).join('');
	return (
		<Box width={width}>
			<Text bold color="cyan">
				{prefix}
			</Text>
			{line.text === '' ? (
				<>
					<Text inverse> </Text>
					<Text dimColor>{fit(placeholder, room - 1)}</Text>
				</>
			) : (
				<>
					<Text>{before}</Text>
					<Text inverse>{under}</Text>
					<Text>{after}</Text>
				</>
			)}
		</Box>
	);
}
