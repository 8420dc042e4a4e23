import {detach} from '../../text/detach.js';
import type {FieldDictionary} from './field-dictionary.js';

/** A value a message yields for a field: text from `parse`, text or a number from discovery, or nothing. */
export type FieldValue = string | number | undefined;

/**
 * One field of a block's records, dictionary-encoded: record i holds the value whose store-wide
 * id is `ids[codes[i]]`, and code 0 is the absent value (id 0). A block holds a few thousand
 * records, so a code fits 16 bits and most fields (actions, statuses, interfaces, ports) 8: a field
 * costs a byte or two a record, and a test on a field is worked out once per distinct value of a
 * block rather than once per record.
 */
export interface Column {
	readonly codes: Uint8Array | Uint16Array | Uint32Array;
	readonly ids: Int32Array;
}

/** Most codes a Uint8Array holds. */
const BYTE_CODES = 256;

/**
 * Builds one column a record at a time, its values named in a store-wide dictionary. Each value is
 * named in the dictionary as it comes, and the block's codes are numbered once at the end, by id:
 * a busy VPC's addresses and ports are new in nearly every block, and a table of the block's own
 * values beside the dictionary's looked each of them up twice and stored it twice.
 */
export class ColumnBuilder {
	private readonly idOf: Int32Array;
	// Records of a delivery come in runs (one interface, one action, one status): the last value is met most.
	private last: FieldValue;
	private lastId = 0;

	constructor(
		count: number,
		private readonly dictionary: FieldDictionary,
	) {
		this.idOf = new Int32Array(count);
	}

	set(index: number, value: FieldValue): void {
		if (value === undefined) {
			return;
		}

		if (value !== this.last) {
			this.last = value;
			this.lastId = this.dictionary.id(value, detach);
		}

		this.idOf[index] = this.lastId;
	}

	/** Record `index` holds the text text[start,end), read where it stands: no string is made for a text the dictionary holds. */
	setText(index: number, text: string, start: number, end: number): void {
		const {last} = this;
		if (typeof last !== 'string' || last.length !== end - start || !text.startsWith(last, start)) {
			this.lastId = this.dictionary.textId(text, start, end, detach);
			this.last = this.dictionary.values[this.lastId];
		}

		this.idOf[index] = this.lastId;
	}

	/** The column, and the bytes it holds besides the dictionary's values. */
	finish(): {column: Column; bytes: number} {
		const {idOf} = this;
		const codeOf = this.dictionary.scratch();
		const ids = [0];
		const codes = idOf.length < 2 ** 16 ? new Uint16Array(idOf.length) : new Uint32Array(idOf.length);
		for (let index = 0; index < idOf.length; index++) {
			const id = idOf[index]!;
			if (id === 0) {
				continue;
			}

			let code = codeOf[id]!;
			if (code === 0) {
				code = ids.push(id) - 1;
				codeOf[id] = code;
			}

			codes[index] = code;
		}

		for (const id of ids) {
			codeOf[id] = 0;
		}

		const packed = ids.length <= BYTE_CODES ? Uint8Array.from(codes) : codes;
		const column = {codes: packed, ids: Int32Array.from(ids)};
		return {column, bytes: packed.byteLength + column.ids.byteLength};
	}
}
