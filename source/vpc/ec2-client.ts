import {EC2Client} from '@aws-sdk/client-ec2';
import {isLoopback, type LogsClientOptions} from '../sources/insights/client.js';

const LOCAL_CREDENTIALS = {accessKeyId: 'flowtop-local', secretAccessKey: 'flowtop-local'};
const LOCAL_REGION = 'us-east-1';

/**
 * An EC2 client with the logs client's credentials, Region and endpoint (a local endpoint such as
 * the demo's, moto or LocalStack answers both APIs). Import this module lazily: the EC2 SDK is
 * large, and a run must not pay for it at start-up.
 */
export function createEc2Client(options: LogsClientOptions): EC2Client {
	// The SDK warns about Node versions on stderr, which would tear the live view.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	const base = {endpoint: options.endpoint, profile: options.profile, maxAttempts: 2};
	if (options.credentials) {
		return new EC2Client({...base, region: options.region ?? LOCAL_REGION, credentials: options.credentials});
	}

	if (options.endpoint === undefined || !isLoopback(options.endpoint)) {
		return new EC2Client({...base, region: options.region});
	}

	// As for the logs client: a local endpoint only checks that requests are signed.
	const standard = new EC2Client({profile: options.profile, region: options.region});
	const {credentials, region} = standard.config;
	standard.destroy();
	return new EC2Client({
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
