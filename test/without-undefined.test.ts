import {describe, expect, it} from 'vitest';
import {withoutUndefined} from '../source/without-undefined.js';

describe('withoutUndefined', () => {
	it('drops the undefined values and keeps every other, falsy ones included', () => {
		expect(withoutUndefined({color: undefined, bold: false, region: 'eu-west-1', count: 0, text: ''})).toEqual({
			bold: false,
			region: 'eu-west-1',
			count: 0,
			text: '',
		});
		expect(Object.keys(withoutUndefined({profile: undefined}))).toEqual([]);
	});
});
