import {writeFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {format} from 'date-fns';
import type {Report} from '../report.js';

/** Write the `--once --json` document of what is on screen; returns the path as a person would type it. */
export function writeSnapshot(report: Report, directory: string, now: number): string {
	const path = join(directory, `flowtop-snapshot-${format(now, 'yyyyMMdd-HHmmss')}.json`);
	writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`, {flag: 'wx'});
	const shown = relative(process.cwd(), path);
	return shown.startsWith('..') ? path : `./${shown}`;
}
