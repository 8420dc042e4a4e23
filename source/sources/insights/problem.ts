import {safeText} from '../../text/safe-text.js';

/**
 * What went wrong talking to CloudWatch Logs, as one line that says what to do. The live view shows
 * it in the status bar and keeps polling; `--once` prints it and exits 1 (2 for a usage problem).
 */
export type ProblemKind =
	/** ThrottlingException, LimitExceededException: wait longer, with jitter, then try again. */
	| 'throttled'
	/** 5xx, a dropped connection, a query that ended Failed/Timeout/Cancelled: try again soon. */
	| 'transient'
	/** No credentials, expired ones, or ones AWS does not recognize. */
	| 'credentials'
	| 'access-denied'
	| 'log-group-not-found'
	| 'unreachable'
	| 'not-flow-logs'
	/** No Region anywhere in the chain: a flag is missing. */
	| 'no-region'
	/** A log group name no group can have: a flag is wrong. */
	| 'bad-log-group-name'
	/** The endpoint refused the request flowtop built, or flowtop caught itself building a bad one: a bug in flowtop or in the endpoint. */
	| 'query-refused';

export class Problem extends Error {
	override readonly name = 'Problem';

	constructor(
		readonly kind: ProblemKind,
		message: string,
	) {
		super(message);
	}

	/** Only a person can fix it (log in, grant a permission, name another group): retry slowly. */
	get needsPerson(): boolean {
		return this.kind !== 'throttled' && this.kind !== 'transient';
	}

	/** A flag was wrong or missing: exit code 2 for `--once`. */
	get isUsage(): boolean {
		return this.kind === 'no-region' || this.kind === 'bad-log-group-name';
	}
}

/** Where the calls went, to name it in the message. */
export interface ProblemContext {
	readonly logGroups: readonly string[];
	/** The URL the client talks to: `--endpoint`, or AWS's own for the Region. */
	readonly endpoint: string;
	readonly region: string | undefined;
	readonly profile: string | undefined;
}

/** The IAM actions flowtop calls, all read-only. */
export const REQUIRED_ACTIONS = [
	'logs:StartQuery',
	'logs:GetQueryResults',
	'logs:StopQuery',
	'logs:DescribeLogGroups',
] as const;

interface ErrorLike {
	readonly name?: string;
	readonly code?: string;
	readonly message?: string;
	readonly $metadata?: {readonly httpStatusCode?: number};
}

const THROTTLED = new Set([
	'ThrottlingException',
	'Throttling',
	'TooManyRequestsException',
	'RequestLimitExceeded',
	'ProvisionedThroughputExceededException',
]);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const REJECTED = new Set([
	'UnrecognizedClientException',
	'InvalidClientTokenId',
	'InvalidSignatureException',
	'IncompleteSignature',
	'SignatureDoesNotMatch',
	'MissingAuthenticationTokenException',
]);
const UNREACHABLE = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);
/** What a service says when the request itself was wrong: flowtop built it, so flowtop says so. */
const REFUSED_REQUEST = new Set([
	'MalformedQueryException',
	'InvalidParameterException',
	'SerializationException',
	'ValidationException',
	'InvalidParameterValueException',
]);
const DROPPED = new Set([
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'ECONNABORTED',
	'TimeoutError',
	'RequestTimeout',
	'RequestTimeoutException',
]);

/** The service's own words, on one line, without anything a terminal would act on. */
function said(error: ErrorLike): string {
	return safeText((error.message ?? '').replace(/\s+/g, ' ').trim());
}

function profileHint(context: ProblemContext): string {
	return context.profile === undefined ? '--profile NAME' : `--profile ${context.profile}`;
}

function ssoLogin(context: ProblemContext): string {
	return context.profile === undefined ? 'aws sso login' : `aws sso login --profile ${context.profile}`;
}

function groups(context: ProblemContext): string {
	return context.logGroups.map(group => `"${safeText(group)}"`).join(', ');
}

function credentialsProblem(error: ErrorLike, context: ProblemContext): Problem {
	const text = said(error);
	if (/sso|token|expired|refresh/i.test(text) && !/could not load credentials from any providers/i.test(text)) {
		return new Problem(
			'credentials',
			`the AWS session has expired or cannot be refreshed (${text}): run ${ssoLogin(context)}`,
		);
	}

	return new Problem(
		'credentials',
		`no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE / ${profileHint(context)}, or run ${ssoLogin(context)}`,
	);
}

function accessDenied(error: ErrorLike, context: ProblemContext): Problem {
	// Stryker disable next-line StringLiteral: a missing message matches no action whatever text stands in for it
	const action = /perform:\s*(logs:\w+)/.exec(error.message ?? '')?.[1];
	const what = action ? `${action} on ${groups(context)}` : groups(context);
	return new Problem(
		'access-denied',
		`access denied to ${what}: the identity needs ${REQUIRED_ACTIONS.join(', ')} on the log group (the README has the policy); check ${profileHint(context)}`,
	);
}

/** A log group that is not there, with the names of those that are and look like it. */
export function logGroupNotFound(
	context: ProblemContext,
	missing: readonly string[],
	suggestions: readonly string[] = [],
	account?: string,
): Problem {
	const where = [
		`region ${context.region ?? '(default)'}`,
		...(account ? [`account ${account}`] : []),
		...(context.profile ? [`profile ${context.profile}`] : []),
	];
	const named = missing.map(group => `"${safeText(group)}"`).join(', ');
	const hint =
		suggestions.length > 0
			? `did you mean ${suggestions.map(group => `"${safeText(group)}"`).join(', ')}?`
			: `check the name, --region and ${profileHint(context)} (the credentials may be for another account)`;
	return new Problem('log-group-not-found', `log group ${named} not found in ${where.join(', ')}: ${hint}`);
}

function notFound(error: ErrorLike, context: ProblemContext): Problem {
	// Stryker disable next-line StringLiteral: a missing message matches no account whatever text stands in for it
	const account = /account ID '?(\d{12})'?/i.exec(error.message ?? '')?.[1];
	return logGroupNotFound(context, context.logGroups, [], account);
}

/** Turn whatever a call threw into a Problem with a message a person can act on. */
export function problemOf(error: unknown, context: ProblemContext): Problem {
	if (error instanceof Problem) {
		return error;
	}

	const failure = (typeof error === 'object' && error !== null ? error : {message: String(error)}) as ErrorLike;
	const name = failure.name ?? '';
	const code = failure.code ?? '';
	const status = failure.$metadata?.httpStatusCode;
	const text = said(failure);
	if (name === 'CredentialsProviderError' || /could not load credentials/i.test(text)) {
		return credentialsProblem(failure, context);
	}

	if (/region is missing/i.test(text)) {
		return new Problem(
			'no-region',
			'no AWS Region set: give --region (us-east-1, eu-west-1, ...), or set AWS_REGION, or a region in the profile',
		);
	}

	if (EXPIRED.has(name)) {
		return new Problem(
			'credentials',
			`the AWS credentials have expired (${name}): run ${ssoLogin(context)} or refresh AWS_SESSION_TOKEN`,
		);
	}

	if (REJECTED.has(name)) {
		return new Problem(
			'credentials',
			`AWS refused the credentials (${name}: ${text}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or ${profileHint(context)}, and that they are for the account holding the log group`,
		);
	}

	if (name === 'AccessDeniedException' || name === 'AccessDenied') {
		return accessDenied(failure, context);
	}

	// A query's results the service no longer holds (GetQueryResults after they expired) are no
	// missing log group: the poll is asked again.
	if (name === 'ResourceNotFoundException' && /^Query \S+ does not exist/i.test(text)) {
		return new Problem('transient', `the service no longer holds the results of a query flowtop was reading (${text})`);
	}

	if (name === 'ResourceNotFoundException') {
		return notFound(failure, context);
	}

	if (name === 'LimitExceededException') {
		return new Problem('throttled', 'the account has too many Insights queries running (LimitExceededException)');
	}

	if (THROTTLED.has(name)) {
		return new Problem('throttled', `CloudWatch Logs is throttling (${name})`);
	}

	if (REFUSED_REQUEST.has(name)) {
		return new Problem(
			'query-refused',
			`${context.endpoint} refused flowtop's own request (${name}: ${text}): a bug in flowtop or the endpoint; please report it, with the query from --debug`,
		);
	}

	if (UNREACHABLE.has(code)) {
		return new Problem(
			'unreachable',
			`cannot reach CloudWatch Logs at ${context.endpoint} (${code}): check --endpoint, --region and the network`,
		);
	}

	if (DROPPED.has(code) || DROPPED.has(name) || /socket hang up/i.test(text)) {
		return new Problem('transient', `the connection to ${context.endpoint} dropped (${code || name || text})`);
	}

	// Stryker disable next-line ConditionalExpression: `undefined >= 500` is false too; the test is for the type checker
	if (status !== undefined && status >= 500) {
		return new Problem('transient', `CloudWatch Logs failed (${name || 'HTTP'} ${status}${text ? `: ${text}` : ''})`);
	}

	return new Problem('transient', `CloudWatch Logs call failed (${[name, text].filter(Boolean).join(': ')})`);
}
