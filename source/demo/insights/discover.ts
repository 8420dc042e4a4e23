import {FIELDS} from '../../flowlog/fields.js';
import {DEFAULT_FORMAT} from '../../flowlog/format.js';
import {type FieldMap, LineParser} from '../../flowlog/parser.js';
import {type Column, detached} from './column.js';
import type {FieldDictionary} from './field-dictionary.js';
import type {TokenColumns} from './token-columns.js';

const parser = new LineParser(DEFAULT_FORMAT);
const awsNames: ReadonlyMap<string, string> = new Map(FIELDS.map(spec => [spec.insights, spec.name]));
const insightsNames: ReadonlyMap<string, string> = new Map(FIELDS.map(spec => [spec.name, spec.insights]));

/** The Insights names of the fields discovered in a default-format message; every other name a message never holds. */
export const DISCOVERED_NAMES: readonly string[] = DEFAULT_FORMAT.fields.map(name => insightsNames.get(name)!);

/** What a row has read of its message: undefined until a discovered field is first asked for, null for a message that is not a default-format record. */
export interface Discovered {
	fields?: FieldMap | null;
}

/**
 * A field Insights discovers on its own in a default-format flow-log message, asked for by its
 * Insights name (`interfaceId`, `srcAddr`, ...); undefined for any other message, since a custom
 * format only yields fields through `parse`. A message is parsed once per row, the first time any
 * of its fields is asked for, and only then: most queries never ask.
 */
export function discoveredField(
	message: string,
	insightsName: string,
	discovered: Discovered,
): string | number | undefined {
	const name = awsNames.get(insightsName);
	if (name === undefined) {
		return undefined;
	}

	if (discovered.fields === undefined) {
		const parsed = parser.fields(message);
		discovered.fields = typeof parsed === 'string' ? null : parsed;
	}

	return discovered.fields?.[name];
}

/** What a token is known to be discovered as at each position: its id + 1, INVALID, or 0 not yet known; by token id. */
const discoveredIds = new WeakMap<FieldDictionary, Int32Array[]>();
const INVALID = -1;
const WIDTH = DEFAULT_FORMAT.fields.length;

/**
 * The discovered value of a token at a position, as an id: the field alone in a line of dashes,
 * parsed. Every check the parser makes is of one field at a time, but for the count of fields,
 * which a token holding a blank or a `#` changes, so the token passes exactly when every record
 * holding it there passes that field.
 */
function discoveredId(position: number, token: string, dictionary: FieldDictionary): number {
	const line = `${'- '.repeat(position)}${token}${' -'.repeat(WIDTH - 1 - position)}`;
	const parsed = parser.fields(line);
	if (typeof parsed === 'string') {
		return INVALID;
	}

	const value = parsed[DEFAULT_FORMAT.fields[position]!];
	return dictionary.id(value, detached);
}

/**
 * The discovered fields of a block's default-format records, read from its token columns: each
 * distinct token of each position is read once for the whole store (ids outlive blocks), not once
 * per record. Undefined when a token of the block makes its record no default-format record: such a
 * block is parsed a message at a time.
 */
export function discoveredFromTokens(tokens: TokenColumns): ReadonlyMap<string, Column> | undefined {
	if (tokens.tokens !== WIDTH) {
		return undefined;
	}

	const {dictionary} = tokens;
	let known = discoveredIds.get(dictionary);
	if (!known) {
		known = Array.from({length: WIDTH}, () => new Int32Array(0));
		discoveredIds.set(dictionary, known);
	}

	const mapped: Int32Array[] = [];
	for (let position = 0; position < WIDTH; position++) {
		const {ids} = tokens.columns[position]!;
		let memo = known[position]!;
		if (memo.length < dictionary.size) {
			const larger = new Int32Array(Math.max(dictionary.size, 2 * memo.length));
			larger.set(memo);
			memo = larger;
			known[position] = memo;
		}

		const out = new Int32Array(ids.length);
		for (let code = 1; code < ids.length; code++) {
			const id = ids[code]!;
			let entry = memo[id]!;
			if (entry === 0) {
				const found = discoveredId(position, dictionary.values[id] as string, dictionary);
				entry = found === INVALID ? INVALID : found + 1;
				memo[id] = entry;
			}

			if (entry === INVALID) {
				return undefined;
			}

			out[code] = entry - 1;
		}

		mapped.push(out);
	}

	const columns = new Map<string, Column>();
	for (const [position, name] of DISCOVERED_NAMES.entries()) {
		columns.set(name, {codes: tokens.columns[position]!.codes, ids: mapped[position]!});
	}

	return columns;
}
