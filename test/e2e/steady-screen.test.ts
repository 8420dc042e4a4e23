import {afterEach, describe, expect, it} from 'vitest';
import {hasTmux, TmuxTerminal} from './tmux.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;

let terminal: TmuxTerminal | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});

/** Where each landmark of the screen is: the line of each pane title and of the status figures. */
function landmarks(screen: string): Record<string, number> {
	const lines = screen.split('\n');
	return Object.fromEntries(
		['Top talkers', 'Rejected flows', 'Diagnosis', 'rec/s', 'q quit'].map(mark => [
			mark,
			lines.findIndex(line => line.includes(mark)),
		]),
	);
}

describe.skipIf(!hasTmux && !process.env.CI)('a steady screen (tmux)', () => {
	it('the demo at 80x24: alive from the first screen, and nothing moves across polls', async () => {
		terminal = new TmuxTerminal(`node ${cli} --demo --scenario nacl-return-outbound`);
		const first = await terminal.waitFor(
			text => /newest \d+[sm] ago/.test(text) && /[1-9][\d.]*k? in window/.test(text),
			30_000,
		);
		const where = landmarks(first);
		expect(Object.values(where).every(line => line >= 0)).toBe(true);
		const polls = new Set<string>();
		const deadline = Date.now() + 12_000;
		while (Date.now() < deadline) {
			const screen = terminal.screen();
			polls.add(/next poll in \d+s|polling/.exec(screen)?.[0] ?? '');
			expect(landmarks(screen)).toEqual(where);
			await new Promise(resolve => setTimeout(resolve, 250));
		}

		expect(polls.size).toBeGreaterThan(2);
		terminal.type('q');
		await terminal.waitFor(text => text.includes('[exited 0]'), 20_000);
	}, 90_000);
});
