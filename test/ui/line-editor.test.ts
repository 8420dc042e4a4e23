import {describe, expect, it} from 'vitest';
import {keystrokes} from '../../source/ui/keystrokes.js';
import {edit, line, type Line} from '../../source/ui/line-editor.js';

/** The line after typing `chunk` (raw terminal bytes, as a person or tmux would send them). */
function type(state: Line, chunk: string): Line {
	return keystrokes(chunk).reduce((current, stroke) => edit(current, stroke), state);
}

/** The text with a | where the cursor is. */
function shown(state: Line): string {
	const points = [...state.text];
	return `${points.slice(0, state.cursor).join('')}|${points.slice(state.cursor).join('')}`;
}

const LEFT = '\u001B[D';
const RIGHT = '\u001B[C';
const UP = '\u001B[A';
const DOWN = '\u001B[B';

describe('the line editor', () => {
	it('types where the cursor is: after the prefilled filter, and inside it after ← or home', () => {
		expect(shown(type(line('reject'), ' 10.0.0.0/16'))).toBe('reject 10.0.0.0/16|');
		expect(shown(type(line('port:22'), `${LEFT}${LEFT}4`))).toBe('port:4|22');
		expect(shown(type(line('tcp'), '\u001B[Hudp '))).toBe('udp |tcp');
		expect(shown(type(line('tcp'), '\u001B[H\u001B[Fx'))).toBe('tcpx|');
		expect(shown(type(line('tcp'), `\u0001${RIGHT}\u0005`))).toBe('tcp|');
	});

	it('ctrl-u cuts before the cursor, ctrl-k after it, ctrl-w a word back', () => {
		expect(shown(type(line('eni-0abc reject'), '\u0015'))).toBe('|');
		expect(shown(type(line('eni-0abc reject'), `${LEFT.repeat(6)}\u0015`))).toBe('|reject');
		expect(shown(type(line('eni-0abc reject'), `${LEFT.repeat(6)}\u000B`))).toBe('eni-0abc |');
		expect(shown(type(line('eni-0abc reject  '), '\u0017'))).toBe('eni-0abc |');
		expect(shown(type(line('eni-0abc reject'), '\u0017\u0017'))).toBe('|');
	});

	it('backspace and delete remove one character on their side of the cursor', () => {
		expect(shown(type(line('10.0.0.1'), '\u007F'))).toBe('10.0.0.|');
		expect(shown(type(line('10.0.0.1'), `${LEFT}${LEFT}\u001B[3~`))).toBe('10.0.0|1');
		expect(shown(type(line(''), '\u007F\u001B[3~'))).toBe('|');
	});

	it('↑ recalls earlier entries, newest first, and ↓ comes back to the line being typed', () => {
		const start = line('tc', ['reject', 'port:22']);
		expect(shown(type(start, UP))).toBe('port:22|');
		expect(shown(type(start, UP + UP))).toBe('reject|');
		expect(shown(type(start, UP + UP + UP))).toBe('reject|');
		expect(shown(type(start, UP + UP + DOWN))).toBe('port:22|');
		expect(shown(type(start, UP + DOWN))).toBe('tc|');
		expect(shown(type(start, `${UP} tcp`))).toBe('port:22 tcp|');
	});

	it('never types a control character or an unknown escape sequence', () => {
		expect(type(line(''), 'a\u001B[15~\u0007b\u001B[1;5Pc').text).toBe('abc');
	});
});

describe('keystrokes', () => {
	it('splits a chunk into the keys Ink would have reported one by one', () => {
		expect(
			keystrokes('/a\r').map(stroke => stroke.input || Object.entries(stroke.key).find(([, on]) => on)?.[0]),
		).toEqual(['/', 'a', 'return']);
		expect(
			keystrokes('\u001B[A\u001B[B\t\u001B[Z').map(stroke =>
				Object.entries(stroke.key)
					.filter(([, on]) => on)
					.map(([name]) => name)
					.join('+'),
			),
		).toEqual(['upArrow', 'downArrow', 'tab', 'shift+tab']);
		expect(keystrokes('\u001B')[0]!.key.escape).toBe(true);
		expect(keystrokes('\u0003')[0]).toMatchObject({input: 'c', key: {ctrl: true}});
		expect(keystrokes('S')[0]).toMatchObject({input: 'S', key: {shift: true}});
	});
});
