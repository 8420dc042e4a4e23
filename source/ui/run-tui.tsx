import {openSync} from 'node:fs';
import {ReadStream} from 'node:tty';
import {render} from 'ink';
import {debugLine} from '../debug-log.js';
import {usageError} from '../errors.js';
import {App, type AppProps} from './app.js';

export interface TuiOptions extends Pick<AppProps, 'store' | 'source' | 'initial' | 'diagnosis' | 'pricePerGb' | 'demo' | 'snapshotDirectory'> {
	/** `--debug FILE`: where stray stderr output and warnings go instead of the screen. */
	readonly debugLog?: string;
	/** Keys come from the terminal even when standard input carries the records (`--file -`). */
	readonly keysFromTerminal?: boolean;
}

const ENTER_ALTERNATE_SCREEN = '\u001B[?1049h\u001B[H';
const LEAVE_ALTERNATE_SCREEN = '\u001B[?1049l';
const SHOW_CURSOR = '\u001B[?25h';

/**
 * Nothing but the app may draw while it runs: a dependency's warning on stderr would tear the
 * frame. Until the returned function is called, stderr and process warnings go to the debug log
 * (or nowhere), and the last line is kept for the crash message.
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
		chunk === SHOW_CURSOR ? true : write(chunk, ...(rest as []))) as typeof process.stderr.write;
}

/** The live view, full screen in the alternate buffer like htop; the shell's scrollback survives. */
export async function runTui(options: TuiOptions): Promise<void> {
	if (!process.stdout.isTTY) {
		throw usageError('the live view needs a terminal: add --once (and --json) to print a report instead');
	}

	const {debugLog, keysFromTerminal, ...app} = options;
	let stdin: NodeJS.ReadStream = process.stdin;
	if (keysFromTerminal || !process.stdin.isTTY) {
		try {
			stdin = new ReadStream(openSync('/dev/tty', 'r')) as unknown as NodeJS.ReadStream;
		} catch {
			throw usageError('the live view reads keys from the terminal, and there is none: add --once to print a report instead');
		}
	}

	const restoreStderr = captureStderr(debugLog);
	let restored = false;
	const restore = () => {
		if (!restored) {
			restored = true;
			process.stdout.write(LEAVE_ALTERNATE_SCREEN + SHOW_CURSOR);
			restoreStderr();
			dropExitCursorOnRedirectedStderr();
		}
	};

	process.stdout.write(ENTER_ALTERNATE_SCREEN);
	const instance = render(
		<App {...app}/>,
		{stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 10, incrementalRendering: true},
	);
	const quit = () => {
		instance.unmount();
	};

	const crash = (error: unknown) => {
		instance.unmount();
		restore();
		process.stderr.write(`flowtop: unexpected error, please report it: ${(error as Error).stack ?? String(error)}\n`);
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
			stdin.destroy();
		}
	}
}
