import {FlowLogDecoder, parseFields, parseRecord} from '../../source/flowlog/decoder.js';
import {FlowColumns} from '../../source/flowlog/flow-columns.js';
import type {ValueColumns} from '../../source/flowlog/value-parser.js';

/**
 * Tables of typed values (what a Parquet reader decodes) read two ways: row by row as values, and
 * as the text form of the same records, whose meaning the README gives: a header line of the
 * fields, then a line per row, a missing (null or empty) value written `-`, a number by its digits;
 * blanks inside a value are written as U+FFFD, so that a value stays one token.
 */

export interface Table {
	readonly fields: readonly string[];
	readonly columns: ValueColumns;
}

/** What a reader hands on: records (the live view), field maps (`--ndjson`) or a batch of columns (`--once`). */
export type Kind = 'records' | 'fields' | 'columns';

function token(value: unknown): string {
	if (value === null || value === undefined || value === '') {
		return '-';
	}

	return String(value).replaceAll(/\s/g, '\uFFFD');
}

function rows(table: Table): number {
	return table.columns[0]?.length ?? 0;
}

/** A table as an S3 text object's lines. */
export function textLines(table: Table): string[] {
	const lines = [table.fields.join(' ')];
	for (let row = 0; row < rows(table); row++) {
		lines.push(table.columns.map(column => token(column[row])).join(' '));
	}

	return lines;
}

/** What a decoder made of the input, and what it counted. */
export interface Reading {
	readonly results: unknown[];
	readonly malformed: number;
	readonly byReason: Record<string, number>;
	readonly samples: unknown[];
	readonly lines: number;
	readonly headers: number;
	readonly formatChanges: number;
}

function reading(decoder: FlowLogDecoder, out: unknown[], batch: FlowColumns, kind: Kind): Reading {
	return {
		results: kind === 'columns' ? Array.from({length: batch.size}, (_, row) => batch.record(row)) : out,
		malformed: decoder.stats.malformed,
		byReason: Object.fromEntries(decoder.stats.byReason),
		samples: decoder.stats.samples,
		lines: decoder.lines,
		headers: decoder.stats.headers,
		formatChanges: decoder.formatChanges,
	};
}

/** The tables read as their text form, one after the other, line by line. */
export function readAsText(tables: readonly Table[], kind: Kind): Reading {
	const decoder = new FlowLogDecoder();
	const out: unknown[] = [];
	const batch = new FlowColumns();
	for (const table of tables) {
		for (const line of textLines(table)) {
			if (kind === 'columns') {
				decoder.decodeInto(line, 0, line.length, batch);
			} else {
				decoder.decode(line, 0, line.length, kind === 'records' ? parseRecord : parseFields, out);
			}
		}
	}

	return reading(decoder, out, batch, kind);
}

/** The tables read as values, one after the other, `slice` rows at a time as a reader hands them on. */
export function readAsValues(tables: readonly Table[], kind: Kind, slice = 3): Reading {
	const decoder = new FlowLogDecoder();
	const out: unknown[] = [];
	const batch = new FlowColumns();
	for (const table of tables) {
		decoder.beginTable(table.fields);
		for (let from = 0; from < rows(table); from += slice) {
			const to = Math.min(rows(table), from + slice);
			if (kind === 'columns') {
				decoder.decodeRowsInto(table.columns, from, to, batch);
			} else {
				decoder.decodeRows(table.columns, from, to, kind === 'records' ? parseRecord : parseFields, out);
			}
		}
	}

	return reading(decoder, out, batch, kind);
}
