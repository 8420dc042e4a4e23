import {describe, expect, it} from 'vitest';
import {logGroupNotFound, Problem, problemOf, type ProblemContext} from '../../../source/sources/insights/problem.js';

const ENDPOINT = 'https://logs.eu-west-1.amazonaws.com';
const context: ProblemContext = {
	logGroups: ['/vpc/prod-flow-logs'],
	endpoint: ENDPOINT,
	region: 'eu-west-1',
	profile: undefined,
};
const withProfile: ProblemContext = {...context, profile: 'prod'};

/** What the SDK throws for a service error: its name, the service's words, the HTTP status. */
function serviceError(name: string, message = '', httpStatusCode = 400) {
	return {name, message, $metadata: {httpStatusCode}};
}

/** What Node throws for a failed connection: a code, and a name that says nothing. */
function socketError(code: string, message = '') {
	return {name: 'Error', code, message};
}

describe('what an AWS error means, and what to do about it', () => {
	it.each([
		'ThrottlingException',
		'Throttling',
		'TooManyRequestsException',
		'RequestLimitExceeded',
		'ProvisionedThroughputExceededException',
	])('%s: throttled, retried by itself with a longer wait', name => {
		const problem = problemOf(serviceError(name, 'Rate exceeded'), context);
		expect(problem.kind).toBe('throttled');
		expect(problem.message).toBe(`CloudWatch Logs is throttling (${name})`);
		expect(problem.needsPerson).toBe(false);
		expect(problem.isUsage).toBe(false);
	});

	it('too many queries running in the account: throttled too', () => {
		const problem = problemOf(serviceError('LimitExceededException', 'Resource limit exceeded.'), context);
		expect(problem).toMatchObject({kind: 'throttled', needsPerson: false});
		expect(problem.message).toBe('the account has too many Insights queries running (LimitExceededException)');
	});

	it.each(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired'])(
		'%s: expired credentials, for a person to log in again with the profile flowtop was given',
		name => {
			const problem = problemOf(
				serviceError(name, 'The security token included in the request is expired'),
				withProfile,
			);
			expect(problem.kind).toBe('credentials');
			expect(problem.needsPerson).toBe(true);
			expect(problem.message).toBe(
				`the AWS credentials have expired (${name}): run aws sso login --profile prod or refresh AWS_SESSION_TOKEN`,
			);
		},
	);

	it.each([
		'UnrecognizedClientException',
		'InvalidClientTokenId',
		'InvalidSignatureException',
		'IncompleteSignature',
		'SignatureDoesNotMatch',
		'MissingAuthenticationTokenException',
	])('%s: credentials AWS refused, with what it said', name => {
		const problem = problemOf(serviceError(name, 'The request signature we calculated does not match.'), context);
		expect(problem.kind).toBe('credentials');
		expect(problem.message).toBe(
			`AWS refused the credentials (${name}: The request signature we calculated does not match.): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or --profile NAME, and that they are for the account holding the log group`,
		);
	});

	it.each(['AccessDeniedException', 'AccessDenied'])(
		'%s without the action named: access denied to the groups, with the actions flowtop needs',
		name => {
			const problem = problemOf(serviceError(name, 'Forbidden'), {...withProfile, logGroups: ['/vpc/a', '/vpc/b']});
			expect(problem.kind).toBe('access-denied');
			expect(problem.needsPerson).toBe(true);
			expect(problem.message).toBe(
				'access denied to "/vpc/a", "/vpc/b": the identity needs logs:StartQuery, logs:GetQueryResults, logs:StopQuery, logs:DescribeLogGroups on the log group (the README has the policy); check --profile prod',
			);
		},
	);

	it('access denied to one action: names it, however the policy message spaces it', () => {
		const problem = problemOf(
			serviceError(
				'AccessDeniedException',
				'User: arn:aws:iam::123456789012:user/x is not authorized to perform:logs:StopQuery',
			),
			context,
		);
		expect(problem.message).toMatch(/^access denied to logs:StopQuery on "\/vpc\/prod-flow-logs": /);
	});

	it('access denied with no message at all: still names the groups', () => {
		const problem = problemOf({name: 'AccessDeniedException'}, context);
		expect(problem.message).toMatch(/^access denied to "\/vpc\/prod-flow-logs": /);
	});

	it('a log group that is not there: names the account the service gave, quoted or not', () => {
		const problem = problemOf(
			serviceError('ResourceNotFoundException', 'The specified log group does not exist in account ID 210987654321.'),
			{...context, region: undefined},
		);
		expect(problem.kind).toBe('log-group-not-found');
		expect(problem.message).toBe(
			'log group "/vpc/prod-flow-logs" not found in region (default), account 210987654321: check the name, --region and --profile NAME (the credentials may be for another account)',
		);
		expect(problemOf({name: 'ResourceNotFoundException'}, context).message).toBe(
			'log group "/vpc/prod-flow-logs" not found in region eu-west-1: check the name, --region and --profile NAME (the credentials may be for another account)',
		);
	});

	it("a query's results the service no longer holds: no missing log group, the poll is asked again", () => {
		const problem = problemOf(
			serviceError('ResourceNotFoundException', 'Query 2f0a9c1e-77b4-4f7e-9d43-0c5b8f1e6a2d does not exist.'),
			context,
		);
		expect(problem).toMatchObject({kind: 'transient', needsPerson: false});
		expect(problem.message).toBe(
			'the service no longer holds the results of a query flowtop was reading (Query 2f0a9c1e-77b4-4f7e-9d43-0c5b8f1e6a2d does not exist.)',
		);
	});

	it('several log groups not there: names each', () => {
		expect(logGroupNotFound(context, ['/vpc/a', '/vpc/b']).message).toBe(
			'log group "/vpc/a", "/vpc/b" not found in region eu-west-1: check the name, --region and --profile NAME (the credentials may be for another account)',
		);
	});

	it.each([
		'MalformedQueryException',
		'InvalidParameterException',
		'SerializationException',
		'ValidationException',
		'InvalidParameterValueException',
	])('%s: the request flowtop built was refused, a bug to report', name => {
		const problem = problemOf(serviceError(name, 'bad'), context);
		expect(problem.kind).toBe('query-refused');
		expect(problem.needsPerson).toBe(true);
	});

	it.each([
		'ECONNREFUSED',
		'ENOTFOUND',
		'EAI_AGAIN',
		'EHOSTUNREACH',
		'ENETUNREACH',
		'CERT_HAS_EXPIRED',
		'DEPTH_ZERO_SELF_SIGNED_CERT',
		'SELF_SIGNED_CERT_IN_CHAIN',
		'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	])('%s: the endpoint cannot be reached, for a person to fix the URL or the network', code => {
		const problem = problemOf(socketError(code), context);
		expect(problem.kind).toBe('unreachable');
		expect(problem.needsPerson).toBe(true);
		expect(problem.message).toBe(
			`cannot reach CloudWatch Logs at ${ENDPOINT} (${code}): check --endpoint, --region and the network`,
		);
	});

	it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED'])(
		'%s: a dropped connection, tried again soon, named by its code',
		code => {
			const problem = problemOf(socketError(code, 'read failed'), context);
			expect(problem.kind).toBe('transient');
			expect(problem.needsPerson).toBe(false);
			expect(problem.message).toBe(`the connection to ${ENDPOINT} dropped (${code})`);
		},
	);

	it.each(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException'])(
		'%s: a call that timed out, tried again soon, named by its name',
		name => {
			const problem = problemOf({name, message: 'timed out'}, context);
			expect(problem.kind).toBe('transient');
			expect(problem.message).toBe(`the connection to ${ENDPOINT} dropped (${name})`);
		},
	);

	it('a socket that hung up, with neither code nor name: says what the socket said', () => {
		const problem = problemOf({message: 'socket hang up'}, context);
		expect(problem.kind).toBe('transient');
		expect(problem.message).toBe(`the connection to ${ENDPOINT} dropped (socket hang up)`);
	});

	it('a server error: transient, with the status and what the service said on one line', () => {
		const problem = problemOf(
			serviceError('ServiceUnavailableException', '  The server failed\n\tto process   the request. ', 503),
			context,
		);
		expect(problem.kind).toBe('transient');
		expect(problem.message).toBe(
			'CloudWatch Logs failed (ServiceUnavailableException 503: The server failed to process the request.)',
		);
	});

	it('a bare 500 without a name or words: says HTTP and the status alone', () => {
		expect(problemOf({$metadata: {httpStatusCode: 500}}, context).message).toBe('CloudWatch Logs failed (HTTP 500)');
	});

	it('a 4xx no rule knows: transient, with its name and words', () => {
		const problem = problemOf(serviceError('ConflictException', 'a conflict', 499), context);
		expect(problem.kind).toBe('transient');
		expect(problem.message).toBe('CloudWatch Logs call failed (ConflictException: a conflict)');
	});

	it('something thrown that is not an error: its text', () => {
		expect(problemOf('boom', context).message).toBe('CloudWatch Logs call failed (boom)');
		expect(problemOf({name: 'OddError'}, context).message).toBe('CloudWatch Logs call failed (OddError)');
	});

	it('what the service said cannot drive the terminal', () => {
		expect(problemOf({message: 'evil \u001B[2J text'}, context).message).toBe(
			'CloudWatch Logs call failed (evil ?[2J text)',
		);
	});

	it('a Problem already made passes through as it is', () => {
		const problem = new Problem('no-region', 'no AWS Region set');
		expect(problemOf(problem, context)).toBe(problem);
		expect(problem.name).toBe('Problem');
		expect(problem.isUsage).toBe(true);
	});
});

describe('credentials the SDK could not find or refresh', () => {
	it('none anywhere, whichever providers the SDK tried: names the variables, the profile flag and SSO login', () => {
		const problem = problemOf(
			{name: 'CredentialsProviderError', message: 'Could not load credentials from any providers (env, sso, ini)'},
			withProfile,
		);
		expect(problem.kind).toBe('credentials');
		expect(problem.message).toBe(
			'no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE / --profile prod, or run aws sso login --profile prod',
		);
	});

	it('an SSO session that expired: says to log in again, with what the SDK said', () => {
		const problem = problemOf(
			{name: 'CredentialsProviderError', message: 'The SSO session associated with this profile has expired.'},
			context,
		);
		expect(problem.kind).toBe('credentials');
		expect(problem.message).toBe(
			'the AWS session has expired or cannot be refreshed (The SSO session associated with this profile has expired.): run aws sso login',
		);
	});

	it('a token that cannot be refreshed, said by an error of another name: the same', () => {
		const problem = problemOf(
			{name: 'Error', message: 'Could not load credentials: token refresh failed'},
			withProfile,
		);
		expect(problem.message).toBe(
			'the AWS session has expired or cannot be refreshed (Could not load credentials: token refresh failed): run aws sso login --profile prod',
		);
	});

	it('a provider that failed for a reason that is not a session: no credentials found', () => {
		const problem = problemOf({name: 'CredentialsProviderError', message: 'Profile dev not found'}, context);
		expect(problem.message).toMatch(/^no AWS credentials found: /);
	});
});
