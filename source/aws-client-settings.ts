import {withoutUndefined} from './without-undefined.js';

/** How to reach an AWS account: the logs client and the EC2 client are made from the same. */
export interface AwsAccess {
	readonly region?: string | undefined;
	readonly profile?: string | undefined;
	/** `--endpoint`: any CloudWatch Logs-compatible URL (a local one may answer EC2 too). */
	readonly endpoint?: string | undefined;
	/** Fixed credentials (the demo's own endpoint); otherwise the standard chain, with `profile`. */
	readonly credentials?: {readonly accessKeyId: string; readonly secretAccessKey: string};
}

/** The standard chain's credentials and Region, as an SDK client of the same service resolves them. */
export interface StandardChain {
	readonly credentials: () => Promise<{
		readonly accessKeyId: string;
		readonly secretAccessKey: string;
		readonly sessionToken?: string;
		readonly expiration?: Date;
	}>;
	readonly region: () => Promise<string>;
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

/** The profile and Region a client of the standard chain is asked for, where given. */
export function chainSettings(access: AwsAccess): {profile?: string; region?: string} {
	return withoutUndefined({profile: access.profile, region: access.region});
}

/**
 * The settings every flowtop SDK client is made with. A local endpoint (the demo's, moto) only
 * needs requests to be signed, so when the standard chain finds no credentials or Region for one,
 * placeholders are used rather than an error nobody needs to fix; `standardChain` is asked only then.
 */
export function clientSettings(access: AwsAccess, maxAttempts: number, standardChain: () => StandardChain) {
	// The SDK warns about Node versions on stderr, which would tear the live view: flowtop says what it needs itself.
	process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
	const base = {...chainSettings(access), ...withoutUndefined({endpoint: access.endpoint}), maxAttempts};
	if (access.credentials) {
		return {...base, region: access.region ?? LOCAL_REGION, credentials: access.credentials};
	}

	if (access.endpoint === undefined || !isLoopback(access.endpoint)) {
		return base;
	}

	const {credentials, region} = standardChain();
	return {
		...base,
		region: async () => region().catch(() => LOCAL_REGION),
		credentials: async () =>
			credentials().catch((error: unknown) => {
				if ((error as Error).name === 'CredentialsProviderError') {
					return LOCAL_CREDENTIALS;
				}

				throw error;
			}),
	};
}
