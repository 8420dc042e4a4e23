import {type Column, ColumnBuilder} from './column.js';
import type {FieldDictionary} from './field-dictionary.js';

/** Tokens a message may have for its block to be indexed: a flow-log format has 29 fields at most. */
const MAX_TOKENS = 64;

/**
 * A block's messages split at every space, a column per position: what a `parse @message "* * *"`
 * of as many `*`s as the messages have tokens captures, and what the store can build before any
 * query, since it depends on no query. Flow-log records are fields separated by single spaces, and
 * every custom-format query parses them with such a glob, so the window is parsed as it arrives
 * rather than by the first query over it. Only a block whose messages all have the same number of
 * tokens is indexed: a glob over a block of mixed lines captures across tokens or falls back to
 * what Insights discovers, and those blocks are parsed through the query's own source.
 */
export interface TokenColumns {
	/** Tokens every message of the block has. */
	readonly tokens: number;
	/** Position i holds each message's i-th token. */
	readonly columns: readonly Column[];
	readonly dictionary: FieldDictionary;
	readonly heldBytes: number;
	/** Distinct values over the columns: what the dictionary holds for them at most. */
	readonly distinct: number;
}

/** The token columns of `count` messages, their values named in `dictionary`; undefined when the messages differ in their number of tokens. */
export function tokenColumns(
	count: number,
	messageAt: (index: number) => string,
	dictionary: FieldDictionary,
): TokenColumns | undefined {
	const builders: ColumnBuilder[] = [];
	let tokens = -1;
	for (let index = 0; index < count; index++) {
		const message = messageAt(index);
		let position = 0;
		let at = 0;
		for (;;) {
			if (position === MAX_TOKENS || (tokens >= 0 && position === tokens)) {
				return undefined;
			}

			const space = message.indexOf(' ', at);
			const end = space < 0 ? message.length : space;
			builders[position] ??= new ColumnBuilder(count, dictionary);
			builders[position]!.setText(index, message, at, end);
			position++;
			if (space < 0) {
				break;
			}

			at = space + 1;
		}

		if (tokens < 0) {
			tokens = position;
		} else if (position !== tokens) {
			return undefined;
		}
	}

	const columns: Column[] = [];
	let heldBytes = 0;
	let distinct = 0;
	for (const builder of builders) {
		const {column, bytes} = builder.finish();
		columns.push(column);
		heldBytes += bytes;
		distinct += column.ids.length;
	}

	return {tokens, columns, dictionary, heldBytes, distinct};
}
