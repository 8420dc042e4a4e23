import {describe, expect, it} from 'vitest';
import {TextDictionary} from '../../source/flowlog/dictionary.js';

describe('the dictionary of texts', () => {
	it('gives a whole string the code its spelling has anywhere, and forgets both when it starts afresh', () => {
		const dictionary = new TextDictionary();
		const line = '2 123456789012 eni-0a1b 10.0.0.1';
		const eni = dictionary.code(line, 15, 23);
		const account = dictionary.code('123456789012', 0, 12);
		expect(dictionary.code('eni-0a1b', 0, 8)).toBe(eni);
		expect(dictionary.code(line, 2, 14)).toBe(account);
		expect(dictionary.text(eni)).toBe('eni-0a1b');
		dictionary.clearIfOver(1);
		expect(dictionary.code('123456789012', 0, 12)).toBe(0);
		expect(dictionary.code('eni-0a1b', 0, 8)).toBe(1);
		expect(dictionary.text(1)).toBe('eni-0a1b');
	});
});
