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
/** V8 keeps a slice this long or longer as a view of the string it came from. */
const SLICED_LENGTH = 13;

/**
 * A copy that holds no more than itself: a capture sliced from a message would keep the whole
 * message alive, and the columns outlive the messages.
 */
function detached(value: string): string {
	return value.length < SLICED_LENGTH ? value : (JSON.parse(JSON.stringify(value)) as string);
}

/** Builds one column a record at a time, its values named in a store-wide dictionary. */
export class ColumnBuilder {
	private readonly codes: Uint16Array | Uint32Array;
	private readonly ids: number[] = [0];
	/** The block's values so far, by their code: a small table, where the dictionary is a large one. */
	private readonly strings = new Map<string, number>();
	private readonly numbers = new Map<number, number>();
	// Records of a delivery come in runs (one interface, one action, one status): the last value is met most.
	private last: FieldValue;
	private lastCode = 0;

	constructor(
		count: number,
		private readonly dictionary: FieldDictionary,
	) {
		this.codes = count < 2 ** 16 ? new Uint16Array(count) : new Uint32Array(count);
	}

	set(index: number, value: FieldValue): void {
		if (value === undefined) {
			return;
		}

		if (value === this.last) {
			this.codes[index] = this.lastCode;
			return;
		}

		const known = (typeof value === 'string' ? this.strings : this.numbers) as Map<FieldValue, number>;
		let code = known.get(value);
		if (code === undefined) {
			code = this.ids.length;
			this.ids.push(this.dictionary.id(value, detached));
			known.set(value, code);
		}

		this.codes[index] = code;
		this.last = value;
		this.lastCode = code;
	}

	/** The column, and the bytes it holds besides the dictionary's values. */
	finish(): {column: Column; bytes: number} {
		const codes = this.ids.length <= BYTE_CODES ? Uint8Array.from(this.codes) : this.codes;
		const ids = Int32Array.from(this.ids);
		return {column: {codes, ids}, bytes: codes.byteLength + ids.byteLength};
	}
}
