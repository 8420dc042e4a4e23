import {Text} from 'ink';
import {bindingsFor} from './keymap.js';
import {fit} from './text.js';

/** The footer: the everyday keys, from the keymap, as many as fit. */
export function KeyHints({width, demo}: {readonly width: number; readonly demo: boolean}) {
	let line = '';
	// The demo's own key first: it is why someone started the demo.
	const bindings = bindingsFor(demo).sort((a, b) => Number(b.demoOnly ?? false) - Number(a.demoOnly ?? false));
	for (const binding of bindings) {
		if (!binding.hint) {
			continue;
		}

		const hint = `${binding.label.split(' ')[0]} ${binding.hint}`;
		if (line.length + hint.length + 2 > width) {
			break;
		}

		line += line ? `  ${hint}` : hint;
	}

	return <Text dimColor wrap='truncate'>{fit(line, width)}</Text>;
}
