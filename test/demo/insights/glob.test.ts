import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {Glob} from '../../../source/demo/insights/glob.js';

/** The glob as the regular expression it stands for: lazy captures, a trailing `*` greedy. */
function asRegex(glob: string): RegExp {
	const parts = glob.split('*').map(part => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
	let source = parts[0]!;
	for (let i = 1; i < parts.length; i++) {
		source += (i === parts.length - 1 && parts[i] === '' ? '(.*)' : '(.*?)') + parts[i];
	}

	return new RegExp(source, 's');
}

function captures(glob: string, text: string): string[] | undefined {
	const match = new Glob(glob).exec(text);
	const count = glob.split('*').length - 1;
	return match && Array.from({length: count}, (_, i) => match.group(i + 1)!);
}

describe('a parse glob', () => {
	it('splits a flow-log line at its spaces, the last field taking the rest', () => {
		expect(captures('* * *', '2 123456789012 eni-1 10.0.0.1 ACCEPT')).toEqual([
			'2',
			'123456789012',
			'eni-1 10.0.0.1 ACCEPT',
		]);
		expect(captures('src=* dst=*;', 'x src=10.0.0.1 dst=10.0.0.2; y')).toEqual(['10.0.0.1', '10.0.0.2']);
		expect(captures('src=* dst=*;', 'src=10.0.0.1')).toBeUndefined();
	});

	it('captures what the lazy regular expression it stands for captures', () => {
		const text = fc.string({unit: fc.constantFrom('a', 'b', ' ', '=', '\n'), maxLength: 20});
		const glob = fc
			.array(fc.string({unit: fc.constantFrom('a', 'b', ' ', '='), maxLength: 2}), {minLength: 2, maxLength: 5})
			.map(parts => parts.join('*'));
		fc.assert(
			fc.property(glob, text, (pattern, value) => {
				const match = asRegex(pattern).exec(value);
				expect(captures(pattern, value)).toEqual(match ? match.slice(1) : undefined);
			}),
		);
	});
});
