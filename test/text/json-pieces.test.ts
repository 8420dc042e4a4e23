import {describe, expect, it} from 'vitest';
import {jsonPieces, jsonText} from '../../source/text/json-text.js';

const whole = (value: unknown) => [...jsonPieces(value, 2)].join('');

describe('JSON written in pieces', () => {
	it('is the text of the whole, byte for byte', () => {
		const report = {
			window: {start: '2023-11-14T22:13:20Z', end: null},
			records: {total: 3, ok: 3},
			empty: [],
			left: undefined,
			findings: [
				{kind: 'port-scan', why: 'line one\nline two', ports: [22, 443], rule: {text: 'a\tb'}},
				{kind: 'unanswered', nested: [[1, [2]], {}], missing: undefined},
				undefined,
				'text',
				7,
			],
			tail: 'the end',
		};
		expect(whole(report)).toBe(JSON.stringify(report, null, 2));
		expect([...jsonPieces(report, 2)].length).toBeGreaterThan(5);
	});

	it('writes DEL and C1 controls inert, as jsonText does', () => {
		const report = {findings: [{src: 'evil\u009B31m'}], summary: '\u007F'};
		expect(whole(report)).toBe(jsonText(report, 2));
		expect(whole(report)).toContain(String.raw`evil\u009b31m`);
	});

	it('is the whole text for what is not an object of members', () => {
		for (const value of [{}, [], [1, {a: 2}], 'text', 4, null, {toJSON: () => [1]}]) {
			expect(whole(value)).toBe(JSON.stringify(value, null, 2));
		}
	});
});
