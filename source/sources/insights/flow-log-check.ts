import type {ParseStats} from '../../flowlog/decoder.js';
import type {FlowFormat} from '../../flowlog/format.js';
import {safeText} from '../../text/safe-text.js';
import {Problem} from './problem.js';

/** Enough messages to judge by, and the share of them that must fail before the group is blamed. */
const MIN_MESSAGES = 20;
const MALFORMED_SHARE = 0.8;

/**
 * Notices a log group that does not hold flow logs (or holds them in another format than the one
 * flowtop parses with): most of its messages fail to parse. A few bad lines are normal; most is a
 * wrong group or a missing --format.
 */
export class FlowLogCheck {
	private messages = 0;
	private malformed = 0;

	constructor(private readonly format: FlowFormat) {}

	/** Messages read for the first time, and how many of them were malformed. */
	observe(messages: number, malformed: number): void {
		this.messages += messages;
		this.malformed += malformed;
	}

	problem(logGroups: readonly string[], stats: ParseStats): Problem | undefined {
		if (this.messages < MIN_MESSAGES || this.malformed < this.messages * MALFORMED_SHARE) {
			return undefined;
		}

		const [reason] = [...stats.byReason].sort((a, b) => b[1] - a[1])[0] ?? [];
		const format = this.format.isDefault ? 'the default flow-log format' : 'the given --format';
		const fix = this.format.isDefault
			? 'if it holds flow logs in a custom format give that format with --format, else choose the group the flow log writes to'
			: "check --format against the flow log's own format (aws ec2 describe-flow-logs shows it)";
		return new Problem(
			'not-flow-logs',
			`${logGroups.map(group => `"${safeText(group)}"`).join(', ')} does not look like VPC flow logs: ${this.malformed} of ${this.messages} messages are not records in ${format}${reason ? ` (${safeText(reason)})` : ''}; ${fix}`,
		);
	}
}
