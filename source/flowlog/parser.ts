import {badNumber, Column, columnFor, takeAddress, takeNumber, takeText} from './field-values.js';
import {FlowColumns} from './flow-columns.js';
import type {FlowFormat} from './format.js';
import type {FlowRecord} from './record.js';

/**
 * Turns one flow-log line into a row of a batch of columns (or a FlowRecord), or into the reason
 * it is malformed.
 *
 * Built for millions of lines a second: it walks the line's characters once and writes each field
 * straight into its column. Numbers are read from char codes, IPv4 addresses become integers where
 * they stand, and texts (interface ids, IPv6 addresses) become dictionary codes found by hashing
 * them in place: no slice, no object per line. What each column means is decided once per format
 * rather than once per line. No regular expressions per line.
 */

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const HASH = 35;
const DASH = 45;
const ZERO = 48;
const NINE = 57;

function isSpace(code: number): boolean {
	return code === SPACE || code === TAB || code === CR || code === LF;
}

function countTokens(text: string, start: number, end: number): number {
	let count = 0;
	let inToken = false;
	for (let i = start; i < end; i++) {
		const space = isSpace(text.charCodeAt(i));
		if (!space && !inToken) {
			if (text.charCodeAt(i) === HASH) {
				break;
			}

			count++;
		}

		inToken = !space;
	}

	return count;
}

export type FieldMap = Record<string, string | number>;

export class LineParser {
	readonly format: FlowFormat;
	private readonly columns: Column[];
	private tabText = '';
	private nextTab = -1;
	/** The row parse() and fields() read a line into: a dictionary of its own, cleared as it grows. */
	private readonly scratch = new FlowColumns(1);

	constructor(format: FlowFormat) {
		this.format = format;
		this.columns = format.fields.map(name => columnFor(name));
	}

	/**
	 * Append the record in text[start,end) to the batch, its texts coded in the batch's dictionary;
	 * or leave the batch as it was and say why the line is malformed.
	 */
	parseInto(batch: FlowColumns, text: string, start: number, end: number): string | undefined {
		const problem = this.scan(text, start, end, batch, batch.blankRow(), undefined);
		if (problem !== undefined) {
			return this.explain(problem, text, start, end);
		}

		batch.size++;
		return undefined;
	}

	/** The record in text[start,end), or the reason the line is malformed. */
	parse(text: string, start = 0, end = text.length): FlowRecord | string {
		const {scratch} = this;
		scratch.clear();
		const problem = this.scan(text, start, end, scratch, scratch.blankRow(), undefined);
		return problem === undefined ? scratch.record(0) : this.explain(problem, text, start, end);
	}

	/**
	 * Every field of the line keyed by its AWS name, numbers as numbers, `-` fields left out; or
	 * the reason the line is malformed. The same checks as parse(), for `--ndjson`.
	 */
	fields(text: string, start = 0, end = text.length): FieldMap | string {
		const out: FieldMap = {};
		const {scratch} = this;
		scratch.clear();
		const problem = this.scan(text, start, end, scratch, scratch.blankRow(), out);
		return problem === undefined ? out : this.explain(problem, text, start, end);
	}

	/**
	 * Whether text[start,end) holds a tab. Records come as lines of one big chunk, so the next tab
	 * of the chunk is found once and remembered until the lines pass it: linear in the chunk.
	 */
	private hasTab(text: string, start: number, end: number): boolean {
		if (text !== this.tabText || (this.nextTab !== -1 && this.nextTab < start)) {
			this.tabText = text;
			this.nextTab = text.indexOf('\t', start);
		}

		return this.nextTab !== -1 && this.nextTab < end;
	}

	// A line with the wrong number of fields fails on whichever value lands in the wrong column
	// first; the field count is the truer reason, and counting is only paid on the error path.
	private explain(problem: string, text: string, start: number, end: number): string {
		const count = countTokens(text, start, end);
		return count === this.columns.length || problem === 'empty line' || problem === 'comment only'
			? problem
			: `wrong field count: expected ${this.columns.length}, got ${count}`;
	}

	// One pass over the characters, filling the batch's row. `out`, when given, also receives every
	// field by name.
	private scan(
		text: string,
		start: number,
		end: number,
		batch: FlowColumns,
		row: number,
		out: FieldMap | undefined,
	): string | undefined {
		const {columns} = this;
		const names = this.format.fields;
		// A line end (\r, \n) or trailing blanks never belong to the last field.
		while (end > start && isSpace(text.charCodeAt(end - 1))) {
			end--;
		}

		const spacesOnly = !this.hasTab(text, start, end);
		let i = start;
		for (let index = 0; index < columns.length; index++) {
			while (i < end && isSpace(text.charCodeAt(i))) {
				i++;
			}

			// A token opening with `#` starts a comment (AWS's documentation annotates records so).
			if (i >= end) {
				return index === 0 ? 'empty line' : 'wrong field count';
			}

			if (text.charCodeAt(i) === HASH) {
				return index === 0 ? 'comment only' : 'wrong field count';
			}

			const column = columns[index]!;
			const tokenStart = i;
			if (column <= Column.OtherInt) {
				// Numbers are read where they stand: the digits end the token, no search, no slice.
				let value = 0;
				let code = 0;
				// biome-ignore lint/suspicious/noAssignInExpressions: the hot loop reads each character once.
				while (i < end && (code = text.charCodeAt(i)) >= ZERO && code <= NINE) {
					value = value * 10 + (code - ZERO);
					i++;
				}

				if (i < end && !isSpace(code)) {
					if (code === DASH && i === tokenStart && (i + 1 === end || isSpace(text.charCodeAt(i + 1)))) {
						i++;
						continue;
					}

					return badNumber(names[index]!);
				}

				const problem =
					i - tokenStart > 16 ? badNumber(names[index]!) : takeNumber(column, names[index]!, value, batch, row, out);
				if (problem !== undefined) {
					return problem;
				}

				continue;
			}

			if (spacesOnly) {
				// The native search outruns a loop over char codes several times over.
				const space = text.indexOf(' ', i);
				i = space === -1 || space > end ? end : space;
			} else {
				while (i < end && !isSpace(text.charCodeAt(i))) {
					i++;
				}
			}

			if (i - tokenStart === 1 && text.charCodeAt(tokenStart) === DASH) {
				continue;
			}

			const problem =
				column <= Column.OtherIp
					? takeAddress(column, names[index]!, text, tokenStart, i, batch, row, out)
					: takeText(column, names[index]!, text, tokenStart, i, batch, row, out);
			if (problem !== undefined) {
				return problem;
			}
		}

		while (i < end && isSpace(text.charCodeAt(i))) {
			i++;
		}

		return i < end && text.charCodeAt(i) !== HASH ? 'wrong field count' : undefined;
	}
}
