import {detach} from '../text/detach.js';
import {isFieldName} from './fields.js';
import {DEFAULT_FORMAT, headerFormat, type FlowFormat} from './format.js';
import {LineParser, type FieldMap} from './parser.js';
import type {FlowColumns} from './flow-columns.js';
import type {FlowRecord} from './record.js';
import {AS_TEXT, rowText, ValueParser, type ValueColumns} from './value-parser.js';

export interface MalformedSample {
	/** 1-based line number in the input (or the event's position, for a log-group source). */
	readonly line: number;
	readonly reason: string;
	/** The offending text, cut short; strip control characters before drawing it. */
	readonly text: string;
}

/** Lines that were not records: malformed ones by reason, with the first few kept for display. */
export class ParseStats {
	static readonly sampleLimit = 5;
	malformed = 0;
	headers = 0;
	readonly byReason = new Map<string, number>();
	readonly samples: MalformedSample[] = [];

	/** `count` malformed lines of one reason, `text` being one of them: those a service counted rather than handed over. */
	note(line: number, reason: string, text: string, count = 1): MalformedSample {
		this.malformed += count;
		this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + count);
		const sample = {line, reason, text: detach(text.length > 200 ? `${text.slice(0, 200)}…` : text)};
		if (this.samples.length < ParseStats.sampleLimit) {
			this.samples.push(sample);
		}

		return sample;
	}

	/** Add the stats of the input that followed, whose line 1 is line `lineOffset + 1` here. */
	absorb(other: Pick<ParseStats, 'malformed' | 'headers' | 'byReason' | 'samples'>, lineOffset: number): void {
		this.malformed += other.malformed;
		this.headers += other.headers;
		for (const [reason, count] of other.byReason) {
			this.byReason.set(reason, (this.byReason.get(reason) ?? 0) + count);
		}

		for (const sample of other.samples.slice(0, ParseStats.sampleLimit - this.samples.length)) {
			this.samples.push({...sample, line: sample.line + lineOffset});
		}
	}
}

/**
 * `--format` with a file whose S3 header line names the format: the header wins for the lines after
 * it, so --format did less than asked, and the user is told (beside a report, or in the live view's
 * status bar) rather than left to guess.
 */
export function headerFormatNote(formatGiven: boolean, stats: ParseStats): string | undefined {
	if (!formatGiven || stats.headers === 0) {
		return undefined;
	}

	return "the file's header names its format: --format was used only before it";
}

/** Turns one message, or one row of a table, into a result; or gives the reason it is malformed. */
export interface MessageParser<T> {
	readonly line: (parser: LineParser, text: string, start: number, end: number) => T | string;
	readonly row: (parser: ValueParser, table: ValueColumns, row: number) => T | string | typeof AS_TEXT;
}

/** Adds one message to a target, or gives the reason it is malformed. */
type Take<Target> = (
	parser: LineParser,
	text: string,
	start: number,
	end: number,
	target: Target,
) => string | undefined;

/** Adds one row of a table to a target, or gives the reason it is malformed, or leaves it to its text form. */
type TakeRow<Target> = (
	parser: ValueParser,
	table: ValueColumns,
	row: number,
	target: Target,
) => string | undefined | typeof AS_TEXT;

interface Results {
	readonly parse: MessageParser<unknown>;
	readonly out: unknown[];
}

const pushResult: Take<Results> = (parser, text, start, end, {parse, out}) => {
	const result = parse.line(parser, text, start, end);
	if (typeof result === 'string') {
		return result;
	}

	out.push(result);
	return undefined;
};

const pushRowResult: TakeRow<Results> = (parser, table, row, {parse, out}) => {
	const result = parse.row(parser, table, row);
	if (typeof result === 'string' || result === AS_TEXT) {
		return result;
	}

	out.push(result);
	return undefined;
};

const intoColumns: Take<FlowColumns> = (parser, text, start, end, batch) => parser.parseInto(batch, text, start, end);

const rowIntoColumns: TakeRow<FlowColumns> = (parser, table, row, batch) => parser.parseInto(batch, table, row);

const OPEN_BRACE = 123;
const LOWER_A = 97;
const LOWER_Z = 122;

const BYTE_ORDER_MARK = 0xfe_ff;
// AWS's envelopes are three levels deep; a deeper line is hostile, and parsing it would recurse.
const MAX_JSON_DEPTH = 16;

function isWhitespace(code: number): boolean {
	return code === 32 || code === 9 || code === 13;
}

/** Whether the JSON text nests objects and arrays deeper than `limit`, counted without parsing it. */
function nestsDeeperThan(json: string, limit: number): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < json.length; i++) {
		const code = json.charCodeAt(i);
		if (inString) {
			if (code === 92) {
				i++;
			} else if (code === 34) {
				inString = false;
			}
		} else if (code === 34) {
			inString = true;
		} else if (code === 123 || code === 91) {
			if (++depth > limit) {
				return true;
			}
		} else if (code === 125 || code === 93) {
			depth--;
		}
	}

	return false;
}

/**
 * Framing around the parser, for one input: S3 header lines switch the format for the lines after
 * them (a concatenation of S3 objects repeats the header), blank lines are skipped, and a line that
 * is a JSON object is read as a CloudWatch export (`{"message": ...}`) or a subscription envelope
 * (`{"logEvents": [{"message": ...}]}`).
 */
export class FlowLogDecoder {
	readonly stats = new ParseStats();
	private parser: LineParser;
	/** The rows of the table begun last, in its format. */
	private tableParser: ValueParser | undefined;
	private lineNumber = 0;
	private changes = 0;

	constructor(
		format: FlowFormat = DEFAULT_FORMAT,
		/** Every malformed line, as it is met (`--ndjson` reports each on stderr). */
		private readonly onMalformed?: (sample: MalformedSample) => void,
	) {
		this.parser = new LineParser(format);
	}

	get format(): FlowFormat {
		return this.parser.format;
	}

	/** Lines seen so far, blank ones included. */
	get lines(): number {
		return this.lineNumber;
	}

	/** Header lines that changed the format in force (a repeated header does not). */
	get formatChanges(): number {
		return this.changes;
	}

	/** Decode one line into results appended to `out`. */
	decode<T>(text: string, start: number, end: number, parse: MessageParser<T>, out: T[]): void {
		this.frame(text, start, end, pushResult, {parse, out});
	}

	/** Decode one line straight into a batch of columns. */
	decodeInto(text: string, start: number, end: number, batch: FlowColumns): void {
		this.frame(text, start, end, intoColumns, batch);
	}

	/**
	 * A table begins (a Parquet file): its columns name the fields, as the header line of its text
	 * form would, and count as that line.
	 */
	beginTable(fields: readonly string[]): void {
		this.lineNumber++;
		const header = fields.join(' ');
		this.tryHeader(header, 0, header.length);
		this.tableParser = new ValueParser(this.parser.format);
	}

	/** Decode rows [from, to) of the table begun last into results appended to `out`. */
	decodeRows<T>(table: ValueColumns, from: number, to: number, parse: MessageParser<T>, out: T[]): void {
		this.rows(table, from, to, pushRowResult, pushResult, {parse, out});
	}

	/** Decode rows [from, to) of the table begun last straight into a batch of columns. */
	decodeRowsInto(table: ValueColumns, from: number, to: number, batch: FlowColumns): void {
		this.rows(table, from, to, rowIntoColumns, intoColumns, batch);
	}

	private rows<Target>(
		table: ValueColumns,
		from: number,
		to: number,
		takeRow: TakeRow<Target>,
		take: Take<Target>,
		target: Target,
	): void {
		const parser = this.tableParser!;
		for (let row = from; row < to; row++) {
			// A row read as text may have been a header line that changed the format: the rows after
			// it are then lines of the wrong format, as they would be in the text form.
			const problem = parser.format === this.parser.format ? takeRow(parser, table, row, target) : AS_TEXT;
			if (problem === AS_TEXT) {
				const line = rowText(table, row);
				this.frame(line, 0, line.length, take, target);
			} else {
				this.lineNumber++;
				if (problem !== undefined) {
					this.malformed(problem, rowText(table, row));
				}
			}
		}
	}

	private frame<Target>(text: string, start: number, end: number, take: Take<Target>, target: Target): void {
		this.lineNumber++;
		// Editors on Windows open a file with a byte-order mark; each concatenated S3 object may too.
		if (text.charCodeAt(start) === BYTE_ORDER_MARK && start < end) {
			start++;
		}

		while (start < end && isWhitespace(text.charCodeAt(start))) {
			start++;
		}

		while (end > start && isWhitespace(text.charCodeAt(end - 1))) {
			end--;
		}

		if (start === end) {
			return;
		}

		const first = text.charCodeAt(start);
		if (first === OPEN_BRACE) {
			this.decodeJson(text.slice(start, end), take, target);
			return;
		}

		if (first >= LOWER_A && first <= LOWER_Z && this.tryHeader(text, start, end)) {
			return;
		}

		const problem = take(this.parser, text, start, end, target);
		if (problem !== undefined) {
			this.malformed(problem, text.slice(start, end));
		}
	}

	/** A line too long to hold was read past: count it, from its first characters. */
	overlong(head: string, limit: number): void {
		this.lineNumber++;
		this.malformed(`line longer than ${limit.toLocaleString('en-US')} characters`, `${head}…`);
	}

	private malformed(reason: string, text: string): void {
		const sample = this.stats.note(this.lineNumber, reason, text);
		this.onMalformed?.(sample);
	}

	private tryHeader(text: string, start: number, end: number): boolean {
		let firstEnd = start;
		while (firstEnd < end && !isWhitespace(text.charCodeAt(firstEnd))) {
			firstEnd++;
		}

		if (!isFieldName(text.slice(start, firstEnd))) {
			return false;
		}

		const format = headerFormat(text.slice(start, end));
		if (!format) {
			return false;
		}

		if (format.fields.join(' ') !== this.parser.format.fields.join(' ')) {
			this.parser = new LineParser(format);
			this.changes++;
		}

		this.stats.headers++;
		return true;
	}

	private decodeJson<Target>(json: string, take: Take<Target>, target: Target): void {
		if (nestsDeeperThan(json, MAX_JSON_DEPTH)) {
			this.malformed(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`, json);
			return;
		}

		let value: unknown;
		try {
			value = JSON.parse(json);
		} catch {
			this.malformed('bad JSON', json);
			return;
		}

		const messages = jsonMessages(value);
		if (messages.length === 0) {
			this.malformed('JSON without a message', json);
			return;
		}

		for (const message of messages) {
			const problem = take(this.parser, message, 0, message.length, target);
			if (problem !== undefined) {
				this.malformed(problem, message);
			}
		}
	}
}

function eventMessage(value: unknown): string[] {
	if (typeof value !== 'object' || value === null) {
		return [];
	}

	const object = value as Record<string, unknown>;
	const message = object.message ?? object['@message'];
	return typeof message === 'string' ? [message] : [];
}

/** The messages of an export line (one event) or of a subscription envelope (its `logEvents`). */
function jsonMessages(value: unknown): string[] {
	const events = typeof value === 'object' && value !== null ? (value as Record<string, unknown>).logEvents : undefined;
	return Array.isArray(events) ? events.flatMap(event => eventMessage(event)) : eventMessage(value);
}

export const parseRecord: MessageParser<FlowRecord> = {
	line: (parser, text, start, end) => parser.parse(text, start, end),
	row: (parser, table, row) => parser.parse(table, row),
};

export const parseFields: MessageParser<FieldMap> = {
	line: (parser, text, start, end) => parser.fields(text, start, end),
	row: (parser, table, row) => parser.fields(table, row),
};
