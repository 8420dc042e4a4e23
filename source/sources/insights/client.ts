import {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';

export interface LogsClientOptions {
	readonly region?: string | undefined;
	readonly profile?: string | undefined;
	/** `--endpoint`: any CloudWatch Logs-compatible URL. */
	readonly endpoint?: string | undefined;
	/** Fixed credentials (the demo's own endpoint); otherwise the standard chain, with `profile`. */
	readonly credentials?: {readonly accessKeyId: string; readonly secretAccessKey: string};
}

/** What a local endpoint is given when the chain has nothing: it checks that requests are signed, not by whom. */
const LOCAL_CREDENTIALS = {accessKeyId: 'flowtop-local', secretAccessKey: 'flowtop-local'};
const LOCAL_REGION = 'us-east-1';

export function isLoopback(url: string): boolean {
	try {
		const host = new URL(url).hostname;
		return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
	} catch {
		return false;
	}
}

/** The URL calls go to, for messages: `--endpoint`, or AWS's own for the Region. */
export function endpointUrl(options: LogsClientOptions): string {
	return options.endpoint ?? `https://logs.${options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? '<region>'}.amazonaws.com`;
}

/**
 * A CloudWatch Logs client for the poller. The SDK makes one attempt per call: the poller retries
 * with its own jittered backoff and says so in the status bar, where the SDK's silent retries would
 * multiply with it and hide a throttled account.
 *
 * A local endpoint (the demo's, LocalStack) only needs requests to be signed, so when the standard
 * chain finds no credentials or Region for one, placeholders are used rather than an error nobody
 * needs to fix.
 */
export function createLogsClient(options: LogsClientOptions): CloudWatchLogsClient {
	// The SDK warns about Node versions on stderr, which would tear the live view: flowtop says what it needs itself.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	const base = {endpoint: options.endpoint, profile: options.profile, maxAttempts: 1};
	if (options.credentials) {
		return new CloudWatchLogsClient({...base, region: options.region ?? LOCAL_REGION, credentials: options.credentials});
	}

	if (options.endpoint === undefined || !isLoopback(options.endpoint)) {
		return new CloudWatchLogsClient({...base, region: options.region});
	}

	// The chain the client would use on its own, borrowed so a miss can fall back to placeholders.
	const standard = new CloudWatchLogsClient({profile: options.profile, region: options.region});
	const {credentials, region} = standard.config;
	standard.destroy();
	return new CloudWatchLogsClient({
		...base,
		region: async () => region().catch(() => LOCAL_REGION),
		credentials: async () => credentials().catch((error: unknown) => {
			if ((error as Error).name === 'CredentialsProviderError') {
				return LOCAL_CREDENTIALS;
			}

			throw error;
		}),
	});
}
