import {describe, expect, it} from 'vitest';
import {dollars, keepEnd, statusContent} from '../../source/ui/status-bar.js';

describe('dollars', () => {
	it('never shows a cost as $0.0000 when there is one', () => {
		expect(dollars(0.000_004)).toBe('<$0.0001');
		expect(dollars(0)).toBe('$0.0000');
		expect(dollars(0.0042)).toBe('$0.0042');
		expect(dollars(1.234)).toBe('$1.23');
	});
});

describe('keepEnd', () => {
	it('wraps what fits, and drops the middle of what does not, keeping the fix', () => {
		expect(keepEnd('short: do this', 20, 2)).toEqual(['short: do this']);
		const lines = keepEnd(
			'the file holds lines in a format flowtop could not work out from its first records: give --format',
			30,
			2,
		);
		expect(lines).toHaveLength(2);
		expect(lines[1]).toBe('give --format');
		expect(lines[0]).toMatch(/…/);
		expect(lines.every(line => line.length <= 30)).toBe(true);
	});
});

describe('the note line', () => {
	const input = {
		recordsPerSecond: 0,
		inWindow: 3,
		filtered: false,
		malformed: 0,
		summarized: 0,
		failure: undefined,
		lagSeconds: undefined,
		cost: undefined,
		pricePerGb: 0.005,
		notice: undefined,
		now: 0,
		width: 80,
	};

	it('shows what a file says of --format, whole, beside what the diagnosis works without', () => {
		const note = "the file's header names its format: --format was used only before it";
		expect(statusContent({...input, source: {kind: 'done', note}}).note).toBe(note);
		expect(
			statusContent({...input, source: {kind: 'following', note}, configuration: 'EC2 configuration off'}).note,
		).toBe(`EC2 configuration off · ${note}`);
		expect(statusContent({...input, source: {kind: 'done'}}).note).toBeUndefined();
	});
});

describe('the query mode', () => {
	const input = {
		recordsPerSecond: 2000,
		inWindow: 1_800_000,
		filtered: false,
		malformed: 0,
		summarized: 0,
		source: {kind: 'waiting', nextPollAt: 4000},
		failure: undefined,
		lagSeconds: undefined,
		cost: undefined,
		pricePerGb: 0.005,
		notice: undefined,
		now: 0,
		width: 120,
	} as const;

	it('shows the mode among the figures where they have room, and why on the note line when it is sums', () => {
		const chosen = statusContent({
			...input,
			queryMode: {mode: 'aggregate', reason: 'auto: 20k new records in a poll (raw is comfortable to 5.0k)'},
		});
		expect(chosen.line).toMatch(/ · aggregate · $/);
		expect(chosen.note).toBe('aggregate mode: 20k new records in a poll (raw is comfortable to 5.0k)');
		const back = statusContent({
			...input,
			queryMode: {mode: 'raw', reason: 'auto: about 300 new records a poll, raw pages hold them'},
		});
		expect(back.line).toMatch(/ · raw · $/);
		expect(back.note).toBeUndefined();
		expect(statusContent({...input, width: 80, queryMode: {mode: 'raw', reason: '--mode raw'}}).line).not.toMatch(
			/raw/,
		);
	});

	it('says nothing more of a mode a flag asked for and got, and says why it did not get one', () => {
		expect(statusContent({...input, queryMode: {mode: 'aggregate', reason: '--mode aggregate'}}).note).toBeUndefined();
		expect(
			statusContent({
				...input,
				queryMode: {
					mode: 'raw',
					reason: 'raw: http://127.0.0.1:5000 answered a Logs Insights stats query without aggregating',
				},
			}).note,
		).toBe('raw mode: http://127.0.0.1:5000 answered a Logs Insights stats query without aggregating');
		expect(statusContent(input).line).not.toMatch(/raw|aggregate/);
	});
});

describe('the figures line', () => {
	const polling = {
		recordsPerSecond: 963,
		inWindow: 4300,
		filtered: false,
		malformed: 0,
		summarized: 0,
		source: {kind: 'waiting', nextPollAt: 4000} as const,
		failure: undefined,
		lagSeconds: undefined,
		cost: {bytesScanned: 1_800_000, bytesReceived: 0, queries: 3, recordsScanned: 9000, recordsMatched: 9000},
		pricePerGb: 0.005,
		notice: undefined,
		configurationRead: {at: -5000, reading: false},
		now: 0,
	};

	it('keeps the poll countdown on an 80-column line: the rules age, then the cost, give way first', () => {
		const narrow = statusContent({...polling, width: 80});
		expect(narrow.message).toBe('next poll in 4s');
		expect(narrow.line.length + narrow.message.length).toBeLessThanOrEqual(80);
		expect(narrow.line).toContain('scanned 1.7 MiB');
		expect(narrow.line).not.toContain('rules read');

		const tiny = statusContent({...polling, width: 50});
		expect(tiny.line).not.toContain('scanned');
		expect(tiny.line).toContain('in window');
	});

	it('says how long a poll has run once it runs long, as the first poll of a busy group does', () => {
		const running = (seconds: number) =>
			statusContent({...polling, width: 80, source: {kind: 'polling', since: 0}, now: seconds * 1000}).message;
		expect(running(2)).toBe('polling');
		expect(running(3)).toBe('polling for 3s');
		expect(running(75)).toBe('polling for 1m15s');
	});

	it('shows every figure where the line has room', () => {
		const wide = statusContent({...polling, width: 140});
		expect(wide.line).toContain('scanned');
		expect(wide.line).toContain('rules read 5s ago');
	});
});
