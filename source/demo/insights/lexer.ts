import {MalformedQueryError, unexpectedSymbol} from './malformed.js';
import {periodMilliseconds} from './period.js';

type TokenKind = 'word' | 'number' | 'period' | 'string' | 'regex' | 'symbol' | 'end';

export interface Token {
	readonly kind: TokenKind;
	/** Words and symbols as written; strings unescaped; regex source; numbers as written. */
	readonly text: string;
	/** Numbers and periods (in milliseconds). */
	readonly value: number;
	/** A word written in backticks is always a field name, never a keyword. */
	readonly quoted: boolean;
	readonly start: number;
	readonly end: number;
}

const symbols = ['!=', '<=', '>=', '=~', '|', ',', '(', ')', '[', ']', '=', '<', '>', '+', '-', '*', '/', '%'];

function isWordStart(char: string): boolean {
	return /[A-Za-z_@]/.test(char);
}

function isWordPart(char: string): boolean {
	return /[A-Za-z0-9_.@]/.test(char);
}

function isDigit(char: string | undefined): boolean {
	return char !== undefined && char >= '0' && char <= '9';
}

/**
 * A slash opens a regular expression only where Insights expects one (after `like`, `=~`, or as
 * the pattern of `parse`); anywhere else it divides.
 */
function regexMayFollow(previous: Token[]): boolean {
	const last = previous.at(-1);
	if (!last) {
		return false;
	}

	if (last.kind === 'symbol' && last.text === '=~') {
		return true;
	}

	if (last.kind === 'word' && !last.quoted && ['like', 'parse'].includes(last.text.toLowerCase())) {
		return true;
	}

	const beforeLast = previous.at(-2);
	return (
		last.kind === 'word' &&
		beforeLast?.kind === 'word' &&
		!beforeLast.quoted &&
		beforeLast.text.toLowerCase() === 'parse'
	);
}

function token(kind: TokenKind, text: string, start: number, end: number, value = 0, quoted = false): Token {
	return {kind, text, value, quoted, start, end};
}

/** Splits a query into tokens; `#` starts a comment that runs to the end of the line. */
export function tokenize(query: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < query.length) {
		const char = query[i]!;
		if (/\s/.test(char)) {
			i++;
			continue;
		}

		if (char === '#') {
			while (i < query.length && query[i] !== '\n') {
				i++;
			}

			continue;
		}

		const start = i;
		if (char === '"' || char === "'") {
			let text = '';
			i++;
			while (i < query.length && query[i] !== char) {
				if (query[i] === '\\' && i + 1 < query.length) {
					i++;
				}

				text += query[i];
				i++;
			}

			if (i >= query.length) {
				throw new MalformedQueryError(`unterminated string starting at position ${start}`, start, query.length);
			}

			i++;
			tokens.push(token('string', text, start, i));
			continue;
		}

		if (char === '`') {
			const close = query.indexOf('`', i + 1);
			if (close < 0) {
				throw new MalformedQueryError(`unterminated field name starting at position ${start}`, start, query.length);
			}

			i = close + 1;
			tokens.push(token('word', query.slice(start + 1, close), start, i, 0, true));
			continue;
		}

		if (char === '/' && regexMayFollow(tokens)) {
			let source = '';
			i++;
			while (i < query.length && query[i] !== '/') {
				if (query[i] === '\\' && query[i + 1] === '/') {
					i++;
				} else if (query[i] === '\\' && i + 1 < query.length) {
					source += query[i];
					i++;
				}

				source += query[i];
				i++;
			}

			if (i >= query.length) {
				throw new MalformedQueryError(
					`unterminated regular expression starting at position ${start}`,
					start,
					query.length,
				);
			}

			i++;
			tokens.push(token('regex', source, start, i));
			continue;
		}

		if (isDigit(char)) {
			while (isDigit(query[i])) {
				i++;
			}

			if (query[i] === '.' && isDigit(query[i + 1])) {
				i++;
				while (isDigit(query[i])) {
					i++;
				}
			}

			const digitsEnd = i;
			while (i < query.length && /[A-Za-z]/.test(query[i]!)) {
				i++;
			}

			const amount = Number(query.slice(start, digitsEnd));
			if (i === digitsEnd) {
				tokens.push(token('number', query.slice(start, i), start, i, amount));
				continue;
			}

			const milliseconds = periodMilliseconds(amount, query.slice(digitsEnd, i));
			if (milliseconds === undefined || !Number.isInteger(amount)) {
				throw unexpectedSymbol(query, query.slice(start, i), start, i);
			}

			tokens.push(token('period', query.slice(start, i), start, i, milliseconds));
			continue;
		}

		if (isWordStart(char)) {
			while (i < query.length && isWordPart(query[i]!)) {
				i++;
			}

			tokens.push(token('word', query.slice(start, i), start, i));
			continue;
		}

		const symbol = symbols.find(candidate => query.startsWith(candidate, i));
		if (!symbol) {
			throw unexpectedSymbol(query, char, start, start + 1);
		}

		i += symbol.length;
		tokens.push(token('symbol', symbol, start, i));
	}

	tokens.push(token('end', '<EOF>', query.length, query.length));
	return tokens;
}
