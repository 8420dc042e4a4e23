import {Box, Text, useInput} from 'ink';
import {useReducer, useRef} from 'react';
import {fit} from './text.js';

export interface TextPromptProps {
	readonly label: string;
	readonly initial: string;
	readonly placeholder: string;
	readonly width: number;
	readonly onSubmit: (text: string) => void;
}

/**
 * A one-line input in the footer: the filter (`/`) and CIDR (`c`) prompts. The text lives in a
 * ref, not in props, because a paste (or keys typed faster than a frame) arrives as several
 * keystrokes in one chunk, and every one of them must land on the text the previous one left.
 * Enter submits, backspace deletes, ctrl-u clears; esc is the app's.
 */
export function TextPrompt({label, initial, placeholder, width, onSubmit}: TextPromptProps) {
	const text = useRef(initial);
	const [, redraw] = useReducer((count: number) => count + 1, 0);
	useInput((input, key) => {
		if (key.return) {
			onSubmit(text.current);
			return;
		}

		if (key.backspace || key.delete) {
			text.current = text.current.slice(0, -1);
		} else if (key.ctrl && input === 'u') {
			text.current = '';
		} else if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) {
			return;
		} else {
			for (const character of input) {
				if (character === '\r' || character === '\n') {
					onSubmit(text.current);
					return;
				}

				if (character === '\u007F' || character === '\b') {
					text.current = text.current.slice(0, -1);
				} else if (character >= ' ') {
					text.current += character;
				}
			}
		}

		redraw();
	});
	const prefix = `${label} › `;
	const room = Math.max(width - prefix.length - 1, 1);
	const shown = [...text.current].slice(-room).join('');
	return (
		<Box width={width}>
			<Text bold color='cyan'>{prefix}</Text>
			{text.current === ''
				? <><Text inverse> </Text><Text dimColor>{fit(placeholder, room - 1)}</Text></>
				: <><Text>{shown}</Text><Text inverse> </Text></>}
		</Box>
	);
}
