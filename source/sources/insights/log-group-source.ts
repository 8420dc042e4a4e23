import type {Config, SourceConfig} from '../../config.js';
import {UserError} from '../../errors.js';
import {createLogsClient, endpointUrl} from './client.js';
import {logGroupsWithPrefix} from './log-groups.js';
import {InsightsPoller, type InsightsPollerOptions} from './poller.js';
import {type Problem, problemOf} from './problem.js';
import {realTiming} from '../../clock.js';
import {debugWriter} from '../../debug-log.js';

export type LogGroupSourceConfig = Extract<SourceConfig, {kind: 'insights'}>;

/** A Problem met before polling starts, as `--once` and the CLI report it. */
export function userError(problem: Problem): UserError {
	return new UserError(problem.message, problem.isUsage ? 2 : 1);
}

/**
 * `--log-group NAME`: the Insights poller over the named groups, with a client made from
 * --region, --profile and --endpoint (the standard chain for the rest); stop() destroys it.
 * `--log-group-prefix P` with no names reads every group starting with P (a query takes up to 50),
 * or, given `pick`, the group a person picks among them.
 * Throws a UserError for what stops it before the first poll (no group has the prefix).
 */
export async function openLogGroups(
	config: Config,
	source: LogGroupSourceConfig,
	pick?: (names: readonly string[], prefix: string) => Promise<string>,
	extra: Pick<InsightsPollerOptions, 'natGateways'> = {},
): Promise<InsightsPoller> {
	const client = createLogsClient({region: source.region, profile: source.profile, endpoint: source.endpoint});
	// The Region the chain settled on, to name it in messages; a missing one fails the first call, and says so.
	const region = source.region ?? (await client.config.region().catch(() => undefined));
	const base = {endpoint: endpointUrl({region, endpoint: source.endpoint}), region, profile: source.profile};
	let logGroups = [...source.logGroups];
	if (logGroups.length === 0) {
		// Stryker disable next-line StringLiteral: config.ts gives a prefix whenever it gives no group name
		const prefix = source.logGroupPrefix ?? '';
		try {
			logGroups = await logGroupsWithPrefix(client, prefix);
		} catch (error) {
			client.destroy();
			throw userError(problemOf(error, {...base, logGroups: [`${prefix}*`]}));
		}

		if (logGroups.length === 0) {
			client.destroy();
			throw new UserError(
				// Stryker disable next-line StringLiteral: a DescribeLogGroups that answered had a Region to go to
				`no log group starts with "${prefix}" in region ${region ?? '(default)'}: aws logs describe-log-groups lists them`,
			);
		}

		if (pick && logGroups.length > 1) {
			try {
				logGroups = [await pick(logGroups, prefix)];
			} catch (error) {
				client.destroy();
				throw error;
			}
		}
	}

	return new InsightsPoller({
		client,
		ownsClient: true,
		logGroups,
		format: config.format,
		timing: realTiming(),
		intervalMs: source.intervalSeconds * 1000,
		windowMs: config.windowSeconds * 1000,
		context: {...base, logGroups},
		mode: config.queryMode,
		...(config.mode === 'once' ? {top: config.top} : {}),
		filter: config.filter,
		debug: debugWriter(config.debugLog),
		budget: {dollarsPerHour: config.budgetPerHour, pricePerGb: config.pricePerGb},
		...extra,
	});
}
