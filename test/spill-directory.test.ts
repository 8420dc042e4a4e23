import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {SpillDirectory} from '../source/spill-directory.js';

const module = new URL('../source/spill-directory.ts', import.meta.url).pathname;
const made: string[] = [];

function scratch(): string {
	const directory = mkdtempSync(join(tmpdir(), 'flowtop-spill-home-'));
	made.push(directory);
	return directory;
}

afterEach(() => {
	for (const directory of made.splice(0)) {
		rmSync(directory, {recursive: true, force: true});
	}
});

/** A process that makes a spill directory under `home`, says where, and waits to be stopped. */
async function holder(home: string): Promise<{child: ReturnType<typeof spawn>; path: string}> {
	const script = join(home, 'hold.ts');
	writeFileSync(
		script,
		`import {SpillDirectory} from ${JSON.stringify(module)};\nconsole.log(new SpillDirectory().path);\nsetInterval(() => {}, 1000);\n`,
	);
	const child = spawn('node', ['--import', 'tsx', script], {env: {...process.env, TMPDIR: home}});
	const [line] = (await once(child.stdout!, 'data')) as [Buffer];
	return {child, path: line.toString().trim()};
}

describe('the directory --once spills summarized sums to', () => {
	it('is made under TMPDIR only when first asked for, and removed when the run is done with it', () => {
		const home = scratch();
		const previous = process.env.TMPDIR;
		process.env.TMPDIR = home;
		try {
			const spill = new SpillDirectory();
			expect(readdirSync(home)).toEqual([]);
			const {path} = spill;
			expect(path.startsWith(join(home, 'flowtop-spill-'))).toBe(true);
			writeFileSync(join(path, 'sums'), 'x');
			spill.remove();
			expect(readdirSync(home)).toEqual([]);
		} finally {
			if (previous === undefined) {
				delete process.env.TMPDIR;
			} else {
				process.env.TMPDIR = previous;
			}
		}
	});

	it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
		'is removed when %s stops the run, which still ends by that signal',
		async signal => {
			const home = scratch();
			const {child, path} = await holder(home);
			expect(existsSync(path)).toBe(true);
			child.kill(signal);
			const [, ended] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
			expect(ended).toBe(signal);
			expect(existsSync(path)).toBe(false);
		},
	);
});
