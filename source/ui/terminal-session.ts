import ansiEscapes from 'ansi-escapes';
import {safeText} from '../text/safe-text.js';

/** The terminal as the live view leaves it and finds it: where escape codes go. */
export interface Output {
	write(text: string): unknown;
}

/** A raw-mode switch: the keyboard typed into the app, or back to the shell's line editing. */
export interface Keyboard {
	setRawMode?: (raw: boolean) => unknown;
	readonly isTTY?: boolean;
}

/**
 * The crash message, one error per line as the stack gives it, each stripped as the panes are: an
 * error can carry a record's text, and a crafted one must not retitle the window on the way out.
 */
export function crashReport(error: unknown): string {
	const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
	return `flowtop: unexpected error, please report it: ${text
		.split('\n')
		.map(line => safeText(line))
		.join('\n')}\n`;
}

/**
 * The full-screen session, htop's way: the alternate screen while it runs, so the shell's
 * scrollback survives; on the way out, on a crash and on ctrl-z, the shell's screen and cursor come
 * back before anything else is written.
 */
export class TerminalSession {
	private active = false;

	constructor(
		private readonly out: Output,
		private keyboard: Keyboard,
	) {}

	/**
	 * Keys come from another stream than the one the session opened with: with `--file -` the
	 * records take standard input and the keys the terminal itself, whose raw mode ctrl-z, fg and a
	 * crash must switch.
	 */
	keysFrom(keyboard: Keyboard): void {
		this.keyboard = keyboard;
	}

	/**
	 * Raw mode again while the session holds the terminal. A program piped in that shares it (a Node
	 * script whose standard error is the terminal, say) puts back the line editing it found when it
	 * ends, under the live view: keys would then wait for enter, and q would seem not to quit.
	 */
	keepRaw(): void {
		if (this.active && this.keyboard.isTTY) {
			// Off, then on: libuv skips a switch to the mode it believes the terminal is already in.
			this.keyboard.setRawMode?.(false);
			this.keyboard.setRawMode?.(true);
		}
	}

	enter(): void {
		this.active = true;
		this.out.write(ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorTo(0, 0));
	}

	leave(): void {
		if (this.active) {
			this.active = false;
			this.out.write(ansiEscapes.exitAlternativeScreen + ansiEscapes.cursorShow);
		}
	}

	/** Restore the shell's terminal, then say what went wrong. */
	crash(error: unknown, err: Output): void {
		this.leave();
		if (this.keyboard.isTTY) {
			this.keyboard.setRawMode?.(false);
		}

		err.write(crashReport(error));
	}

	/** ctrl-z: hand the terminal back as the shell had it. */
	suspend(): void {
		this.leave();
		if (this.keyboard.isTTY) {
			this.keyboard.setRawMode?.(false);
		}
	}

	/** fg: take it again; the caller redraws the whole frame. */
	resume(): string {
		this.active = true;
		if (this.keyboard.isTTY) {
			this.keyboard.setRawMode?.(true);
		}

		return ansiEscapes.enterAlternativeScreen + ansiEscapes.cursorHide;
	}
}

/**
 * The session on this process's terminal, opened before the app's modules load: raw mode and the
 * alternate screen from the first moment, so a key typed while loading is not echoed to the shell.
 */
export function openSession(): TerminalSession {
	const session = new TerminalSession(process.stdout, process.stdin);
	if (process.stdout.isTTY) {
		session.enter();
		if (process.stdin.isTTY) {
			process.stdin.setRawMode(true);
		}
	}

	return session;
}
