import {invalidParameter, ServiceError} from './service-error.js';

/** A request body: the JSON object the SDK serialises from a command's input. */
export type Input = Readonly<Record<string, unknown>>;

// The SDK does not validate inputs; the service does, with these messages.
function missing(name: string): ServiceError {
	return invalidParameter(
		`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`,
	);
}

function wrongType(name: string, expected: string): ServiceError {
	return new ServiceError('SerializationException', `Unexpected value type for '${name}': expected ${expected}`);
}

export function optionalString(input: Input, name: string, path = name): string | undefined {
	const value = input[name];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (typeof value !== 'string') {
		throw wrongType(path, 'a string');
	}

	return value;
}

/** `path` names the member in messages when it sits inside a list (`logEvents.1.member.message`). */
export function requiredString(input: Input, name: string, path = name): string {
	const value = optionalString(input, name, path);
	if (value === undefined) {
		throw missing(path);
	}

	return value;
}

export function optionalInteger(input: Input, name: string, path = name): number | undefined {
	const value = input[name];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (typeof value !== 'number' || !Number.isInteger(value)) {
		throw wrongType(path, 'an integer');
	}

	return value;
}

export function requiredInteger(input: Input, name: string, path = name): number {
	const value = optionalInteger(input, name, path);
	if (value === undefined) {
		throw missing(path);
	}

	return value;
}

export function optionalBoolean(input: Input, name: string): boolean | undefined {
	const value = input[name];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (typeof value !== 'boolean') {
		throw wrongType(name, 'a boolean');
	}

	return value;
}

export function optionalStringList(input: Input, name: string): string[] | undefined {
	const value = input[name];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (!Array.isArray(value) || !value.every(item => typeof item === 'string')) {
		throw wrongType(name, 'a list of strings');
	}

	return value as string[];
}

export function optionalList(input: Input, name: string): Input[] | undefined {
	const value = input[name];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (
		!Array.isArray(value) ||
		!value.every(item => typeof item === 'object' && item !== null && !Array.isArray(item))
	) {
		throw wrongType(name, 'a list of structures');
	}

	return value as Input[];
}

/** Checks an integer member against its documented range, answering as the service validator does. */
export function inRange(name: string, value: number | undefined, min: number, max: number): void {
	if (value !== undefined && value < min) {
		throw invalidParameter(
			`1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`,
		);
	}

	if (value !== undefined && value > max) {
		throw invalidParameter(
			`1 validation error detected: Value '${value}' at '${name}' failed to satisfy constraint: Member must have value less than or equal to ${max}`,
		);
	}
}
