import type {Key} from 'ink';

/**
 * A chunk read from the terminal, as the keystrokes it holds. Keys typed faster than a frame, a
 * paste, or tmux's send-keys arrive together ("/10.0.0.0/8\r", two arrow keys); the app, the
 * prompts and the pickers all take them from here, one at a time, so none of them parses a chunk.
 */

export interface Keystroke {
	/** The character typed; for ctrl combinations the letter; empty for named keys. */
	readonly input: string;
	readonly key: Key;
}

const NO_KEY: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
};

type Named =
	| 'upArrow'
	| 'downArrow'
	| 'leftArrow'
	| 'rightArrow'
	| 'pageDown'
	| 'pageUp'
	| 'home'
	| 'end'
	| 'return'
	| 'escape'
	| 'tab'
	| 'backspace'
	| 'delete';

function named(name: Named, extra: Partial<Key> = {}): Keystroke {
	return {input: '', key: {...NO_KEY, [name]: true, ...extra}};
}

// The final byte of an escape sequence (ESC [ 1 ; 5 A), and of the ~ forms (ESC [ 5 ~).
const CSI_FINAL: Readonly<Record<string, Named>> = {
	A: 'upArrow',
	B: 'downArrow',
	C: 'rightArrow',
	D: 'leftArrow',
	H: 'home',
	F: 'end',
};
const TILDE: Readonly<Record<string, Named>> = {
	1: 'home',
	7: 'home',
	4: 'end',
	8: 'end',
	3: 'delete',
	5: 'pageUp',
	6: 'pageDown',
};

/** The escape sequence at `start` (an ESC), and where it ends. */
function escapeAt(chunk: string, start: number): {stroke: Keystroke | undefined; end: number} {
	const next = chunk[start + 1];
	if (next === undefined || next === '\u001B') {
		return {stroke: named('escape'), end: start + 1};
	}

	if (next === '[' || next === 'O') {
		const match = /^[\d;]*[\x40-\x7E]/.exec(chunk.slice(start + 2));
		if (!match) {
			return {stroke: named('escape'), end: start + 1};
		}

		const body = match[0];
		const final = body.at(-1)!;
		const parameters = body.slice(0, -1).split(';');
		const modifier = Number(parameters[1] ?? 1) - 1;
		const modifiers = {shift: (modifier & 1) !== 0, meta: (modifier & 2) !== 0, ctrl: (modifier & 4) !== 0};
		const end = start + 2 + body.length;
		if (final === 'Z') {
			return {stroke: named('tab', {shift: true}), end};
		}

		const name = final === '~' ? TILDE[parameters[0] ?? ''] : CSI_FINAL[final];
		// An unknown sequence (a function key, a focus report) is swallowed whole, never typed as text.
		return {stroke: name === undefined ? undefined : named(name, modifiers), end};
	}

	return {stroke: {input: next, key: {...NO_KEY, meta: true}}, end: start + 2};
}

function single(character: string): Keystroke | undefined {
	switch (character) {
		case '\r':
		case '\n': {
			return named('return');
		}

		case '\t': {
			return named('tab');
		}

		case '\u007F':
		case '\b': {
			return named('backspace');
		}

		default: {
			const code = character.codePointAt(0)!;
			if (code >= 1 && code <= 26) {
				return {input: String.fromCodePoint(code + 96), key: {...NO_KEY, ctrl: true}};
			}

			if (code < 32 || (code >= 0x80 && code < 0xa0)) {
				return undefined;
			}

			return {input: character, key: {...NO_KEY, shift: /^[A-Z]$/.test(character)}};
		}
	}
}

export function keystrokes(chunk: string): Keystroke[] {
	const out: Keystroke[] = [];
	let index = 0;
	while (index < chunk.length) {
		if (chunk[index] === '\u001B') {
			const {stroke, end} = escapeAt(chunk, index);
			if (stroke) {
				out.push(stroke);
			}

			index = end;
			continue;
		}

		const character = String.fromCodePoint(chunk.codePointAt(index)!);
		const stroke = single(character);
		if (stroke) {
			out.push(stroke);
		}

		index += character.length;
	}

	return out;
}
