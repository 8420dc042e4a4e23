import {writeFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {format} from 'date-fns';
import type {Report} from '../report.js';
import {jsonText} from '../text/json-text.js';

/**
 * Write the `--once --json` document of what is on screen; returns its full path, to paste
 * anywhere. Two in the same second get `-2`, `-3`: a snapshot never replaces another. The JSON is
 * the --once --json document's, C1 controls escaped, so `cat`ing it cannot steer the terminal.
 */
export function writeSnapshot(report: Report, directory: string, now: number): string {
	const stem = resolve(directory, `flowtop-snapshot-${format(now, 'yyyyMMdd-HHmmss')}`);
	for (let attempt = 1; ; attempt++) {
		const path = `${stem}${attempt === 1 ? '' : `-${attempt}`}.json`;
		try {
			writeFileSync(path, `${jsonText(report, 2)}\n`, {flag: 'wx'});
			return path;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw error;
			}
		}
	}
}
