import {afterEach, describe, expect, it} from 'vitest';
import {hasTmux, TmuxTerminal} from './tmux.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;

let terminal: TmuxTerminal | undefined;
afterEach(() => {
	terminal?.close();
	terminal = undefined;
});

describe.skipIf(!hasTmux && !process.env.CI)('the refusing rule in the live view (tmux)', () => {
	it("names the demo's missing rule at 80x24, and once the rules are fixed says the old flows are allowed now", async () => {
		terminal = new TmuxTerminal(`node ${cli} --demo --scenario sg-missing-rule --speed 10`);
		let screen = await terminal.waitFor(text => text.includes('(db) has no inbound rule for TCP 5432'), 20_000);
		expect(screen).toContain('eni-05e8acdcbbefd1fa0 (database) refuses TCP 5432');
		expect(screen).not.toContain('EC2');

		terminal.type('e');
		// The finding can show a frame before the panes' views catch up with the same records.
		await terminal.waitFor(text => /eni-05e8acdcbbefd1fa0\s+10\.0\.30\.40 database/.test(text));
		terminal.type('app-1');
		screen = await terminal.waitFor(text => !text.includes('eni-05e8acdcbbefd1fa0'));
		expect(screen).toMatch(/eni-01a4c8ef7dab9dbc6\s+10\.0\.20\.21 instance/);
		terminal.keys('Escape');
		await terminal.waitFor(text => !text.includes('Pick an interface'));

		terminal.type('S');
		await terminal.waitFor(text => text.includes('Demo scenario'));
		// The picker opens on the running scenario: the healthy one is typed.
		terminal.type('healthy');
		terminal.keys('Enter');
		await terminal.waitFor(text => text.includes('configuration now lets TCP 5432'), 20_000);
		// The everyday noise's benign notes share the pane: narrowed to PostgreSQL, the advice has room.
		terminal.type('/port:5432');
		terminal.keys('Enter');
		screen = await terminal.waitFor(text => /its rules changed after these flows were logged/.test(text));
		expect(screen).toContain('configuration now lets TCP 5432');
		terminal.type('q');
		await terminal.waitFor(text => text.includes('[exited 0]'));
	}, 60_000);

	it('with --no-ec2 the status bar says so in one line and the finding infers from the traffic', async () => {
		terminal = new TmuxTerminal(`node ${cli} --demo --scenario sg-missing-rule --no-ec2`);
		const screen = await terminal.waitFor(text => text.includes('refuses TCP 5432'), 20_000);
		expect(screen).toContain('EC2 configuration off (--no-ec2): findings infer from the traffic');
		expect(screen).not.toContain('has no inbound rule');
		terminal.type('q');
		await terminal.waitFor(text => text.includes('[exited 0]'));
	}, 60_000);
});
