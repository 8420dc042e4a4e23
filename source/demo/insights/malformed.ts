/**
 * A query Logs Insights would refuse to compile. It carries the character range AWS reports in
 * `queryCompileError.location`, so the endpoint can answer exactly as StartQuery does.
 */
export class MalformedQueryError extends Error {
	override readonly name = 'MalformedQueryError';

	constructor(
		message: string,
		readonly start: number,
		readonly end: number,
	) {
		super(message);
	}
}

/** Line (1-based) and position (0-based) of an offset, the way the Insights compiler counts them. */
function lineAndPosition(text: string, offset: number): {line: number; position: number} {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < offset && i < text.length; i++) {
		if (text[i] === '\n') {
			line++;
			lineStart = i + 1;
		}
	}

	return {line, position: offset - lineStart};
}

export function unexpectedSymbol(text: string, symbol: string, start: number, end: number): MalformedQueryError {
	const {line, position} = lineAndPosition(text, start);
	return new MalformedQueryError(
		`unexpected symbol found ${symbol} at line ${line} and position ${position}`,
		start,
		end,
	);
}
