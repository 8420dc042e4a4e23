import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {UserError} from './errors.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The temporary directory a `--once` run spills summarized sums to (FoldedSpill): made under the
 * system's temporary directory (TMPDIR) on first use, and removed when the run is done with it or
 * ends another way: on exit, and on SIGINT, SIGTERM or SIGHUP, after which the signal is raised
 * again so the process ends as it would have without a directory to remove.
 */
export class SpillDirectory {
	private made: string | undefined;
	private readonly onExit = () => {
		this.remove();
	};

	private readonly onSignal = (signal: NodeJS.Signals) => {
		this.remove();
		process.kill(process.pid, signal);
	};

	get path(): string {
		if (this.made === undefined) {
			try {
				this.made = mkdtempSync(join(tmpdir(), 'flowtop-spill-'));
			} catch (error) {
				throw new UserError(
					`cannot make a directory in ${tmpdir()}: ${(error as Error).message}. Past the memory bound flowtop keeps the sums it summarized on disk; set TMPDIR to a directory it can write`,
				);
			}

			process.once('exit', this.onExit);
			for (const signal of SIGNALS) {
				process.once(signal, this.onSignal);
			}
		}

		return this.made;
	}

	remove(): void {
		if (this.made === undefined) {
			return;
		}

		rmSync(this.made, {recursive: true, force: true});
		this.made = undefined;
		process.off('exit', this.onExit);
		for (const signal of SIGNALS) {
			process.off(signal, this.onSignal);
		}
	}
}
