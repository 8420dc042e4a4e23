/**
 * Errors a person can act on. cli.tsx prints their message as one line, without a stack, and exits
 * with the code: 2 for a usage error (a bad flag or value), 1 for a runtime failure (a file that
 * cannot be read, an endpoint that cannot be reached).
 */
export class UserError extends Error {
	override readonly name = 'UserError';

	constructor(
		message: string,
		readonly exitCode: 1 | 2 = 1,
	) {
		super(message);
	}
}

export function usageError(message: string): UserError {
	return new UserError(message, 2);
}

/** A file-system error as a sentence that names the file. */
export function describeFileError(path: string, error: unknown): UserError {
	const code = (error as NodeJS.ErrnoException).code;
	const why =
		code === 'ENOENT'
			? 'no such file'
			: code === 'EACCES' || code === 'EPERM'
				? 'permission denied'
				: code === 'EISDIR'
					? 'it is a directory with no .parquet file under it, give a file'
					: (error as Error).message;
	return new UserError(`cannot read ${path}: ${why}`);
}
