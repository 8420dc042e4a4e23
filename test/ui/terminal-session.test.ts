import ansiEscapes from 'ansi-escapes';
import {describe, expect, it} from 'vitest';
import {crashReport, TerminalSession} from '../../source/ui/terminal-session.js';

/** A terminal that records, in order, what is written to its screen and its error stream, and its raw mode. */
function terminal() {
	const log: string[] = [];
	return {
		log,
		out: {write: (text: string) => log.push(`out:${text}`)},
		err: {write: (text: string) => log.push(`err:${text}`)},
		keyboard: {isTTY: true, setRawMode: (raw: boolean) => log.push(`raw:${raw}`)},
	};
}

describe('the terminal session', () => {
	it('a crash gives the shell its screen, cursor and line editing back before it says anything', () => {
		const {log, out, err, keyboard} = terminal();
		const session = new TerminalSession(out, keyboard);
		session.enter();
		session.crash(new Error('boom'), err);
		expect(log[0]).toBe(`out:${ansiEscapes.enterAlternativeScreen}${ansiEscapes.cursorTo(0, 0)}`);
		expect(log.slice(1, 3)).toEqual([`out:${ansiEscapes.exitAlternativeScreen}${ansiEscapes.cursorShow}`, 'raw:false']);
		expect(log[3]).toMatch(/^err:flowtop: unexpected error, please report it: Error: boom\n/);
	});

	it('the crash message cannot retitle the window or clear the screen', () => {
		const report = crashReport(new Error('unknown interface eni-\u001B]0;owned\u0007\u001B[2J'));
		expect(report).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
		expect(report).toContain('eni-?]0;owned??[2J');
	});

	it('ctrl-z leaves the alternate screen and raw mode; fg takes both back, once each way', () => {
		const {log, out, keyboard} = terminal();
		const session = new TerminalSession(out, keyboard);
		session.enter();
		session.suspend();
		session.suspend();
		expect(log.slice(1)).toEqual([
			`out:${ansiEscapes.exitAlternativeScreen}${ansiEscapes.cursorShow}`,
			'raw:false',
			'raw:false',
		]);
		expect(session.resume()).toBe(ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorHide);
		expect(log.at(-1)).toBe('raw:true');
		session.leave();
		expect(log.at(-1)).toBe(`out:${ansiEscapes.exitAlternativeScreen}${ansiEscapes.cursorShow}`);
	});

	it('switches raw mode on the terminal the keys come from, when the records take standard input', () => {
		const {log, out, keyboard} = terminal();
		const pipe = {isTTY: false, setRawMode: (raw: boolean) => log.push(`pipe:${raw}`)};
		const session = new TerminalSession(out, pipe);
		session.enter();
		session.keysFrom(keyboard);
		session.suspend();
		session.resume();
		expect(log.filter(line => !line.startsWith('out:'))).toEqual(['raw:false', 'raw:true']);
	});

	it('takes raw mode again after a program sharing the terminal reset it, but not while suspended', () => {
		const {log, out, keyboard} = terminal();
		const session = new TerminalSession(out, keyboard);
		session.enter();
		session.keepRaw();
		expect(log.slice(1)).toEqual(['raw:false', 'raw:true']);
		session.suspend();
		const before = log.length;
		session.keepRaw();
		expect(log).toHaveLength(before);
	});
});
