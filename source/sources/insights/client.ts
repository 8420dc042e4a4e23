import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {type AwsAccess, chainSettings, clientSettings} from '../../aws-client-settings.js';

/** How the logs client reaches the account: the EC2 client is made from the same. */
export type LogsClientOptions = AwsAccess;

/** The URL calls go to, for messages: `--endpoint`, or AWS's own for the Region. */
export function endpointUrl(options: LogsClientOptions): string {
	return (
		options.endpoint ??
		`https://logs.${options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '<region>'}.amazonaws.com`
	);
}

/**
 * A CloudWatch Logs client for the poller. The SDK makes one attempt per call: the poller retries
 * with its own jittered backoff and says so in the status bar, where the SDK's silent retries would
 * multiply with it and hide a throttled account.
 *
 * Its settings, local endpoints included, are every SDK client's (`clientSettings`).
 */
export function createLogsClient(options: LogsClientOptions): CloudWatchLogsClient {
	return new CloudWatchLogsClient(
		clientSettings(options, 1, () => {
			// The chain the client would use on its own, borrowed so a miss can fall back to placeholders.
			const standard = new CloudWatchLogsClient(chainSettings(options));
			const {credentials, region} = standard.config;
			standard.destroy();
			return {credentials, region};
		}),
	);
}
