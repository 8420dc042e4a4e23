import {FieldDictionary} from '../insights/field-dictionary.js';
import type {Column} from '../insights/column.js';
import {buildColumns, type FieldSource} from '../insights/field-source.js';
import {type TokenColumns, tokenColumns} from '../insights/token-columns.js';
import type {EventBlock, OpenBlock} from './event-block.js';

/** The columns of one block through one source, as many as queries have asked for. */
interface Kept {
	readonly dictionary: FieldDictionary;
	readonly columns: Map<string, Column>;
	heldBytes: number;
	distinct: number;
}

/**
 * A block's token columns, and what each source read from them: the columns of all its names, or
 * null where they do not tell them. Discovered fields map each token to its value once per block
 * rather than once per query; `bytes` counts what those maps add.
 */
interface Indexed {
	readonly tokens: TokenColumns;
	readonly read: Map<string, ReadonlyMap<string, Column> | null>;
	bytes: number;
}

/** Values a dictionary may hold past twice what the kept columns name before a new one starts. */
const DICTIONARY_SLACK = 1 << 20;

/**
 * The parsed fields of the store's blocks, kept between queries: an aggregate poll is twenty
 * queries over the same window, and parsing each message once rather than twenty times is most
 * of what lets them keep up. A block's tokens are indexed as it arrives (token-columns.ts): what a
 * custom-format query's `parse` and the discovered default-format fields read, so the first query
 * over a busy window does not parse it all. Fields through any other glob, or of a block the tokens
 * do not tell, are built the first time a query needs them. Both are kept while the store holds
 * the block and the columns and their dictionary stay within the cache's budget of bytes. Past the
 * budget a block's columns are built for the query that asks and let go after it: a busier VPC
 * than the budget allows is answered slower, never with more memory. Which blocks stay is first
 * come, first kept, not least recently used: every poll reads the whole window in order, and
 * evicting the oldest to make room would evict each block just before the next query reads it.
 *
 * Values are named in one dictionary that only grows; once it holds more than twice the values
 * the kept columns name (a busy VPC's clients come and go), a new one starts and the kept columns
 * go, to be built again in it. A query keeps the dictionary it began with to its end.
 */
export class ColumnCache {
	private readonly kept = new Map<EventBlock, Map<string, Kept>>();
	private readonly tokens = new Map<EventBlock, Indexed>();
	private held = 0;
	private distinct = 0;
	private current = new FieldDictionary();

	constructor(
		private readonly budget: number,
		private readonly slack = DICTIONARY_SLACK,
	) {}

	/** Bytes the kept columns and the dictionary hold. */
	get heldBytes(): number {
		return this.held + this.current.heldBytes;
	}

	get dictionary(): FieldDictionary {
		return this.current;
	}

	/**
	 * A block as it reaches the store: its token columns built from its messages while they are at
	 * hand, within the budget, so a query that parses with a glob of them reads them parsed.
	 */
	index(block: EventBlock, messages: ReadonlyArray<{readonly message: string}>): void {
		// Its values stay in the dictionary whether the columns are kept or not: indexed only with
		// room for twice its text, what its columns and new values take in all but a block of
		// nothing but new values.
		if (this.held + this.current.heldBytes + 2 * block.totalBytes > this.budget) {
			return;
		}

		const built = tokenColumns(block.count, index => messages[index]!.message, this.current);
		if (built && this.held + built.heldBytes + this.current.heldBytes <= this.budget) {
			this.tokens.set(block, {tokens: built, read: new Map(), bytes: built.heldBytes});
			this.held += built.heldBytes;
			this.distinct += built.distinct;
		}

		this.renewIfStale(this.current);
	}

	/** `names` of `block`'s fields through `source`, named in `dictionary`; `open` gives its messages when they must be parsed. */
	columns(
		block: EventBlock,
		source: FieldSource,
		names: readonly string[],
		dictionary: FieldDictionary,
		open: () => OpenBlock,
	): ReadonlyMap<string, Column> {
		const indexed = this.tokens.get(block);
		if (indexed?.tokens.dictionary === dictionary && source.fromTokens) {
			let read = indexed.read.get(source.key);
			if (read === undefined) {
				read = source.fromTokens(indexed.tokens) ?? null;
				indexed.read.set(source.key, read);
				const own = new Set(indexed.tokens.columns.map(column => column.ids));
				const added = [...(read?.values() ?? [])].reduce(
					(sum, column) => sum + (own.has(column.ids) ? 0 : column.ids.byteLength),
					0,
				);
				indexed.bytes += added;
				this.held += added;
			}

			if (read) {
				return read;
			}
		}

		const kept = this.kept.get(block)?.get(source.key);
		const usable = kept?.dictionary === dictionary ? kept : undefined;
		const missing = names.filter(name => !usable?.columns.has(name));
		if (usable && missing.length === 0) {
			return usable.columns;
		}

		const messages = open();
		const built = buildColumns(source, missing, block.count, index => messages.message(index), dictionary);
		// A block the store has let go is still read by the scans that began before: not kept for them.
		const keep =
			dictionary === this.current &&
			(usable !== undefined || kept === undefined) &&
			block.size > 0 &&
			this.held + built.heldBytes + this.current.heldBytes <= this.budget;
		if (!keep) {
			this.renewIfStale(dictionary);
			return usable ? new Map([...usable.columns, ...built.columns]) : built.columns;
		}

		let sources = this.kept.get(block);
		if (!sources) {
			sources = new Map();
			this.kept.set(block, sources);
		}

		const entry = usable ?? {dictionary, columns: new Map<string, Column>(), heldBytes: 0, distinct: 0};
		for (const [name, column] of built.columns) {
			entry.columns.set(name, column);
		}

		entry.heldBytes += built.heldBytes;
		entry.distinct += built.distinct;
		sources.set(source.key, entry);
		this.held += built.heldBytes;
		this.distinct += built.distinct;
		this.renewIfStale(dictionary);
		return entry.columns;
	}

	/** A block the store no longer holds. */
	release(block: EventBlock): void {
		const indexed = this.tokens.get(block);
		if (indexed) {
			this.held -= indexed.bytes;
			this.distinct -= indexed.tokens.distinct;
			this.tokens.delete(block);
		}

		const sources = this.kept.get(block);
		if (sources) {
			for (const columns of sources.values()) {
				this.held -= columns.heldBytes;
				this.distinct -= columns.distinct;
			}

			this.kept.delete(block);
		}
	}

	/**
	 * A new dictionary once the current one holds more than twice what the kept columns name: checked
	 * after every build in it, kept or not, so values of columns past the budget cannot pile up in it.
	 */
	private renewIfStale(dictionary: FieldDictionary): void {
		if (dictionary === this.current && this.current.size > 2 * this.distinct + this.slack) {
			this.renew();
		}
	}

	private renew(): void {
		this.kept.clear();
		this.tokens.clear();
		this.held = 0;
		this.distinct = 0;
		this.current = new FieldDictionary();
	}
}
