import {describe, expect, it} from 'vitest';
import {FieldDictionary} from '../../../source/demo/insights/field-dictionary.js';

const keep = (text: string) => text;

describe('the field dictionary', () => {
	it('gives a text read where it stands in a message the id of the same text given whole, before and after it grows', () => {
		const dictionary = new FieldDictionary();
		const texts = Array.from({length: 5000}, (_, i) => `10.${i >> 8}.${i & 255}.7`);
		const ids = texts.map(text => dictionary.id(text, keep));
		expect(new Set(ids).size).toBe(texts.length);
		for (const [i, text] of texts.entries()) {
			const message = `2 eni-0a1 ${text} 443`;
			const start = message.indexOf(text);
			expect(dictionary.textId(message, start, start + text.length, keep)).toBe(ids[i]);
		}

		const message = '2 eni-0a1 10.99.99.99 443';
		const added = dictionary.textId(message, 10, 21, keep);
		expect(dictionary.values[added]).toBe('10.99.99.99');
		expect(dictionary.id('10.99.99.99', keep)).toBe(added);
		expect(dictionary.size).toBe(texts.length + 2);
	});

	it('keeps texts and numbers apart: "443" is not 443', () => {
		const dictionary = new FieldDictionary();
		const text = dictionary.id('443', keep);
		const number = dictionary.id(443, keep);
		expect(text).not.toBe(number);
		expect(dictionary.textId('dst 443', 4, 7, keep)).toBe(text);
		expect(dictionary.id(undefined, keep)).toBe(0);
	});
});
