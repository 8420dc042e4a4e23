import {badNumber, Column, columnFor, takeAddress, takeNumber, takeText} from './field-values.js';
import {isFieldName} from './fields.js';
import {FlowColumns} from './flow-columns.js';
import type {FlowFormat} from './format.js';
import type {FieldMap} from './parser.js';
import type {FlowRecord} from './record.js';

/**
 * Turns one row of a table's typed columns (a Parquet row group as its reader decoded them) into a
 * row of a batch of columns, a FlowRecord or a field map, or into the reason it is malformed: the
 * line parser's checks (field-values.ts) applied to the values as they are, with no text between.
 *
 * A row means what its text form means, the line rowText() writes: null is `-`, a number its
 * digits. A value its text form would read as something other than itself (a number written as
 * text, a blank inside a text, a `#` that opens a comment, a first value that makes the line a
 * header or JSON) leaves the row to be read as that line, AS_TEXT, so the report is the text
 * form's in every case, malformed rows and their reasons included.
 */

/** A table's columns in its format's field order, one value a row each (null or undefined where absent). */
export type ValueColumns = readonly ArrayLike<unknown>[];

/** The row is to be read as its text form (rowText) instead. */
export const AS_TEXT: unique symbol = Symbol('as text');

const HASH = 35;
const OPEN_BRACE = 123;

/** A value as one token of a line: `-` where there is none, as AWS writes it; blanks made visible so it stays one. */
function token(value: unknown): string {
	if (value === null || value === undefined) {
		return '-';
	}

	const text = String(value);
	return /\s/.test(text) ? text.replaceAll(/\s/g, '\uFFFD') : text === '' ? '-' : text;
}

/** A table's row as its text form: the line that means what the row does. */
export function rowText(table: ValueColumns, row: number): string {
	let line = token(table[0]![row]);
	for (let index = 1; index < table.length; index++) {
		line += ` ${token(table[index]![row])}`;
	}

	return line;
}

// Printable ASCII is never blank, so only a text with other characters pays for the expression.
function hasBlank(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code <= 32 || code >= 127) {
			return /\s/.test(text);
		}
	}

	return false;
}

function isEnum(column: Column): boolean {
	return column === Column.Action || column === Column.Status || column === Column.Direction;
}

/**
 * Whether the value at `index` of a row reads as other than itself in the text form. A blank in
 * an address or an enum is refused either way, for the same reason; elsewhere it would be kept,
 * made visible, so only the text form knows the value.
 */
function needsText(value: unknown, index: number, column: Column): boolean {
	if (value === null || value === undefined) {
		return false;
	}

	if (column <= Column.OtherInt) {
		return typeof value !== 'number' && typeof value !== 'bigint';
	}

	if (typeof value !== 'string') {
		return true;
	}

	const first = value.charCodeAt(0);
	return (
		first === HASH ||
		(index === 0 && (first === OPEN_BRACE || isFieldName(value))) ||
		(column > Column.OtherIp && !isEnum(column) && hasBlank(value))
	);
}

export class ValueParser {
	private readonly columns: Column[];
	/** The row parse() and fields() read into. */
	private readonly scratch = new FlowColumns(1);

	constructor(readonly format: FlowFormat) {
		this.columns = format.fields.map(name => columnFor(name));
	}

	/** Append the table's row to the batch; or leave the batch as it was and say why it is malformed. */
	parseInto(batch: FlowColumns, table: ValueColumns, row: number): string | undefined | typeof AS_TEXT {
		const problem = this.scan(table, row, batch, batch.blankRow(), undefined);
		if (problem === undefined) {
			batch.size++;
		}

		return problem;
	}

	parse(table: ValueColumns, row: number): FlowRecord | string | typeof AS_TEXT {
		const {scratch} = this;
		scratch.clear();
		const problem = this.scan(table, row, scratch, scratch.blankRow(), undefined);
		return problem === undefined ? scratch.record(0) : problem;
	}

	/** Every field of the row keyed by its AWS name, absent ones left out, as LineParser.fields() gives them. */
	fields(table: ValueColumns, row: number): FieldMap | string | typeof AS_TEXT {
		const out: FieldMap = {};
		const {scratch} = this;
		scratch.clear();
		const problem = this.scan(table, row, scratch, scratch.blankRow(), out);
		return problem === undefined ? out : problem;
	}

	private scan(
		table: ValueColumns,
		row: number,
		batch: FlowColumns,
		batchRow: number,
		out: FieldMap | undefined,
	): string | undefined | typeof AS_TEXT {
		const {columns} = this;
		const names = this.format.fields;
		for (let index = 0; index < columns.length; index++) {
			const value = table[index]![row];
			if (value === null || value === undefined) {
				continue;
			}

			const column = columns[index]!;
			const name = names[index]!;
			let problem: string | undefined;
			if (column <= Column.OtherInt) {
				// What String() writes for these is the digits the line parser takes, or no number at all.
				if (typeof value === 'number') {
					problem =
						Number.isInteger(value) && value >= 0
							? takeNumber(column, name, value + 0, batch, batchRow, out)
							: badNumber(name);
				} else if (typeof value === 'bigint') {
					problem = value >= 0n ? takeNumber(column, name, Number(value), batch, batchRow, out) : badNumber(name);
				} else {
					return AS_TEXT;
				}
			} else if (needsText(value, index, column)) {
				return AS_TEXT;
			} else {
				const text = value as string;
				if (text === '' || text === '-') {
					continue;
				}

				problem =
					column <= Column.OtherIp
						? takeAddress(column, name, text, 0, text.length, batch, batchRow, out)
						: takeText(column, name, text, 0, text.length, batch, batchRow, out);
			}

			if (problem !== undefined) {
				return this.laterNeedsText(table, row, index) ? AS_TEXT : problem;
			}
		}

		return undefined;
	}

	// The line parser explains a refused value by the line's field count when a later value would
	// have split or ended the line: only its text form gives the reason then.
	private laterNeedsText(table: ValueColumns, row: number, after: number): boolean {
		for (let index = after + 1; index < this.columns.length; index++) {
			if (needsText(table[index]![row], index, this.columns[index]!)) {
				return true;
			}
		}

		return false;
	}
}
