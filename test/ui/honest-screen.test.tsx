import {afterEach, describe, expect, it} from 'vitest';
import {parseFilter} from '../../source/engine/filter.js';
import type {SourceStatus} from '../../source/sources/source.js';
import {records, v2} from '../helpers/lines.js';
import {NOW, renderApp, type Screen} from './harness.js';

const nowSeconds = NOW / 1000;
// Flow logs four minutes late, as the demo and AWS deliver them.
const late = records([
	v2({srcaddr: '10.0.1.10', dstaddr: '10.0.2.20', bytes: 5_000_000, start: nowSeconds - 300, end: nowSeconds - 240}),
	v2({
		srcaddr: '203.0.113.9',
		dstaddr: '10.0.1.10',
		dstport: 22,
		action: 'REJECT',
		start: nowSeconds - 300,
		end: nowSeconds - 240,
	}),
]);

let screen: Screen | undefined;
afterEach(() => {
	screen?.unmount();
	screen = undefined;
});

describe('never falsely calm', () => {
	it('a failing source says so in the header, and the diagnosis does not call it calm', async () => {
		screen = renderApp({columns: 80, rows: 24});
		screen.source.status({
			kind: 'error',
			message: 'could not reach CloudWatch Logs: connect ECONNREFUSED 127.0.0.1:4566',
			retryAt: NOW + 5000,
		});
		const frame = await screen.waitFor(text => text.includes('ECONNREFUSED'));
		expect(frame.split('\n')[0]).toContain('SOURCE FAILING');
		expect(frame).not.toContain('LIVE');
		expect(frame).toContain('nothing to diagnose: the source is failing and no records arrived');
		expect(frame).not.toContain('nothing wrong found');
	});

	it('stays failing while it retries, and turns LIVE when a poll succeeds', async () => {
		screen = renderApp({columns: 80, rows: 24, records: late});
		screen.source.status({kind: 'error', message: 'throttled: Rate exceeded', retryAt: NOW + 5000});
		await screen.waitFor(text => text.includes('SOURCE FAILING'));
		screen.source.status({kind: 'polling', since: NOW});
		let frame = await screen.waitFor(text => text.includes('polling'));
		expect(frame).toContain('SOURCE FAILING');
		expect(frame).toContain('nothing wrong in the records so far, but the source is failing');
		screen.source.status({kind: 'waiting', nextPollAt: NOW + 5000});
		frame = await screen.waitFor(text => text.includes('LIVE'));
		expect(frame).not.toContain('Rate exceeded');
		expect(frame).toContain('nothing wrong found');
	});

	it('a finished file says end of file, has no rate, and dates old data', async () => {
		const old = records([v2({srcaddr: '10.0.1.10', dstaddr: '10.0.2.20', start: 1_600_000_000, end: 1_600_000_060})]);
		screen = renderApp({columns: 80, rows: 24, records: old});
		screen.source.status({kind: 'done'});
		const frame = await screen.waitFor(text => text.includes('END OF FILE'));
		expect(frame).toContain('newest 2020-09-13');
		expect(frame).toContain('end of file');
		expect(frame).not.toContain('rec/s');
		expect(frame).not.toContain('LIVE');
	});
});

describe('never looks frozen', () => {
	it('says how old the newest record is, and why, and a short window follows the data, not the clock', async () => {
		screen = renderApp({columns: 80, rows: 24, records: late, state: {windowSeconds: 60}});
		screen.source.status({kind: 'waiting', nextPollAt: NOW + 3000});
		const frame = await screen.waitFor(text => text.includes('next poll in'));
		expect(frame.split('\n')[0]).toContain('newest 4m ago');
		expect(frame).toContain('flow logs arrive minutes late');
		expect(frame).toMatch(/10\.0\.1\.10\s+→ 10\.0\.2\.20/);
		expect(frame).toContain('1 rejected');
		// The status bar counts the records the panes show: two in the window.
		expect(frame).toMatch(/\b2 in window/);
	});

	it('counts what the filter matches, as the panes do', async () => {
		screen = renderApp({columns: 80, rows: 24, records: late, state: {filter: parseFilter('reject')}});
		const frame = await screen.waitFor(text => text.includes('match'));
		expect(frame).toMatch(/\b1 match\b/);
	});
});

describe('the bill', () => {
	it('says in the status bar when the --budget spaces polls out, and why', async () => {
		screen = renderApp({columns: 160, rows: 24, records: late});
		const note = 'polling every 26s, not 10s: the scans would cost $2.6/h, over the $1.0/h --budget';
		screen.source.status({kind: 'waiting', nextPollAt: NOW + 26_000, note});
		const frame = await screen.waitFor(text => text.includes('--budget'));
		expect(frame).toContain(`next poll in 26s · ${note}`);
	});
});

describe('fixed geometry', () => {
	it('nothing moves between polls: the status line keeps its line whatever it says', async () => {
		screen = renderApp({columns: 80, rows: 24, records: late});
		const positions = async (status: SourceStatus, marker: string) => {
			screen!.source.status(status);
			const frame = await screen!.waitFor(text => text.includes(marker));
			return frame.split('\n').map(line => line.replace(/^(.{0,12}).*/, '$1'));
		};

		const waiting = await positions(
			{kind: 'waiting', nextPollAt: NOW + 3000, note: 'no new records in the last poll, the log group is quiet'},
			'next poll in',
		);
		const polling = await positions({kind: 'polling', since: NOW}, 'polling');
		const short = await positions({kind: 'waiting', nextPollAt: NOW + 9000}, 'next poll in 9s');
		expect(polling).toEqual(waiting);
		expect(short).toEqual(waiting);
	});
});

describe('the header as time passes', () => {
	it('keeps its place while the newest record ages from seconds to minutes', async () => {
		let now = NOW;
		const fresh = records([
			v2({srcaddr: '10.0.1.10', dstaddr: '10.0.2.20', start: nowSeconds - 65, end: nowSeconds - 5}),
		]);
		screen = renderApp({columns: 80, rows: 24, records: fresh, props: {clock: () => now}});
		const before = (await screen.waitFor(text => text.includes('newest 5s ago'))).split('\n')[0]!;
		now += 60_000;
		const after = (await screen.waitFor(text => text.includes('newest 1m ago'))).split('\n')[0]!;
		expect(after.indexOf('STARTING')).toBe(before.indexOf('STARTING'));
		expect(after.length).toBe(before.length);
	});
});

describe('using the space', () => {
	it('the advice of the selected finding takes every free line of the diagnosis pane', async () => {
		const advice =
			'Add an outbound rule to the network ACL of subnet-0f6c8e1a3b5d79246: allow TCP 1024-65535 to 10.0.20.0/24. TCP 5432 (PostgreSQL) requests reach eni-05e8acdcbbefd1fa0 and are accepted, but the responses are rejected on the way out.';
		const finding = {
			id: 'f',
			kind: 'nacl-return-blocked',
			severity: 'critical',
			eni: 'eni-05e8acdcbbefd1fa0',
			count: 96,
			confidence: 'high',
			why: 'every reply refused',
			summary: 'NACL drops TCP 5432 replies',
			advice,
			firstSeen: nowSeconds - 300,
			lastSeen: nowSeconds - 240,
			evidence: [],
			filter: 'eni-05e8acdcbbefd1fa0 port:5432',
		} as const;
		screen = renderApp({
			columns: 80,
			rows: 24,
			records: late,
			diagnosis: {update: () => [finding], isNew: () => false},
		});
		const frame = await screen.waitFor(text => text.includes('NACL drops'));
		expect(frame).toMatch(/rejected on the\s+way out\.$/m);
	});
});

describe("the diagnosis's own note", () => {
	it('stands on a line above the figures, and the screen still fits', async () => {
		screen = renderApp({
			columns: 80,
			rows: 24,
			records: late,
			diagnosis: {
				update: () => [],
				isNew: () => false,
				note: () => 'EC2 DescribeNetworkInterfaces denied: findings infer from the traffic',
			},
		});
		const frame = await screen.waitFor(text => text.includes('DescribeNetworkInterfaces denied'));
		const lines = frame.split('\n');
		expect(lines.findIndex(line => line.includes('denied'))).toBe(
			lines.findIndex(line => line.includes('in window')) - 1,
		);
		expect(lines.length).toBeLessThanOrEqual(23);
	});
});

describe('the header at 80 columns', () => {
	it('keeps a long filter whole, on a line of its own', async () => {
		const filter = 'eni-0123456789abcdef0 src:10.100.200.0/24 dst:172.31.255.0/24 port:5432,6379,27017 tcp reject';
		screen = renderApp({columns: 80, rows: 24, records: late, state: {filter: parseFilter(filter)}});
		const frame = await screen.waitFor(text => text.includes('Top talkers'));
		const header = frame.split('\n').slice(0, 3).join(' ');
		for (const term of filter.split(' ')) {
			expect(header).toContain(term);
		}

		expect(frame.split('\n')[0]).toContain('test-flows');
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
		expect(frame.split('\n').at(-1)).toContain('q quit');
	});

	it('keeps the fix at the end of a long error', async () => {
		screen = renderApp({columns: 80, rows: 24});
		screen.source.status({
			kind: 'error',
			message:
				'the log group /aws/vpc/production/flow-logs/eu-west-1/main-account holds lines in a format of its own that flowtop could not work out from the first records it read, and no --format was given: give --format',
		});
		const frame = await screen.waitFor(text => text.includes('give --format'));
		expect(frame.split('\n').length).toBeLessThanOrEqual(23);
		expect(frame.split('\n').every(line => [...line].length <= 80)).toBe(true);
	});
});

describe('small terminals', () => {
	const addresses = records([
		v2({
			srcaddr: '192.168.100.200',
			dstaddr: '172.31.255.254',
			bytes: 5_000_000,
			start: nowSeconds - 120,
			end: nowSeconds - 60,
		}),
		v2({
			'interface-id': 'eni-0123456789abcdef0',
			srcaddr: '203.0.113.254',
			dstaddr: '192.168.100.200',
			dstport: 22,
			action: 'REJECT',
			start: nowSeconds - 120,
			end: nowSeconds - 60,
		}),
	]);

	it('at 60x15 drops the protocols pane whole rather than cut an address, in every view', async () => {
		screen = renderApp({columns: 60, rows: 15, records: addresses});
		let frame = await screen.waitFor(text => text.includes('Top talkers'));
		expect(frame).not.toContain('Protocols');
		expect(frame).toMatch(/192\.168\.100\.200\s+→ 172\.31\.255\.254/);
		expect(frame.split('\n').every(line => [...line].length <= 60)).toBe(true);
		expect(frame.split('\n').length).toBeLessThanOrEqual(14);
		await screen.press('\t');
		for (const [view, shown] of [
			['by target', '192.168.100.200'],
			['by interface', 'eni-0123456789abcdef0'],
			['latest first', '203.0.113.254'],
		] as const) {
			await screen.press('v');
			frame = await screen.waitFor(text => text.includes(view));
			expect(frame).toContain(shown);
			expect(frame).not.toMatch(/\d+\.\d*…\d*\.\d+/);
		}
	});

	it('below the minimum says how big it needs to be, and q still quits', async () => {
		screen = renderApp({columns: 45, rows: 10, records: addresses});
		await screen.waitFor(text => text.includes('at least 50x12;') && text.includes('this one is 45x10'));
		await screen.press('q');
		await screen.exited;
	});
});
