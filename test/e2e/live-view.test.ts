import {appendFileSync, copyFileSync, existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {v2} from '../helpers/lines.js';
import {hasTmux, TmuxTerminal} from './tmux.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const sample = new URL('../fixtures/small.log', import.meta.url).pathname;

let terminal: TmuxTerminal | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});

// CI installs tmux (.ci/run); a developer without it is told, rather than shown a false failure.
describe.skipIf(!hasTmux && !process.env.CI)('flowtop in a real terminal (tmux)', () => {
	it('follows a file at 80x24: all panes, a filter narrows and esc restores, appended lines show, q restores the shell', async () => {
		expect(existsSync(cli), 'npm test builds dist/cli.js first').toBe(true);
		const directory = mkdtempSync(join(tmpdir(), 'flowtop-e2e-'));
		const file = join(directory, 'flows.log');
		copyFileSync(sample, file);
		terminal = new TmuxTerminal(`echo shell-before; node ${cli} --file ${file} --follow`);
		let screen = await terminal.waitFor(text => text.includes('Diagnosis') && text.includes('10.0.2.20'));
		for (const title of ['Top talkers', 'Protocols', 'Rejected flows', 'Diagnosis', 'following the file']) {
			expect(screen).toContain(title);
		}

		expect(screen.split('\n').every(line => [...line].length <= 80)).toBe(true);

		terminal.type('/');
		await terminal.waitFor(text => text.includes('filter ›'));
		terminal.type('203.0.113.0/24');
		terminal.keys('Enter');
		screen = await terminal.waitFor(text => text.includes('filter 203.0.113.0/24'));
		expect(screen).not.toMatch(/10\.0\.2\.20\s+→/);
		terminal.keys('Escape');
		screen = await terminal.waitFor(text => text.includes('no filter'));
		expect(screen).toMatch(/10\.0\.2\.20\s+→ 10\.0\.1\.10/);

		appendFileSync(
			file,
			`${v2({srcaddr: '10.77.0.1', dstaddr: '10.88.0.2', bytes: 50_000_000, start: 1_700_000_100, end: 1_700_000_160})}\n`,
		);
		await terminal.waitFor(text => /10\.77\.0\.1\s+→ 10\.88\.0\.2/.test(text));

		terminal.resize(200, 50);
		screen = await terminal.waitFor(text =>
			text.split('\n').some(line => line.includes('Top talkers') && line.includes('Rejected flows')),
		);
		expect(screen).toContain('PACKETS');

		terminal.type('q');
		screen = await terminal.waitFor(text => text.includes('[exited 0]'));
		expect(screen).toContain('shell-before');
		expect(screen).not.toContain('Top talkers');
	}, 30_000);

	it('draws no colour with NO_COLOR, and colour without it', async () => {
		// eslint-disable-next-line no-control-regex
		const colour = /\u001B\[[\d;]*(?:3\d|4\d|9\d)m/;
		terminal = new TmuxTerminal(`node ${cli} --file ${sample}`);
		await terminal.waitFor(text => text.includes('Diagnosis'));
		expect(terminal.screenWithStyles()).not.toMatch(colour);
		terminal.close();
		terminal = new TmuxTerminal(`node ${cli} --file ${sample}`, {color: true});
		await terminal.waitFor(text => text.includes('Diagnosis'));
		expect(terminal.screenWithStyles()).toMatch(colour);
	}, 30_000);

	it('refuses to run the live view without a terminal, and says what to do instead', async () => {
		const {spawnSync} = await import('node:child_process');
		const result = spawnSync('node', [cli, '--file', sample], {encoding: 'utf8', env: {...process.env, CI: ''}});
		expect(result.status).toBe(2);
		expect(result.stderr).toBe(
			'flowtop: the live view needs a terminal: add --once (and --json) to print a report instead\n',
		);
	});
});
