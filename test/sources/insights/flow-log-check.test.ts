import {describe, expect, it} from 'vitest';
import {ParseStats} from '../../../source/flowlog/decoder.js';
import {DEFAULT_FORMAT, parseFormatString} from '../../../source/flowlog/format.js';
import {FlowLogCheck} from '../../../source/sources/insights/flow-log-check.js';

const GROUPS = ['/vpc/prod'];

/** Stats of messages that failed for these reasons, this many times each. */
function failures(reasons: Record<string, number>): ParseStats {
	const stats = new ParseStats();
	for (const [reason, count] of Object.entries(reasons)) {
		for (let i = 0; i < count; i++) {
			stats.note(i + 1, reason, 'START RequestId: 1');
		}
	}

	return stats;
}

function checked(messages: number, malformed: number, format = DEFAULT_FORMAT) {
	const check = new FlowLogCheck(format);
	check.observe(messages, malformed);
	return check;
}

describe('a log group that does not hold flow logs', () => {
	it('is not judged on fewer than 20 messages, however many failed', () => {
		expect(checked(19, 19).problem(GROUPS, failures({bad: 19}))).toBeUndefined();
		expect(checked(20, 20).problem(GROUPS, failures({bad: 20}))?.kind).toBe('not-flow-logs');
	});

	it('is blamed once four messages in five fail, not before', () => {
		expect(checked(20, 15).problem(GROUPS, failures({bad: 15}))).toBeUndefined();
		expect(checked(20, 16).problem(GROUPS, failures({bad: 16}))?.kind).toBe('not-flow-logs');
	});

	it('adds up what it reads over several polls', () => {
		const check = new FlowLogCheck(DEFAULT_FORMAT);
		check.observe(10, 10);
		expect(check.problem(GROUPS, failures({bad: 10}))).toBeUndefined();
		check.observe(10, 6);
		expect(check.problem(GROUPS, failures({bad: 16}))?.message).toMatch(/: 16 of 20 messages /);
	});

	it('names every group, the most common reason, and how to fix the default format', () => {
		const problem = checked(30, 30).problem(
			['/vpc/a', '/vpc/b'],
			failures({'bad action': 4, 'wrong field count: expected 14, got 5': 20, 'bad port': 6}),
		);
		expect(problem?.message).toBe(
			'"/vpc/a", "/vpc/b" does not look like VPC flow logs: 30 of 30 messages are not records in the default flow-log format (wrong field count: expected 14, got 5); if it holds flow logs in a custom format give that format with --format, else choose the group the flow log writes to',
		);
	});

	it('read with a --format: says to check that format against the flow log', () => {
		const format = parseFormatString('${version} ${interface-id} ${srcaddr} ${dstaddr} ${action}');
		const problem = checked(20, 20, format).problem(GROUPS, new ParseStats());
		expect(problem?.message).toBe(
			`"/vpc/prod" does not look like VPC flow logs: 20 of 20 messages are not records in the given --format; check --format against the flow log's own format (aws ec2 describe-flow-logs shows it)`,
		);
	});
});
