import {appendFileSync} from 'node:fs';

/**
 * `--debug FILE`: one timestamped line of diagnostics. Never fails the run: a debug log that
 * cannot be written is not worth stopping for.
 */
export function debugLine(path: string | undefined, text: string): void {
	if (path) {
		try {
			appendFileSync(path, `${new Date().toISOString()} ${text.endsWith('\n') ? text : `${text}\n`}`);
		} catch {}
	}
}
