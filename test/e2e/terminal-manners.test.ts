import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {hasTmux, TmuxTerminal} from './tmux.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const sample = new URL('../fixtures/small.log', import.meta.url).pathname;

let terminal: TmuxTerminal | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});

describe.skipIf(!hasTmux && !process.env.CI)('terminal manners (tmux)', () => {
	it('a crash gives the shell back its screen and cursor, exits 1, and its message carries no escape', async () => {
		const directory = mkdtempSync(join(tmpdir(), 'flowtop-crash-'));
		// A fault from outside the app, as a bug in a dependency would throw it, once the view is up.
		const fault = join(directory, 'fault.mjs');
		const pid = join(directory, 'pid');
		writeFileSync(
			fault,
			'process.on("SIGUSR2", () => { setImmediate(() => { throw new Error("bad eni-\\u001B]2;owned\\u0007\\u001B[2J here"); }); });\n',
		);
		terminal = new TmuxTerminal(
			`echo shell-before; sh -c 'echo $$ > ${pid}; exec node --import ${fault} ${cli} --file ${sample} --follow'`,
		);
		await terminal.waitFor(text => text.includes('Diagnosis'), 30_000);
		expect(terminal.display('#{alternate_on}')).toBe('1');
		process.kill(Number(readFileSync(pid, 'utf8')), 'SIGUSR2');
		const screen = await terminal.waitFor(text => text.includes('[exited 1]'), 30_000);
		expect(screen).toContain('shell-before');
		expect(screen).toContain('flowtop: unexpected error, please report it: Error: bad eni-?]2;owned??[2J here');
		expect(terminal.display('#{alternate_on}')).toBe('0');
		expect(terminal.display('#{cursor_flag}')).toBe('1');
		expect(terminal.display('#{pane_title}')).not.toBe('owned');
	}, 90_000);

	it('ctrl-z hands the shell its screen; fg brings the whole view back, and keys work again', async () => {
		terminal = new TmuxTerminal('PS1="shell> " bash --norc --noprofile -i');
		await terminal.waitFor(text => text.includes('shell>'), 30_000);
		// Bash draws its prompt a moment before its line editor reads keys.
		await new Promise(resolve => setTimeout(resolve, 500));
		terminal.type(`node ${cli} --file ${sample} --follow`);
		await terminal.waitFor(text => text.replaceAll('\n', '').includes('small.log --follow'), 30_000);
		terminal.keys('Enter');
		await terminal.waitFor(text => text.includes('Diagnosis') && text.includes('following the file'), 30_000);
		terminal.keys('C-z');
		let screen = await terminal.waitFor(text => /Stopped/.test(text), 30_000);
		expect(screen).not.toContain('Top talkers');
		expect(terminal.display('#{alternate_on}')).toBe('0');
		expect(terminal.display('#{cursor_flag}')).toBe('1');
		terminal.type('fg');
		terminal.keys('Enter');
		screen = await terminal.waitFor(
			text => text.includes('Top talkers') && text.includes('Diagnosis') && text.includes('q quit'),
			20_000,
		);
		expect(terminal.display('#{alternate_on}')).toBe('1');
		terminal.type('/');
		await terminal.waitFor(text => text.includes('filter ›'), 30_000);
		terminal.keys('Escape');
		terminal.type('q');
		screen = await terminal.waitFor(text => /^shell>\s*$/m.test(text) && !text.includes('Top talkers'), 30_000);
		expect(terminal.display('#{alternate_on}')).toBe('0');
	}, 90_000);

	it('keys still work after a Node program piped into --file - ends, having put the terminal back to line editing', async () => {
		// Node puts back, as it exits, the terminal modes it found on its standard error: the terminal here.
		const producer = `node -e "process.stdout.write(require('node:fs').readFileSync('${sample}')); setTimeout(() => {}, 1500)"`;
		terminal = new TmuxTerminal(`${producer} | node ${cli} --file - --follow`);
		await terminal.waitFor(text => text.includes('END OF FILE'), 30_000);
		terminal.type('q');
		await terminal.waitFor(text => text.includes('[exited 0]'), 30_000);
	}, 90_000);
});
