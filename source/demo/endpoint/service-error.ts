/**
 * An error as CloudWatch Logs reports it over JSON 1.1: the exception name travels as `__type`
 * (and in `x-amzn-errortype`), which is how the SDK picks the exception class it throws.
 */
export class ServiceError extends Error {
	constructor(
		readonly type: string,
		message: string,
		readonly status = 400,
		/** Members some exceptions carry besides the message (MalformedQueryException's queryCompileError). */
		readonly details: Readonly<Record<string, unknown>> = {},
	) {
		super(message);
	}
}

export function invalidParameter(message: string): ServiceError {
	return new ServiceError('InvalidParameterException', message);
}

export function resourceNotFound(message: string): ServiceError {
	return new ServiceError('ResourceNotFoundException', message);
}

export function resourceAlreadyExists(message: string): ServiceError {
	return new ServiceError('ResourceAlreadyExistsException', message);
}
