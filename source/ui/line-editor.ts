import type {Keystroke} from './keystrokes.js';

/**
 * The one-line editor of the filter and address prompts, with the readline keys a shell user's
 * fingers know: arrows, home/end (ctrl-a/ctrl-e), ctrl-u and ctrl-k to cut before and after the
 * cursor, ctrl-w a word back, and ↑/↓ through earlier entries. Pure: a keystroke in, a line out.
 * (ink-text-input and @inkjs/ui's TextInput know neither ctrl-u/ctrl-w nor history.)
 */

export interface Line {
	readonly text: string;
	/** Code points before the cursor. */
	readonly cursor: number;
	/** Earlier entries, oldest first. */
	readonly history: readonly string[];
	/** Which entry ↑ shows, counted back from the newest; undefined while editing a line of one's own. */
	readonly recalled: number | undefined;
	/** The line being typed when ↑ was first pressed, for ↓ to come back to. */
	readonly draft: string;
}

export function line(text: string, history: readonly string[] = []): Line {
	return {text, cursor: [...text].length, history, recalled: undefined, draft: text};
}

/** `points` with `count` removed at `start` and `insert` put there. */
function splice(points: readonly string[], start: number, count: number, insert: readonly string[] = []): string[] {
	return [...points.slice(0, start), ...insert, ...points.slice(start + count)];
}

function replaced(state: Line, points: readonly string[], cursor: number): Line {
	return {...state, text: points.join(''), cursor: Math.min(Math.max(cursor, 0), points.length), recalled: undefined};
}

/** Where ctrl-w cuts back to: the start of the word before the cursor, spaces after it included. */
function wordStart(points: readonly string[], cursor: number): number {
	let index = cursor;
	while (index > 0 && points[index - 1] === ' ') {
		index--;
	}

	while (index > 0 && points[index - 1] !== ' ') {
		index--;
	}

	return index;
}

function recall(state: Line, recalled: number | undefined): Line {
	const text = recalled === undefined ? state.draft : state.history[state.history.length - 1 - recalled]!;
	return {
		...state,
		text,
		cursor: [...text].length,
		recalled,
		draft: state.recalled === undefined ? state.text : state.draft,
	};
}

/** The line after one keystroke; enter and esc are the prompt's to handle, not the line's. */
export function edit(state: Line, {input, key}: Keystroke): Line {
	const points = [...state.text];
	const {cursor} = state;
	if (key.leftArrow || (key.ctrl && input === 'b')) {
		return {...state, cursor: Math.max(cursor - 1, 0)};
	}

	if (key.rightArrow || (key.ctrl && input === 'f')) {
		return {...state, cursor: Math.min(cursor + 1, points.length)};
	}

	if (key.home || (key.ctrl && input === 'a')) {
		return {...state, cursor: 0};
	}

	if (key.end || (key.ctrl && input === 'e')) {
		return {...state, cursor: points.length};
	}

	if (key.backspace || (key.ctrl && input === 'h')) {
		return cursor === 0 ? state : replaced(state, splice(points, cursor - 1, 1), cursor - 1);
	}

	if (key.delete || (key.ctrl && input === 'd')) {
		return replaced(state, splice(points, cursor, 1), cursor);
	}

	if (key.ctrl && input === 'u') {
		return replaced(state, points.slice(cursor), 0);
	}

	if (key.ctrl && input === 'k') {
		return replaced(state, points.slice(0, cursor), cursor);
	}

	if (key.ctrl && input === 'w') {
		const start = wordStart(points, cursor);
		return replaced(state, splice(points, start, cursor - start), start);
	}

	if (key.upArrow) {
		const next = (state.recalled ?? -1) + 1;
		return next < state.history.length ? recall(state, next) : state;
	}

	if (key.downArrow) {
		return state.recalled === undefined ? state : recall(state, state.recalled === 0 ? undefined : state.recalled - 1);
	}

	if (key.ctrl || key.meta || input === '' || key.tab || key.return || key.escape) {
		return state;
	}

	return replaced(state, splice(points, cursor, 0, [input]), cursor + 1);
}
