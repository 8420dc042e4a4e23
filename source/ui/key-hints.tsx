import {Text} from 'ink';
import {bindingsFor, type Binding, type KeyContext} from './keymap.js';
import {fit} from './text.js';

// Whatever the width, these end the footer: a newcomer must always see how to get help and out.
const ALWAYS: ReadonlySet<string> = new Set(['help', 'quit']);

function hintOf(binding: Binding): string {
	return `${binding.label.split(' ')[0]} ${binding.hint}`;
}

/** The footer line: the everyday keys, from the keymap, as many as fit, then help and quit. */
export function keyHintLine(width: number, context: KeyContext): string {
	const hinted = bindingsFor(context).filter(binding => binding.hint !== undefined);
	const last = hinted
		.filter(binding => ALWAYS.has(binding.command))
		.map(binding => hintOf(binding))
		.join('  ');
	// The demo's own key first: it is why someone started the demo.
	const others = hinted
		.filter(binding => !ALWAYS.has(binding.command))
		.sort((a, b) => Number(b.only === 'demo') - Number(a.only === 'demo'));
	let line = '';
	for (const binding of others) {
		const hint = hintOf(binding);
		if (line.length + hint.length + 2 + last.length + 2 > width) {
			break;
		}

		line += `${hint}  `;
	}

	return fit(line + last, width);
}

export function KeyHints({width, context}: {readonly width: number; readonly context: KeyContext}) {
	return (
		<Text dimColor wrap="truncate">
			{keyHintLine(width, context)}
		</Text>
	);
}
