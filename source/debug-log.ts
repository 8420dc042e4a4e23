import {appendFileSync} from 'node:fs';
import {UserError} from './errors.js';

function stamped(text: string): string {
	return `${new Date().toISOString()} ${text.endsWith('\n') ? text : `${text}\n`}`;
}

/**
 * `--debug FILE`: one timestamped line of diagnostics. Never fails the run: a debug log that
 * cannot be written is not worth stopping for, once startDebugLog has shown it can be.
 */
export function debugLine(path: string | undefined, text: string): void {
	if (path) {
		try {
			appendFileSync(path, stamped(text));
		} catch {}
	}
}

/** `--debug FILE` as a function of one line, for what writes many (the poller); undefined without the flag. */
export function debugWriter(path: string | undefined): ((text: string) => void) | undefined {
	return path === undefined ? undefined : text => debugLine(path, text);
}

/** Create (or append to) the debug log before the run starts, so a path that cannot be written is said at once. */
export function startDebugLog(path: string | undefined, text: string): void {
	if (path) {
		try {
			appendFileSync(path, stamped(text));
		} catch (error) {
			throw new UserError(
				`cannot write the debug log ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
			);
		}
	}
}

/**
 * Process warnings (a dependency's deprecation, an unsupported runtime) go to the debug log, or
 * nowhere, instead of stderr, where a script reading flowtop's notes would take them for its own.
 * Returns the function that puts the usual behaviour back.
 */
export function warningsToDebugLog(path: string | undefined): () => void {
	const emitWarning = process.emitWarning.bind(process);
	process.emitWarning = ((warning: string | Error) => {
		debugLine(path, `warning: ${typeof warning === 'string' ? warning : warning.message}`);
	}) as typeof process.emitWarning;
	return () => {
		process.emitWarning = emitWarning;
	};
}
