import {mkdtemp, readFile, readdir} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {Finding} from '../../source/diagnosis/finding.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import {formatFilter} from '../../source/engine/filter.js';
import type {DiagnosisFeed} from '../../source/ui/app.js';
import {KEYMAP} from '../../source/ui/keymap.js';
import {records, v2} from '../helpers/lines.js';
import {ConfigurationFeed} from '../../source/vpc/configuration-feed.js';
import {VpcConfiguration} from '../../source/vpc/configuration.js';
import {fixedFindings, NOW, renderApp, type Screen} from './harness.js';

const T = 1_700_000_000;
const traffic = records([
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '10.0.1.10',
		dstaddr: '10.0.2.20',
		srcport: 49_152,
		dstport: 443,
		bytes: 4_000_000,
		packets: 3000,
		start: T,
		end: T + 60,
	}),
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '10.0.2.20',
		dstaddr: '10.0.1.10',
		srcport: 443,
		dstport: 49_152,
		bytes: 9_000_000,
		packets: 6000,
		start: T,
		end: T + 60,
	}),
	v2({
		'interface-id': 'eni-0db',
		srcaddr: '10.0.3.30',
		dstaddr: '10.0.4.40',
		srcport: 40_000,
		dstport: 5432,
		bytes: 2_000_000,
		packets: 1000,
		start: T + 60,
		end: T + 120,
	}),
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '203.0.113.9',
		dstaddr: '10.0.1.10',
		srcport: 51_515,
		dstport: 22,
		action: 'REJECT',
		bytes: 180,
		packets: 3,
		start: T + 60,
		end: T + 120,
	}),
	v2({
		'interface-id': 'eni-0web',
		srcaddr: '203.0.113.9',
		dstaddr: '10.0.1.10',
		srcport: 51_516,
		dstport: 23,
		action: 'REJECT',
		bytes: 120,
		packets: 2,
		start: T + 120,
		end: T + 180,
	}),
	v2({
		'interface-id': 'eni-0dns',
		srcaddr: '10.0.5.5',
		dstaddr: '10.0.0.2',
		srcport: 53_000,
		dstport: 53,
		protocol: 17,
		bytes: 800,
		packets: 10,
		start: T + 120,
		end: T + 180,
	}),
]);

/** A live source, paused; then one line arrives. The frame that counts it as waiting. */
async function arrivesWhilePaused(screen: Screen, line: string): Promise<string> {
	screen.source.status({kind: 'following'});
	await screen.waitFor(text => text.includes('LIVE'));
	await screen.press(' ');
	await screen.waitFor(text => text.includes('PAUSED'));
	screen.source.emit(records([line]));
	return screen.waitFor(text => text.includes('+1 waiting'));
}

const finding: Finding = {
	id: 'nacl-return-blocked|eni-0db|5432|outbound',
	kind: 'nacl-return-blocked',
	severity: 'critical',
	eni: 'eni-0db',
	port: 5432,
	direction: 'outbound',
	count: 12,
	confidence: 'high',
	why: 'every reply refused',
	summary: 'NACL on subnet of eni-0db blocks the return traffic of TCP 5432',
	advice: 'Add an outbound rule to the NACL of the subnet of eni-0db: allow TCP 1024-65535 to 10.0.3.0/24.',
	firstSeen: T,
	lastSeen: T + 120,
	evidence: [
		{
			eni: 'eni-0db',
			src: '10.0.4.40',
			dst: '10.0.3.30',
			srcPort: 5432,
			dstPort: 40_000,
			protocol: 6,
			action: 'REJECT',
			flows: 12,
			packets: 12,
			bytes: 720,
		},
	],
	filter: 'eni-0db port:5432',
};

/** A flow as a row of Insights' sums stands for it: `records` records with these totals. */
const [WEB] = records([
	v2({srcaddr: '10.7.7.7', dstaddr: '10.0.1.10', srcport: 443, dstport: 443, bytes: 3_000_000, start: T, end: T + 60}),
]) as [FlowRecord];

/** A pair as the talkers pane aligns it: `10.0.1.10      → 10.0.2.20`. */
function pair(src: string, dst: string): RegExp {
	return new RegExp(`${src.replaceAll('.', '\\.')}\\s+→ ${dst.replaceAll('.', '\\.')}`);
}

let screen: Screen | undefined;
afterEach(() => {
	screen?.unmount();
	screen = undefined;
});

describe('the panes, from a given store', () => {
	it('top talkers lists pairs by bytes with their share', async () => {
		screen = renderApp({records: traffic});
		const frame = await screen.waitFor(text => pair('10.0.2.20', '10.0.1.10').test(text));
		const lines = frame.split('\n');
		const first = lines.findIndex(line => pair('10.0.2.20', '10.0.1.10').test(line));
		expect(lines[first]).toMatch(/8\.6 MiB\s+█+/);
		expect(lines[first + 1]).toMatch(pair('10.0.1.10', '10.0.2.20'));
		expect(lines[first + 2]).toMatch(pair('10.0.3.30', '10.0.4.40'));
	});

	it("takes Insights' sums: a window in place of what it showed, then what is new added to it", async () => {
		screen = renderApp({records: traffic});
		await screen.waitFor(text => pair('10.0.2.20', '10.0.1.10').test(text));
		screen.source.replace([{...WEB, records: 2}]);
		await screen.waitFor(
			text => pair('10.7.7.7', '10.0.1.10').test(text) && !pair('10.0.2.20', '10.0.1.10').test(text),
		);
		screen.source.addSums([{...WEB, bytes: 6_000_000, records: 3}]);
		const frame = await screen.waitFor(text => /10\.7\.7\.7\s+→ 10\.0\.1\.10\s+8\.6 MiB/.test(text));
		expect(frame).not.toMatch(pair('10.0.2.20', '10.0.1.10'));
	});

	it('shows the first records as they come, without waiting for the next frame; later ones at the frame', async () => {
		screen = renderApp({props: {frameMilliseconds: 60_000}});
		await screen.waitFor(text => text.includes('Top talkers'));
		screen.source.replace([{...WEB, records: 2}]);
		await screen.waitFor(text => pair('10.7.7.7', '10.0.1.10').test(text));
		screen.source.emit(traffic);
		screen.source.status({kind: 'following'});
		const frame = await screen.waitFor(text => text.includes('LIVE'));
		expect(frame).not.toMatch(pair('10.0.2.20', '10.0.1.10'));
	});

	it('takes the first sums as the window as it was, not as arrivals: the rate stays at what arrives after', async () => {
		screen = renderApp();
		screen.source.replace([{...WEB, records: 1_200_000}]);
		const frame = await screen.waitFor(text => text.includes('1.2M in window'));
		expect(frame).toMatch(/\s0 rec\/s/);
	});

	it('rejected flows lists sources with distinct ports, and a trend of rejects per minute', async () => {
		screen = renderApp({records: traffic});
		const frame = await screen.waitFor(text => text.includes('Rejected flows'));
		expect(frame).toMatch(/Rejected flows\s+2 rejected, by source\s+[▁-█ ]+\/1m/);
		expect(frame).toMatch(/203\.0\.113\.9\s+2\s+2\s+1/);
	});

	it('protocols shows TCP and UDP with their shares', async () => {
		screen = renderApp({records: traffic});
		const frame = await screen.waitFor(text => text.includes('UDP'));
		expect(frame).toMatch(/TCP\s+14\.3 MiB\s+100%/);
		expect(frame).toMatch(/UDP\s+800 B\s+0\.0%/);
	});

	it('diagnosis lists findings and the advice of the selected one; new ones are marked', async () => {
		screen = renderApp({records: traffic, diagnosis: fixedFindings([finding], new Set([finding.id]))});
		const frame = await screen.waitFor(text => text.includes('NACL on subnet'));
		expect(frame).toContain('● NEW NACL on subnet of eni-0db blocks the return traffic of TCP 5432');
		expect(
			screen.lines().some(line => line.includes('→ Add an outbound rule to the NACL of the subnet of eni-0db')),
		).toBe(true);
	});

	it('says plainly when there is nothing to show', async () => {
		screen = renderApp();
		const frame = await screen.waitFor(text => text.includes('Top talkers'));
		expect(frame).toContain('no traffic in the window');
		expect(frame).toContain('nothing rejected in the window');
		expect(frame).toContain('nothing to diagnose: no records in the window yet');
		expect(frame).toContain('no records yet');
		expect(frame).not.toContain('LIVE');
	});
});

describe('the screen at 80x24', () => {
	it('shows every pane, header, status and keys within 80 columns and 23 lines', async () => {
		screen = renderApp({columns: 80, rows: 24, records: traffic, diagnosis: fixedFindings([finding])});
		const frame = await screen.waitFor(text => text.includes('Diagnosis'));
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThanOrEqual(23);
		for (const line of lines) {
			expect([...line].length).toBeLessThanOrEqual(80);
		}

		for (const title of [
			'flowtop · test-flows',
			'Top talkers',
			'Protocols',
			'Rejected flows',
			'Diagnosis',
			'rec/s',
			'/ filter',
		]) {
			expect(frame).toContain(title);
		}
	});

	it('re-lays out at once when the terminal grows: the panes sit two by two and show more', async () => {
		screen = renderApp({columns: 80, rows: 24, records: traffic});
		await screen.waitFor(text => text.includes('Top talkers'));
		screen.terminal.resize(200, 50);
		const frame = await screen.waitFor(text => text.split('\n').length > 30);
		const titles = frame.split('\n').find(line => line.includes('Top talkers'))!;
		expect(titles).toContain('Rejected flows');
		expect(frame.split('\n').length).toBeLessThanOrEqual(49);
		expect(frame).toMatch(/PACKETS/);
	});
});

describe('keys', () => {
	it('/ filters every pane with the text form, and esc restores', async () => {
		screen = renderApp({records: traffic});
		await screen.waitFor(text => text.includes('10.0.3.30'));
		await screen.press('/');
		await screen.press('10.0.1.0/24\r');
		const narrowed = await screen.waitFor(text => text.includes('filter 10.0.1.0/24'));
		expect(narrowed).not.toContain('10.0.3.30');
		expect(narrowed).not.toContain('UDP');
		expect(narrowed).toContain('203.0.113.9');
		await screen.press('\u001B');
		const restored = await screen.waitFor(text => text.includes('no filter'));
		expect(restored).toContain('10.0.3.30');
		// The source is told each filter, so one that sums on the service keeps what it names by name:
		// by an effect after the frame that shows it, so maybe a moment after.
		const {filters} = screen.source;
		await vi.waitFor(() => expect(filters.map(filter => formatFilter(filter))).toEqual(['', '10.0.1.0/24', '']));
	});

	it('an invalid filter shows the error inline and keeps the old filter', async () => {
		screen = renderApp({records: traffic});
		await screen.press('/');
		await screen.press('port:99999');
		await screen.press('\r');
		const frame = await screen.waitFor(text => text.includes('is not a port'));
		expect(frame).toContain('"99999" is not a port: write port:22, port:80,443 or port:1024-65535');
		expect(frame).toContain('no filter');
		await screen.press('\u001B');
		await screen.waitFor(text => !text.includes('is not a port') && text.includes('/ filter'));
	});

	it('a pasted filter lands whole, and backspace edits it', async () => {
		screen = renderApp({records: traffic});
		await screen.press('/');
		await screen.press('eni-0dbx');
		await screen.press('\u007F');
		await screen.press(' port:5432\r');
		await screen.waitFor(text => text.includes('filter eni-0db port:5432'));
	});

	it('keys typed faster than a frame are each obeyed, tab and enter included', async () => {
		screen = renderApp({records: traffic, diagnosis: fixedFindings([finding])});
		await screen.waitFor(text => text.includes('by pairs, bytes'));
		await screen.press('ss');
		await screen.waitFor(text => text.includes('by pairs, flows'));
		await screen.press('\t\t\t\r\r');
		await screen.waitFor(text => text.includes('filter eni-0db port:5432'));
	});

	it('while a prompt is open, letters are typed, not obeyed', async () => {
		screen = renderApp({records: traffic});
		await screen.press('/');
		await screen.press('q');
		expect(screen.frame()).toContain('filter › q');
		await screen.press('\u001B');
		await screen.press('q');
		await screen.exited;
	});

	it('tab moves focus; j/k move the selection; enter drills into the selected row', async () => {
		screen = renderApp({records: traffic});
		await screen.waitFor(text => text.includes('10.0.3.30'));
		await screen.press('j');
		await screen.press('\r');
		const narrowed = await screen.waitFor(text => text.includes('filter src:10.0.1.10 dst:10.0.2.20'));
		expect(narrowed).not.toMatch(pair('10.0.2.20', '10.0.1.10'));
		await screen.press('\u001B');
		await screen.press('\t');
		await screen.press('\t');
		await screen.press('\r');
		const rejected = await screen.waitFor(text => text.includes('filter src:203.0.113.9 reject'));
		expect(rejected).toMatch(pair('203.0.113.9', '10.0.1.10'));
	});

	it('e picks an interface from those seen; c narrows to a CIDR', async () => {
		screen = renderApp({records: traffic});
		await screen.waitFor(text => text.includes('10.0.3.30'));
		await screen.press('e');
		const picker = await screen.waitFor(text => text.includes('Pick an interface'));
		expect(picker).toMatch(/eni-0web\s+10\.0\.1\.10\s+12\.4 MiB\s+4\s+2/);
		await screen.press('db');
		await screen.press('\r');
		await screen.waitFor(text => text.includes('filter eni-0db'));
		await screen.press('c');
		await screen.press('10.0.3.0/24');
		await screen.press('\r');
		const frame = await screen.waitFor(text => text.includes('filter eni-0db 10.0.3.0/24'));
		expect(frame).toMatch(pair('10.0.3.30', '10.0.4.40'));
	});

	it('S switches the demo scenario, typed and picked in one go', async () => {
		const switched: string[] = [];
		const demo = {
			scenarios: [
				{name: 'healthy', title: 'Healthy'},
				{name: 'port-scan', title: 'Port scan of the bastion'},
				{name: 'ssh-brute-force', title: 'SSH brute force on the bastion'},
			],
			current: () => switched.at(-1) ?? 'healthy',
			setScenario(name: string) {
				switched.push(name);
			},
		};
		screen = renderApp({records: traffic, props: {demo}});
		await screen.waitFor(text => text.includes('S scenario'));
		await screen.press('S');
		await screen.waitFor(text => text.includes('Demo scenario (now: healthy)'));
		await screen.press('\r');
		await screen.waitFor(text => text.includes('scenario: healthy'));
		await screen.press('S');
		await screen.waitFor(text => text.includes('Demo scenario (now: healthy)'));
		await screen.press('\u001B[B\r');
		await screen.waitFor(text => text.includes('scenario: port-scan'));
		await screen.press('S');
		await screen.waitFor(text => /› port-scan/.test(text));
		await screen.press('\u001B');
		await screen.press('S');
		await screen.waitFor(text => text.includes('Demo scenario (now: port-scan)'));
		await screen.press('ssh\r');
		await screen.waitFor(text => text.includes('scenario: ssh-brute-force'));
		expect(switched).toEqual(['healthy', 'port-scan', 'ssh-brute-force']);
	});

	it("s cycles the sort metric; v the pane's view; w the window", async () => {
		screen = renderApp({records: traffic, state: {windowSeconds: 900}});
		await screen.waitFor(text => text.includes('by pairs, bytes'));
		await screen.press('s');
		await screen.waitFor(text => text.includes('by pairs, packets'));
		await screen.press('v');
		await screen.waitFor(text => text.includes('by sources, packets'));
		await screen.press('w');
		await screen.waitFor(text => text.includes('window 1h'));
	});

	it('space pauses the panes while data keeps arriving, and counts what waits', async () => {
		screen = renderApp({records: traffic});
		const paused = await arrivesWhilePaused(
			screen,
			v2({srcaddr: '10.9.9.9', dstaddr: '10.8.8.8', bytes: 99_000_000, start: T + 200, end: T + 260}),
		);
		expect(paused).not.toContain('10.9.9.9');
		await screen.press(' ');
		await screen.waitFor(text => pair('10.9.9.9', '10.8.8.8').test(text));
	});

	it('space freezes the Diagnosis pane too: a finding from records that arrive while paused waits', async () => {
		const lateFinding = {...finding, summary: 'a finding from the records that waited'};
		// Findings follow the store: the late finding exists once the newest record is past T + 200.
		const diagnosis = {
			update: (store: Parameters<DiagnosisFeed['update']>[0]) =>
				(store.dataBounds()?.end ?? 0) > T + 200 ? [lateFinding] : [],
			isNew: () => false,
		};
		screen = renderApp({records: traffic, diagnosis});
		const paused = await arrivesWhilePaused(
			screen,
			v2({srcaddr: '10.9.9.9', dstaddr: '10.8.8.8', start: T + 200, end: T + 260}),
		);
		expect(paused).not.toContain('a finding from the records that waited');
		await screen.press(' ');
		await screen.waitFor(text => text.includes('a finding from the records that waited'));
	});

	it('x writes the current view as the --once --json document and says where', async () => {
		const directory = await mkdtemp(join(tmpdir(), 'flowtop-snapshot-'));
		screen = renderApp({records: traffic, props: {snapshotDirectory: directory}});
		await screen.waitFor(text => text.includes('10.0.3.30'));
		await screen.press('x');
		await screen.waitFor(text => text.includes(`snapshot written to ${directory}/flowtop-snapshot-`));
		await screen.press('x');
		await screen.waitFor(text => /flowtop-snapshot-[\d-]+-2\.json/.test(text));
		const files = (await readdir(directory)).sort();
		expect(files).toHaveLength(2);
		const [file] = files;
		const report = JSON.parse(await readFile(join(directory, file!), 'utf8'));
		expect(report.topTalkers[0]).toEqual({
			src: '10.0.2.20',
			dst: '10.0.1.10',
			bytes: 9_000_000,
			packets: 6000,
			flows: 1,
		});
		expect(report.rejected.total).toBe(2);
	});

	it('? shows every key of the keymap', async () => {
		screen = renderApp({rows: 40});
		await screen.press('?');
		const frame = await screen.waitFor(text => text.includes('Keys'));
		for (const binding of KEYMAP.filter(binding => binding.only === undefined)) {
			expect(frame).toContain(binding.description.slice(0, 30));
		}

		await screen.press('\u001B');
		await screen.waitFor(text => text.includes('Top talkers'));
	});

	it('at 80x24 the footer keeps ? help and q quit, and the ? overlay scrolls to its last key', async () => {
		screen = renderApp({
			columns: 80,
			rows: 24,
			props: {demo: {scenarios: [], current: () => 'none', setScenario() {}}},
		});
		screen.source.status({
			kind: 'error',
			message:
				'CloudWatch Logs refused the query: the log group /aws/vpc/flow-logs-production-eu-west-1 does not exist; give --log-group with a group that does',
		});
		let frame = await screen.waitFor(text => text.includes('does not exist'));
		expect(frame.split('\n').at(-1)).toMatch(/\? help {2}q quit\s*$/);
		await screen.press('?');
		frame = await screen.waitFor(text => text.includes('Keys'));
		expect(frame).toContain('↑↓ scroll');
		expect(frame).not.toContain('q ctrl-c');
		await screen.press('\u001B[6~');
		frame = await screen.waitFor(text => text.includes('q ctrl-c'));
		expect(frame).toMatch(/q ctrl-c\s+quit/);
		await screen.press('\u001B[A');
		await screen.press('?');
		await screen.waitFor(text => text.includes('Top talkers'));
	});

	it('the filter prompt is a line editor: typing after the prefilled filter adds a term, ctrl-w and ctrl-u cut, ↑ recalls', async () => {
		screen = renderApp({records: traffic});
		await screen.press('/reject\r');
		await screen.waitFor(text => text.includes('filter reject'));
		await screen.press('/10.0.0.0/8\r');
		await screen.waitFor(text => text.includes('filter 10.0.0.0/8 reject'));
		await screen.press('/\u0017\u0017port:22\u001B[D\u007F4\r');
		await screen.waitFor(text => text.includes('filter port:42'));
		await screen.press('/\u0015\u001B[A\u001B[A');
		await screen.waitFor(text => text.includes('filter › reject 10.0.0.0/8'));
		await screen.press('\u001B[A\u001B[B\r');
		await screen.waitFor(text => text.includes('filter 10.0.0.0/8 reject'));
	});

	it('enter on a finding shows all of it, its evidence and advice; enter there narrows, esc goes back', async () => {
		const wordy = {
			...finding,
			advice: `${finding.advice} ${'Check the subnet route table and the security group of the database as well. '.repeat(3)}The end of the advice.`,
		};
		screen = renderApp({columns: 80, rows: 24, records: traffic, diagnosis: fixedFindings([wordy])});
		await screen.press('\t\t\t');
		await screen.waitFor(text => text.includes('› ● NACL'));
		await screen.press('\r');
		let frame = await screen.waitFor(text => text.includes('What to do'));
		expect(frame).toContain('The end of the advice.');
		expect(frame).toContain('high confidence: every reply refused');
		expect(frame).toMatch(/10\.0\.4\.40\s+5432 → 10\.0\.3\.30\s+40000 TCP\s+REJECT\s+12/);
		await screen.press('\u001B');
		frame = await screen.waitFor(text => text.includes('Top talkers'));
		expect(frame).toContain('no filter');
		await screen.press('\r\r');
		await screen.waitFor(text => text.includes('filter eni-0db port:5432'));
	});

	it('esc after a drill brings back the row the cursor was on', async () => {
		screen = renderApp({records: traffic});
		await screen.press('jj');
		await screen.waitFor(text => /› 10\.0\.3\.30/.test(text));
		await screen.press('\r');
		await screen.waitFor(text => text.includes('filter src:10.0.3.30'));
		await screen.press('\u001B');
		await screen.waitFor(text => text.includes('no filter') && /› 10\.0\.3\.30/.test(text));
	});

	it('q quits', async () => {
		screen = renderApp();
		await screen.press('q');
		await screen.exited;
	});

	it('ctrl-c quits too', async () => {
		screen = renderApp();
		await screen.press('\u0003');
		await screen.exited;
	});

	it('shift-tab goes back a pane; k, page down and page up move the selection', async () => {
		screen = renderApp({records: traffic});
		await screen.waitFor(text => text.includes('10.0.3.30'));
		// Back from the first pane to the last, then forward to the first again: only then does
		// page down move the talkers' selection.
		await screen.press('\u001B[Z');
		await screen.press('\t');
		await screen.press('\u001B[6~');
		const bottom = await screen.waitFor(text => /› 203\.0\.113\.9\s+→/.test(text));
		expect(bottom).toMatch(/› 203\.0\.113\.9\s+→ 10\.0\.1\.10/);
		await screen.press('k');
		await screen.waitFor(text => /› 10\.0\.5\.5\s+→/.test(text));
		await screen.press('\u001B[5~');
		await screen.waitFor(text => /› 10\.0\.2\.20\s+→/.test(text));
	});
});

describe('the status bar', () => {
	it("shows the source's state, its errors, and keeps the panes", async () => {
		screen = renderApp({records: traffic});
		await screen.waitFor(text => text.includes('10.0.3.30'));
		screen.source.status({kind: 'error', message: 'AccessDenied: add logs:StartQuery to your role'});
		const frame = await screen.waitFor(text => text.includes('AccessDenied'));
		expect(frame).toContain('10.0.3.30');
	});

	it('gives a long error lines of its own, so it reads whole at 80 columns', async () => {
		screen = renderApp({columns: 80, rows: 24, records: traffic});
		await screen.waitFor(text => text.includes('Diagnosis'));
		const message =
			'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE / --profile NAME, or run aws sso login';
		screen.source.status({kind: 'error', message});
		const frame = await screen.waitFor(text => text.includes('aws sso login'));
		expect(frame.replaceAll(/\s+/g, ' ')).toContain(message);
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
		expect(frame).toContain('Diagnosis');
	});

	it('draws text from log lines without its control characters', async () => {
		screen = renderApp({records: records([v2({'interface-id': 'eni-\u001B[2Jevil'})])});
		await screen.press('e');
		const frame = await screen.waitFor(text => text.includes('evil'));
		expect(frame).toContain('eni-?[2Jevil');
	});
});

describe("the VPC's configuration in the live view", () => {
	/** A feed whose first read works, two minutes before the view's now, and whose later reads are refused. */
	function readOnceThenRefused() {
		let reads = 0;
		let clock = NOW - 120_000;
		const feed = new ConfigurationFeed({
			async load() {
				reads++;
				if (reads > 1) {
					throw Object.assign(new Error('You are not authorized to perform: ec2:DescribeNetworkAcls'), {
						name: 'UnauthorizedOperation',
					});
				}

				return new VpcConfiguration({interfaces: [], subnets: [], vpcs: [], securityGroups: [], networkAcls: []});
			},
			clock: () => clock,
		});
		const diagnosis = {
			...fixedFindings([]),
			note: () => feed.note(),
			configuration: () => feed.status(),
			refresh: async () => feed.refresh(),
		};
		return {
			feed,
			diagnosis,
			reads: () => reads,
			later() {
				clock = NOW;
			},
		};
	}

	it('says when it was read; r reads it again, and a refused refresh says the rules are the last good read', async () => {
		const {feed, diagnosis, reads, later} = readOnceThenRefused();
		await feed.refresh();
		later();
		screen = renderApp({columns: 140, diagnosis});
		let frame = await screen.waitFor(text => text.includes('rules read 2m ago'));
		expect(frame.split('\n').at(-1)).toContain('r rules');
		await screen.press('r');
		frame = await screen.waitFor(text => text.includes('EC2 configuration refresh failed'));
		expect(reads()).toBe(2);
		expect(frame).toContain(
			'EC2 configuration refresh failed (ec2:DescribeNetworkAcls refused): rules and names are from the last good read',
		);
		expect(frame).toContain('rules read 2m ago');
		await screen.press('?');
		frame = await screen.waitFor(text => text.includes('Keys'));
		expect(frame).toContain("read the VPC's configuration (security groups, NACLs, names) again now");
	});

	it('where nothing reads it (a file, --no-ec2), r is no key and the status bar says nothing of it', async () => {
		screen = renderApp({columns: 140});
		const frame = await screen.waitFor(text => text.includes('Top talkers'));
		expect(frame.split('\n').at(-1)).not.toContain('r rules');
		expect(frame).not.toContain('rules read');
	});
});
