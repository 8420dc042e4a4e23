import {FIELDS} from '../../flowlog/fields.js';
import {DEFAULT_FORMAT} from '../../flowlog/format.js';
import {Column as FieldColumn, columnFor} from '../../flowlog/field-values.js';
import {type FieldMap, LineParser} from '../../flowlog/parser.js';
import {canonicalIpv4} from '../../net/address.js';
import {detach} from '../../text/detach.js';
import type {Column} from './column.js';
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

/** The discovered value's id of tokens seen at a position, by the token's id. */
const discoveredIds = new WeakMap<FieldDictionary, Array<Map<number, number>>>();
const INVALID = -1;
const WIDTH = DEFAULT_FORMAT.fields.length;
/**
 * Tokens remembered at a position, at most: every port fits, and a crowd's addresses, which seldom
 * come again, stop filling it (a table of every one held hundreds of megabytes at 2,000 records a
 * second).
 */
const REMEMBERED = 1 << 16;
/** Positions that hold an address: a dotted quad as AWS writes it is discovered as itself. */
const ADDRESSES = DEFAULT_FORMAT.fields.map(name => {
	const column = columnFor(name);
	return column >= FieldColumn.Src && column <= FieldColumn.OtherIp;
});

/**
 * The discovered value of a token at a position, as an id, or INVALID: the field alone in a line
 * of dashes, parsed. Every check the parser makes is of one field at a time, but for the count of
 * fields, which a token holding a blank or a `#` changes, so the token passes exactly when every
 * record holding it there passes that field.
 */
function discoveredId(position: number, token: string, dictionary: FieldDictionary): number {
	const line = `${'- '.repeat(position)}${token}${' -'.repeat(WIDTH - 1 - position)}`;
	const parsed = parser.fields(line);
	if (typeof parsed === 'string') {
		return INVALID;
	}

	const value = parsed[DEFAULT_FORMAT.fields[position]!];
	return dictionary.id(value, detach);
}

/**
 * The discovered fields of a block's default-format records, read from its token columns: each
 * distinct token of a position read once per block and remembered for the whole store (ids outlive
 * blocks) as far as REMEMBERED goes; a dotted quad in an address field is itself. Undefined when a
 * token of the block makes its record no default-format record: such a block is parsed a message
 * at a time. A token refused is not remembered: a time refused as past tomorrow is one a later day
 * takes.
 */
export function discoveredFromTokens(tokens: TokenColumns): ReadonlyMap<string, Column> | undefined {
	if (tokens.tokens !== WIDTH) {
		return undefined;
	}

	const {dictionary} = tokens;
	let known = discoveredIds.get(dictionary);
	if (!known) {
		known = Array.from({length: WIDTH}, () => new Map<number, number>());
		discoveredIds.set(dictionary, known);
	}

	const mapped: Int32Array[] = [];
	for (let position = 0; position < WIDTH; position++) {
		const {ids} = tokens.columns[position]!;
		const memo = known[position]!;
		const out = new Int32Array(ids.length);
		for (let code = 1; code < ids.length; code++) {
			const id = ids[code]!;
			const token = dictionary.values[id] as string;
			if (ADDRESSES[position] && canonicalIpv4(token, 0, token.length) >= 0) {
				out[code] = id;
				continue;
			}

			let found = memo.get(id);
			if (found === undefined) {
				found = discoveredId(position, token, dictionary);
				if (found === INVALID) {
					return undefined;
				}

				if (memo.size < REMEMBERED) {
					memo.set(id, found);
				}
			}

			out[code] = found;
		}

		mapped.push(out);
	}

	const columns = new Map<string, Column>();
	for (const [position, name] of DISCOVERED_NAMES.entries()) {
		columns.set(name, {codes: tokens.columns[position]!.codes, ids: mapped[position]!});
	}

	return columns;
}
