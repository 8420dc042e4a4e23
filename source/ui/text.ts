import {safeText} from '../text/safe-text.js';

/**
 * Fixed-width text for aligned columns. Widths count code points: everything flowtop draws is
 * addresses, ids, digits and single-width symbols, and anything from a log line passes safeText.
 */

const ELLIPSIS = '…';

/** Cut to `width`, marking the cut; left-aligned and padded unless `align` is 'right'. */
// Stryker disable next-line StringLiteral: any default other than 'right' left-aligns, so the default's spelling cannot change what is drawn.
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	if (width <= 0) {
		return '';
	}

	const points = [...safeText(text)];
	if (points.length > width) {
		return points.slice(0, width - 1).join('') + ELLIPSIS;
	}

	const padding = ' '.repeat(width - points.length);
	return align === 'right' ? padding + points.join('') : points.join('') + padding;
}

/**
 * Cut from the middle: both ends of an IPv6 address or an ENI id are what tell them apart
 * (`2600:1f18…c200::45`, `eni-0a7c…5608`).
 */
export function fitMiddle(text: string, width: number): string {
	const points = [...safeText(text)];
	if (points.length <= width) {
		return points.join('') + ' '.repeat(Math.max(width - points.length, 0));
	}

	if (width <= 0) {
		return '';
	}

	const head = Math.ceil((width - 1) / 2);
	const tail = width - 1 - head;
	return points.slice(0, head).join('') + ELLIPSIS + (tail > 0 ? points.slice(-tail).join('') : '');
}

const eighths = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A share as a horizontal bar `width` cells wide, to the nearest eighth of a cell. Rounding the
 * whole length first, then splitting it, lets a partial cell that rounds up become a full one.
 */
export function bar(fraction: number, width: number): string {
	const clamped = Math.min(Math.max(fraction, 0), 1);
	const length = Math.round(clamped * width * 8);
	const full = Math.floor(length / 8);
	const drawn = '█'.repeat(full) + eighths[length % 8]!;
	return drawn + ' '.repeat(width - [...drawn].length);
}

const levels = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** The last `width` values as a sparkline, scaled to the largest; blanks where there is nothing. */
export function sparkline(values: readonly number[], width: number): string {
	const shown = values.slice(-width);
	const max = Math.max(...shown, 0);
	const line = shown
		.map(value =>
			// value <= max, so the level is at most the top one.
			value <= 0 ? ' ' : levels[Math.ceil((value / max) * levels.length) - 1],
		)
		.join('');
	return line.padStart(width, ' ');
}

/**
 * Words wrapped to `width`, at most `lines` lines, the last one cut (with …) if there is more. A
 * word longer than a line is cut too: no line is ever wider than `width`.
 */
export function wrap(text: string, width: number, lines: number): string[] {
	const out: string[] = [];
	let line = '';
	for (const word of safeText(text).split(/\s+/)) {
		if (line && line.length + 1 + word.length > width) {
			out.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}

	if (line) {
		out.push(line);
	}

	// Stryker disable next-line EqualityOperator: a line exactly `width` long comes back from fit unchanged.
	const fitted = out.map(each => ([...each].length > width ? fit(each, width) : each));
	return fitted.length > lines ? [...fitted.slice(0, lines - 1), fit(out.slice(lines - 1).join(' '), width)] : fitted;
}

/** An id (or address) with its name after it where both fit: the name is cut, never the id. */
export function named(id: string, name: string | undefined, width: number): string {
	// Below a few columns of name, a name cut to one letter says nothing.
	if (name === undefined || width < id.length + 5) {
		return fitMiddle(id, width);
	}

	return fit(`${id} ${name}`, width);
}
