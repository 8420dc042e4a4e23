import {type CloudWatchLogsClient, DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {logGroupNotFound, Problem, type ProblemContext} from './problem.js';
import {editDistance} from '../../text/edit-distance.js';

// DescribeLogGroups' largest page, and how many pages a suggestion may read (1,000 groups).
const PAGE = 50;
const SUGGESTION_PAGES = 20;
const SUGGESTIONS = 3;
const VALID_NAME = /^[\w\-/.#]{1,512}$/;

/**
 * Names that look like the one asked for: a typo away, or one inside the other (`vpc-flows` for
 * `/aws/vpc/vpc-flows`). Failing that, groups that say "flow": on an unfamiliar account those are
 * where flow logs usually went.
 */
export function closeNames(name: string, candidates: readonly string[]): string[] {
	const wanted = name.toLowerCase();
	const scored = candidates
		.map(candidate => {
			const lower = candidate.toLowerCase();
			const distance = editDistance(wanted, lower);
			const related =
				distance <= Math.max(2, Math.floor(wanted.length / 4)) || lower.includes(wanted) || wanted.includes(lower);
			return {candidate, distance, related};
		})
		.filter(entry => entry.related)
		.sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1));
	if (scored.length > 0) {
		return scored.slice(0, SUGGESTIONS).map(entry => entry.candidate);
	}

	return candidates.filter(candidate => /flow/i.test(candidate)).slice(0, SUGGESTIONS);
}

async function groupsWithPrefix(
	client: CloudWatchLogsClient,
	prefix: string | undefined,
	pages: number,
): Promise<string[]> {
	const names: string[] = [];
	let nextToken: string | undefined;
	for (let page = 0; page < pages; page++) {
		const output = await client.send(
			new DescribeLogGroupsCommand({logGroupNamePrefix: prefix, limit: PAGE, nextToken}),
		);
		names.push(...(output.logGroups ?? []).map(group => group.logGroupName ?? '').filter(Boolean));
		nextToken = output.nextToken;
		if (!nextToken) {
			break;
		}
	}

	return names;
}

/** The groups whose names start with `prefix`, up to the 50 a single query may name. */
export async function logGroupsWithPrefix(client: CloudWatchLogsClient, prefix: string): Promise<string[]> {
	return groupsWithPrefix(client, prefix, 1);
}

/**
 * Check that every group exists before the first query, so a typo is reported with the names that
 * do exist rather than as a failed query. Throws a Problem.
 */
export async function checkLogGroups(client: CloudWatchLogsClient, context: ProblemContext): Promise<void> {
	const invalid = context.logGroups.find(name => !VALID_NAME.test(name));
	if (invalid !== undefined) {
		throw new Problem(
			'bad-log-group-name',
			`"${invalid}" cannot be a log group name: names use letters, digits and . - _ / # (up to 512)`,
		);
	}

	const missing: string[] = [];
	for (const name of context.logGroups) {
		// The name itself sorts first among the groups that start with it.
		const found = await groupsWithPrefix(client, name, 1);
		if (!found.includes(name)) {
			missing.push(name);
		}
	}

	if (missing.length > 0) {
		const existing = await groupsWithPrefix(client, undefined, SUGGESTION_PAGES);
		throw logGroupNotFound(context, missing, closeNames(missing[0]!, existing));
	}
}
