import {invalidParameter} from './service-error.js';

/**
 * FilterLogEvents' term patterns: `ERROR timeout` (every term), `"exact phrase"`, `?ERROR ?WARN`
 * (any of these), `-DEBUG` (none of these); case-sensitive, as AWS matches them. JSON (`{ $.x = 1 }`)
 * and space-delimited (`[ip, user, ...]`) patterns are outside this endpoint's subset and refused.
 */
export function compileFilterPattern(pattern: string | undefined): (message: string) => boolean {
	const trimmed = pattern?.trim() ?? '';
	if (trimmed === '') {
		return () => true;
	}

	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		throw invalidParameter(`Invalid filter pattern "${trimmed}": only term patterns are supported by this endpoint`);
	}

	const all: string[] = [];
	const any: string[] = [];
	const none: string[] = [];
	for (const match of trimmed.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
		const term = match[2] === undefined ? match[3]! : match[2].replaceAll(/\\(.)/g, '$1');
		const list = match[1] === '?' ? any : match[1] === '-' ? none : all;
		list.push(term);
	}

	return message =>
		all.every(term => message.includes(term)) &&
		(any.length === 0 || any.some(term => message.includes(term))) &&
		!none.some(term => message.includes(term));
}
