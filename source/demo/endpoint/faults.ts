import type {ActionName} from './actions.js';
import {ACCOUNT_ID} from './account.js';
import {ServiceError} from './service-error.js';

/** Errors a test can make an action answer with, each with AWS's status and wording. */
export type FaultError =
	| 'ThrottlingException'
	| 'LimitExceededException'
	| 'ServiceUnavailableException'
	| 'InternalServerException'
	| 'ExpiredTokenException'
	| 'AccessDeniedException'
	| 'ResourceNotFoundException';

/** How a query can end other than Complete. */
export type QueryOutcome = 'Failed' | 'Timeout' | 'Cancelled';

export type FaultTarget = ActionName | '*';

export interface FaultOptions {
	/** How many matching requests (or started queries) it applies to; Infinity for all. Default 1. */
	readonly times?: number;
}

export type RequestFault = {readonly kind: 'error'; readonly error: ServiceError} | {readonly kind: 'drop'};

interface Armed<T> {
	readonly target: FaultTarget;
	readonly fault: T;
	remaining: number;
}

function serviceError(type: FaultError, action: ActionName, message: string | undefined): ServiceError {
	switch (type) {
		case 'ThrottlingException': {
			return new ServiceError(type, message ?? 'Rate exceeded');
		}

		case 'LimitExceededException': {
			return new ServiceError(type, message ?? 'Resource limit exceeded.');
		}

		case 'ServiceUnavailableException': {
			return new ServiceError(type, message ?? 'The server failed to process the request.', 503);
		}

		case 'InternalServerException': {
			return new ServiceError(type, message ?? 'Internal server error.', 500);
		}

		case 'ExpiredTokenException': {
			return new ServiceError(type, message ?? 'The security token included in the request is expired');
		}

		case 'AccessDeniedException': {
			return new ServiceError(
				type,
				message ?? `User: arn:aws:iam::${ACCOUNT_ID}:user/flowtop is not authorized to perform: logs:${action}`,
			);
		}

		case 'ResourceNotFoundException': {
			return new ServiceError(type, message ?? 'The specified log group does not exist.');
		}
	}
}

/**
 * Faults armed by tests: errors or dropped connections for the next requests of an action, and
 * outcomes for the next queries started. Each applies `times` times, first armed first used.
 */
export class Faults {
	private readonly requests: Array<Armed<{readonly error: FaultError; readonly message: string | undefined} | 'drop'>> =
		[];
	private readonly outcomes: Array<Armed<QueryOutcome>> = [];

	/** Make requests of `target` answer with this error. */
	fail(target: FaultTarget, error: FaultError, options: FaultOptions & {readonly message?: string} = {}): void {
		this.requests.push({target, fault: {error, message: options.message}, remaining: options.times ?? 1});
	}

	/** Make requests of `target` lose their connection: the socket is destroyed without an answer. */
	drop(target: FaultTarget, options: FaultOptions = {}): void {
		this.requests.push({target, fault: 'drop', remaining: options.times ?? 1});
	}

	/** Make the next queries started end with this status instead of Complete. */
	endQueries(outcome: QueryOutcome, options: FaultOptions = {}): void {
		this.outcomes.push({target: 'StartQuery', fault: outcome, remaining: options.times ?? 1});
	}

	clear(): void {
		this.requests.length = 0;
		this.outcomes.length = 0;
	}

	/** The fault this request meets, if any (and one use of it spent). */
	takeRequestFault(action: ActionName): RequestFault | undefined {
		const fault = take(this.requests, action);
		if (fault === undefined) {
			return undefined;
		}

		return fault === 'drop' ? {kind: 'drop'} : {kind: 'error', error: serviceError(fault.error, action, fault.message)};
	}

	/** The outcome armed for a query being started, if any. */
	takeQueryOutcome(): QueryOutcome | undefined {
		return take(this.outcomes, 'StartQuery');
	}
}

function take<T>(armed: Array<Armed<T>>, action: ActionName): T | undefined {
	const index = armed.findIndex(entry => entry.target === '*' || entry.target === action);
	if (index < 0) {
		return undefined;
	}

	const entry = armed[index]!;
	if (--entry.remaining <= 0) {
		armed.splice(index, 1);
	}

	return entry.fault;
}
