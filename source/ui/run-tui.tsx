import {openSync} from 'node:fs';
import {ReadStream} from 'node:tty';
import {render, useStdout} from 'ink';
import {useEffect, type ReactNode} from 'react';
import {debugLine} from '../debug-log.js';
import {usageError} from '../errors.js';
import {App, type AppProps} from './app.js';
import {TerminalSession} from './terminal-session.js';

export interface TuiOptions
	extends Pick<AppProps, 'store' | 'source' | 'initial' | 'diagnosis' | 'pricePerGb' | 'demo' | 'snapshotDirectory'> {
	/** `--debug FILE`: where stray stderr output and warnings go instead of the screen. */
	readonly debugLog?: string | undefined;
	/** Keys come from the terminal even when standard input carries the records (`--file -`). */
	readonly keysFromTerminal?: boolean;
	/** The session runLive opened as early as it could, so keys typed while loading are not echoed. */
	readonly session?: TerminalSession;
}

/**
 * Nothing but the app may draw while it runs: a dependency's warning on stderr would tear the
 * frame. Until the returned function is called, stderr and process warnings go to the debug log
 * (or nowhere).
 */
function captureStderr(debugLog: string | undefined): () => void {
	const write = process.stderr.write.bind(process.stderr);
	const emitWarning = process.emitWarning.bind(process);
	const log = (text: string) => {
		debugLine(debugLog, text);
	};

	process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
		log(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
		const callback = rest.find(argument => typeof argument === 'function') as (() => void) | undefined;
		callback?.();
		return true;
	}) as typeof process.stderr.write;
	process.emitWarning = ((warning: string | Error) => {
		log(`warning: ${typeof warning === 'string' ? warning : warning.message}`);
	}) as typeof process.emitWarning;
	return () => {
		process.stderr.write = write;
		process.emitWarning = emitWarning;
	};
}

/**
 * Ink hides the cursor through cli-cursor, whose exit hook writes show-cursor to stderr whatever
 * stderr is. We show the cursor on stdout ourselves; a stderr redirected to a file or pipe must
 * stay empty on a clean quit, so that one sequence is dropped there.
 */
function dropExitCursorOnRedirectedStderr(): void {
	if (process.stderr.isTTY) {
		return;
	}

	const write = process.stderr.write.bind(process.stderr);
	process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
		chunk === '\u001B[?25h' ? true : write(chunk, ...(rest as []))) as typeof process.stderr.write;
}

/**
 * ctrl-z and `fg`, as htop does: on SIGTSTP the shell gets its screen and line editing back before
 * the process stops; on SIGCONT the alternate screen returns and the whole frame is drawn again
 * (Ink redraws its last frame in full after anything written through useStdout).
 */
function JobControl({session, children}: {readonly session: TerminalSession; readonly children: ReactNode}) {
	const {write} = useStdout();
	useEffect(() => {
		const stop = () => {
			session.suspend();
			process.kill(process.pid, 'SIGSTOP');
		};

		const resume = () => {
			write(session.resume());
		};

		process.on('SIGTSTP', stop);
		process.on('SIGCONT', resume);
		return () => {
			process.off('SIGTSTP', stop);
			process.off('SIGCONT', resume);
		};
	}, [session, write]);
	return children;
}

/** The live view, full screen in the alternate buffer like htop; the shell's scrollback survives. */
export async function runTui(options: TuiOptions): Promise<void> {
	const {debugLog, keysFromTerminal, session: opened, ...app} = options;
	if (!process.stdout.isTTY) {
		throw usageError('the live view needs a terminal: add --once (and --json) to print a report instead');
	}

	let stdin: NodeJS.ReadStream = process.stdin;
	if (keysFromTerminal || !process.stdin.isTTY) {
		try {
			stdin = new ReadStream(openSync('/dev/tty', 'r')) as unknown as NodeJS.ReadStream;
		} catch {
			opened?.suspend();
			throw usageError(
				'the live view reads keys from the terminal, and there is none: add --once to print a report instead',
			);
		}
	}

	const session = opened ?? new TerminalSession(process.stdout, stdin);
	session.keysFrom(stdin);
	// Where standard input is the records, its end is when a program piped in ends, maybe resetting the terminal.
	const onRecordsEnd = () => {
		session.keepRaw();
	};

	if (stdin !== process.stdin) {
		process.stdin.once('end', onRecordsEnd);
	}

	const restoreStderr = captureStderr(debugLog);
	let restored = false;
	const restore = () => {
		if (!restored) {
			restored = true;
			session.leave();
			restoreStderr();
			dropExitCursorOnRedirectedStderr();
		}
	};

	if (!opened) {
		session.enter();
	}

	const instance = render(
		<JobControl session={session}>
			<App {...app} />
		</JobControl>,
		{stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 10, incrementalRendering: true},
	);
	const quit = () => {
		instance.unmount();
	};

	const crash = (error: unknown) => {
		// The terminal comes back whatever state the broken tree is in.
		try {
			instance.unmount();
		} catch {}

		restoreStderr();
		session.crash(error, process.stderr);
		process.exit(1);
	};

	process.on('SIGTERM', quit);
	process.on('SIGHUP', quit);
	process.on('SIGINT', quit);
	process.on('uncaughtException', crash);
	process.on('unhandledRejection', crash);
	try {
		await instance.waitUntilExit();
		await options.source.stop();
	} finally {
		process.off('SIGTERM', quit);
		process.off('SIGHUP', quit);
		process.off('SIGINT', quit);
		process.off('uncaughtException', crash);
		process.off('unhandledRejection', crash);
		restore();
		if (stdin !== process.stdin) {
			process.stdin.off('end', onRecordsEnd);
			stdin.destroy();
		}
	}
}
