import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {type DemoBackend, startDemoBackend} from '../../source/demo/feed/backend.js';
import {DEMO_LOG_GROUP} from '../../source/demo/feed/feed.js';
import {realTiming} from '../../source/clock.js';
import {hasTmux, TmuxTerminal} from './tmux.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const sample = new URL('../fixtures/small.log', import.meta.url).pathname;

let backend: DemoBackend | undefined;
let terminal: TmuxTerminal | undefined;
const directory = mkdtempSync(join(tmpdir(), 'flowtop-quit-'));

beforeAll(async () => {
	backend = await startDemoBackend({timing: realTiming(), historyMs: 5 * 60_000, seed: 3});
});

afterAll(async () => {
	await backend?.close();
});

afterEach(() => {
	terminal?.close();
	terminal = undefined;
});

type Quit = 'q' | 'ctrl-c' | 'SIGTERM' | 'SIGHUP';

const modes: Record<string, () => string> = {
	demo: () => '--demo',
	file: () => `--file ${sample}`,
	follow: () => `--file ${sample} --follow`,
	'log group': () => `--log-group ${DEMO_LOG_GROUP} --endpoint ${backend!.endpoint.url} --region ${backend!.region}`,
};

/**
 * Runs flowtop in a terminal with stderr to a file and its pid written down, quits it one way, and
 * gives what the shell saw of its exit and what it wrote to stderr.
 */
async function quit(mode: string, how: Quit): Promise<{screen: string; stderr: string}> {
	const stderr = join(directory, `${mode.replace(' ', '-')}-${how}.err`);
	const pid = join(directory, `${mode.replace(' ', '-')}-${how}.pid`);
	const credentials = 'AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test';
	terminal = new TmuxTerminal(
		`${credentials} sh -c 'echo $$ > ${pid}; exec node ${cli} ${modes[mode]!()}' 2>${stderr}`,
	);
	await terminal.waitFor(text => text.includes('Diagnosis') && /\d+ in window/.test(text), 20_000);
	switch (how) {
		case 'q': {
			terminal.type('q');
			break;
		}

		case 'ctrl-c': {
			terminal.keys('C-c');
			break;
		}

		default: {
			process.kill(Number(readFileSync(pid, 'utf8')), how);
		}
	}

	const screen = await terminal.waitFor(text => text.includes('[exited'), 10_000);
	return {screen, stderr: readFileSync(stderr, 'utf8')};
}

describe.skipIf(!hasTmux && !process.env.CI)('quitting flowtop (tmux)', () => {
	it.each(
		Object.keys(modes).flatMap(mode =>
			(['q', 'ctrl-c', 'SIGTERM', 'SIGHUP'] as const).map(how => [mode, how] as const),
		),
	)(
		'%s mode quits with %s: exit 0, nothing on stderr, the shell restored',
		async (mode, how) => {
			expect(existsSync(cli), 'npm test builds dist/cli.js first').toBe(true);
			const {screen, stderr} = await quit(mode, how);
			expect(screen).toContain('[exited 0]');
			expect(screen).not.toContain('Top talkers');
			expect(stderr).toBe('');
		},
		40_000,
	);

	it('a q typed while the app still loads waits for it: not echoed to the shell, and it quits', async () => {
		terminal = new TmuxTerminal(`echo shell-before; node ${cli} --demo`);
		const tty = terminal.display('#{pane_tty}').trim();
		const echoing = () => !/(?:^|\s)-echo(?:\s|$)/.test(execFileSync('stty', ['-a', '-F', tty], {encoding: 'utf8'}));
		const deadline = Date.now() + 10_000;
		// The moment the terminal stops echoing, before the app has drawn anything: type then.
		while (echoing() && Date.now() < deadline) {
			await new Promise(resolve => setTimeout(resolve, 5));
		}

		expect(terminal.display('#{alternate_on}').trim(), 'keys are held before the screen opens').toBe('0');
		terminal.type('q');
		const screen = await terminal.waitFor(text => text.includes('[exited'), 15_000);
		expect(screen).toContain('[exited 0]');
		expect(
			screen
				.split('\n')
				.filter(line => line.includes('q') && !line.includes('exited') && !line.includes('shell-before')),
		).toEqual([]);
	}, 30_000);
});
