import {type Column, ColumnBuilder, type FieldValue} from './column.js';
import {DISCOVERED_NAMES, type Discovered, discoveredField, discoveredFromTokens} from './discover.js';
import type {FieldDictionary} from './field-dictionary.js';
import type {Glob} from './glob.js';
import type {TokenColumns} from './token-columns.js';

/** A block's records read through one source: a column per name built, the dictionary they name values in, and what they hold. */
interface FieldColumns {
	readonly columns: ReadonlyMap<string, Column>;
	readonly dictionary: FieldDictionary;
	readonly heldBytes: number;
	/** Distinct values over the columns: what the dictionary holds for them at most. */
	readonly distinct: number;
}

/**
 * Where the fields a query reads from a message come from: discovered in a default-format
 * flow-log record, or captured by a `parse @message "<glob>" as ...`. `key` names the source for
 * a cache: two queries with the same parse read the same columns.
 */
export interface FieldSource {
	readonly key: string;
	readonly names: readonly string[];
	/** The value of each of `names` in this message, as a row reads it once the source has run. */
	read(message: string, out: FieldValue[]): void;
	/** This source's names read from a block's token columns, where they tell them exactly; else undefined. */
	fromTokens?(tokens: TokenColumns): ReadonlyMap<string, Column> | undefined;
}

export const DISCOVERED: FieldSource = {
	key: 'discovered',
	names: DISCOVERED_NAMES,
	read(message, out) {
		const discovered: Discovered = {};
		for (let i = 0; i < DISCOVERED_NAMES.length; i++) {
			out[i] = discoveredField(message, DISCOVERED_NAMES[i]!, discovered);
		}
	},
	fromTokens: discoveredFromTokens,
};

/**
 * `parse @message "<glob>" as a, b, ...`: a record the glob matches takes its captures (a name
 * written twice, the last), one it does not match keeps what Insights discovers under those names.
 */
export class GlobSource implements FieldSource {
	readonly key: string;
	readonly names: readonly string[];
	/** Which capture each name takes. */
	private readonly captureOf: readonly number[];
	/**
	 * The captures of a glob of `*`s between single spaces (`"* * *"`): over a message of exactly
	 * that many tokens, capture i is token i. Undefined for any other glob.
	 */
	private readonly tokens: number | undefined;

	constructor(
		private readonly glob: Glob,
		names: readonly string[],
	) {
		this.key = `parse ${JSON.stringify(glob.glob)} as ${names.join(', ')}`;
		this.names = [...new Set(names)];
		this.captureOf = this.names.map(name => names.lastIndexOf(name));
		const stars = glob.glob.split(' ');
		this.tokens = stars.every(star => star === '*') ? stars.length : undefined;
	}

	fromTokens(tokens: TokenColumns): ReadonlyMap<string, Column> | undefined {
		if (tokens.tokens !== this.tokens) {
			return undefined;
		}

		const columns = new Map<string, Column>();
		for (const [i, name] of this.names.entries()) {
			// A name past the glob's captures is never set: rare enough to parse for.
			const column = tokens.columns[this.captureOf[i]!];
			if (!column) {
				return undefined;
			}

			columns.set(name, column);
		}

		return columns;
	}

	read(message: string, out: FieldValue[]): void {
		const captured = this.glob.captures(message);
		const {captureOf, names} = this;
		if (captured) {
			for (let i = 0; i < captureOf.length; i++) {
				out[i] = captured[captureOf[i]!];
			}

			return;
		}

		const discovered: Discovered = {};
		for (let i = 0; i < names.length; i++) {
			out[i] = discoveredField(message, names[i]!, discovered);
		}
	}
}

/**
 * The columns of `names` (some of `source.names`) of every record through `source`, each message
 * parsed once: what the queries after this one read instead of the messages. Only the fields a
 * query reads are built; a later query that reads more builds those beside them.
 */
export function buildColumns(
	source: FieldSource,
	names: readonly string[],
	count: number,
	messageAt: (index: number) => string,
	dictionary: FieldDictionary,
): FieldColumns {
	const positions = names.map(name => source.names.indexOf(name));
	const builders = names.map(() => new ColumnBuilder(count, dictionary));
	const values: FieldValue[] = [];
	for (let index = 0; index < count; index++) {
		source.read(messageAt(index), values);
		for (let i = 0; i < builders.length; i++) {
			builders[i]!.set(index, values[positions[i]!]);
		}
	}

	const columns = new Map<string, Column>();
	let heldBytes = 0;
	let distinct = 0;
	for (const [i, builder] of builders.entries()) {
		const {column, bytes} = builder.finish();
		columns.set(names[i]!, column);
		heldBytes += bytes;
		distinct += column.ids.length;
	}

	return {columns, dictionary, heldBytes, distinct};
}
