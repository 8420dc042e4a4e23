import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {bar, fit as fitText, fitMiddle, named, sparkline, wrap} from '../../source/ui/text.js';

const EIGHTHS = ' ▏▎▍▌▋▊▉';

/** How long a bar is drawn, in eighths of a cell. */
function eighthsOf(drawn: string): number {
	return [...drawn].reduce((sum, cell) => sum + (cell === '█' ? 8 : Math.max(EIGHTHS.indexOf(cell), 0)), 0);
}

describe('bar', () => {
	it('draws a partial cell that rounds up as a whole one', () => {
		expect(bar(0.195, 5)).toBe('█    ');
		expect(bar(0.9999, 5)).toBe('█████');
		expect(bar(0.595, 10)).toBe('██████    ');
	});

	it('draws each eighth of a cell with its own block', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(eighths => bar(eighths / 8, 1)).join('')).toBe(' ▏▎▍▌▋▊▉█');
	});

	it('draws eighths of a cell, and nothing for nothing', () => {
		expect(bar(0.5 / 8, 2)).toBe('▏ ');
		expect(bar(0.5, 3)).toBe('█▌ ');
		expect(bar(0, 4)).toBe('    ');
	});

	it('over the whole range: always its width, within half an eighth of the share, never shorter for a bigger share', () => {
		fc.assert(
			fc.property(
				fc.double({min: 0, max: 1, noNaN: true}),
				fc.double({min: 0, max: 1, noNaN: true}),
				fc.integer({min: 1, max: 40}),
				(a, b, width) => {
					const drawn = bar(a, width);
					expect([...drawn]).toHaveLength(width);
					expect(Math.abs(eighthsOf(drawn) - a * width * 8)).toBeLessThanOrEqual(0.5);
					const [small, big] = a <= b ? [a, b] : [b, a];
					expect(eighthsOf(bar(small, width))).toBeLessThanOrEqual(eighthsOf(bar(big, width)));
				},
			),
			{seed: 16, numRuns: 2000},
		);
	});
});

describe('fitMiddle', () => {
	it('keeps the longer half at the start when the cut is odd', () => {
		expect(fitMiddle('eni-0123456789abcdef', 8)).toBe('eni-…def');
		expect(fitMiddle('abcdefghij', 6)).toBe('abc…ij');
	});

	it('pads what fits, and is exactly the width', () => {
		expect(fitMiddle('10.0.0.1', 10)).toBe('10.0.0.1  ');
		expect(fitMiddle('2600:1f18:abcd::45', 1)).toBe('…');
		expect(fitMiddle('2600:1f18:abcd::45', 0)).toBe('');
	});
});

describe('fit', () => {
	it('cuts with an ellipsis, pads on the side asked', () => {
		expect(fitText('PostgreSQL', 6)).toBe('Postg…');
		expect(fitText('22', 4, 'right')).toBe('  22');
		expect(fitText('\u001B]0;owned\u0007x', 30)).not.toContain('\u001B');
	});
});

describe('sparkline', () => {
	it('draws each value at its level of the largest, the largest full', () => {
		expect(sparkline([8, 4, 1, 0, 5], 5)).toBe('█▄▁ ▅');
		expect(sparkline([2, 9, 16], 3)).toBe('▁▅█');
		expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
	});

	it('shows the last values, right-aligned, in exactly the width', () => {
		expect(sparkline([1, 2], 4)).toBe('  ▄█');
		expect(sparkline([9, 9, 1, 2], 2)).toBe('▄█');
	});
});

describe('wrap', () => {
	it('fills each line up to the width exactly, and not past it', () => {
		expect(wrap('allow TCP 1024 out', 9, 5)).toEqual(['allow TCP', '1024 out']);
		expect(wrap('aaa bbb ccc', 7, 5)).toEqual(['aaa bbb', 'ccc']);
		expect(wrap('aaaa bbb', 7, 5)).toEqual(['aaaa', 'bbb']);
	});

	it('uses every line it may without cutting or padding when the words fit', () => {
		expect(wrap('aaa bbb ccc', 7, 2)).toEqual(['aaa bbb', 'ccc']);
	});

	it('wraps words however many spaces are between them, and nothing to no lines', () => {
		expect(wrap('allow   TCP  1024', 20, 2)).toEqual(['allow TCP 1024']);
		expect(wrap('', 20, 2)).toEqual([]);
	});

	it('cuts a word longer than a line', () => {
		expect(wrap('see eni-0123456789abcdef', 10, 3)).toEqual(['see', 'eni-01234…']);
	});

	it('cuts the last line it may use, marking the cut', () => {
		expect(wrap('one two three four', 8, 2)).toEqual(['one two', 'three f…']);
	});
});

describe('an id with its name', () => {
	it('shows the name after the id where both fit, padded to the width', () => {
		expect(named('eni-0abc', 'web-1', 20)).toBe('eni-0abc web-1      ');
	});

	it('cuts the name, never the id', () => {
		expect(named('eni-0abc', 'a-very-long-name', 15)).toBe('eni-0abc a-ver…');
	});

	it('drops a name that would keep fewer than four letters, and cuts a long id in the middle', () => {
		expect(named('eni-0abc', 'web-1', 13)).toBe('eni-0abc web…');
		expect(named('eni-0abc', 'web-1', 12)).toBe('eni-0abc    ');
		expect(named('eni-0abcdef', undefined, 7)).toBe('eni…def');
		expect(named('eni-0abc', undefined, 10)).toBe('eni-0abc  ');
	});
});
