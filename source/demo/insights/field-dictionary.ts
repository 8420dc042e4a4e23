import {hashRange} from '../../flowlog/dictionary.js';
import type {FieldValue} from './column.js';
import {toNumber} from './value.js';

/** Bytes a dictionary entry holds besides its string: a slot, a hash table entry, its number. */
const ENTRY_BYTES = 48;

/**
 * Store-wide ids for the values of parsed fields: a query groups by an id read from an array,
 * where it would otherwise look every value up again, and the thousand blocks that name one
 * interface share one string for it. Ids are never reused, so a query can hold on to them while
 * the store moves on; the store starts a new dictionary when most of an old one's values have
 * left the window (column-cache.ts). Id 0 is the absent value. Text and numbers are apart, as
 * aggregate.ts keys groups by type.
 */
export class FieldDictionary {
	readonly values: FieldValue[] = [undefined];
	/**
	 * The texts' ids + 1 by a hash of their characters, open-addressed: a token is looked up where it
	 * stands in its message (textId), with no string made for a text seen before, which is most of
	 * what indexing a busy window reads.
	 */
	private slots = new Int32Array(1024);
	private texts = 0;
	private readonly numbers = new Map<number, number>();
	private bytes = 0;
	/** Each value as toNumber reads it, worked out when first asked for: NaN for none (toNumber never gives NaN). */
	private asNumbers = new Float64Array(0);
	private numbered = 0;
	private codes = new Int32Array(0);

	get size(): number {
		return this.values.length;
	}

	/** Memory the dictionary holds, roughly. */
	get heldBytes(): number {
		return this.bytes + (this.values.length - 1) * ENTRY_BYTES + this.codes.byteLength;
	}

	/** The value of an id as toNumber reads it, NaN when it reads as no number. */
	numberOf(id: number): number {
		if (id >= this.numbered) {
			if (this.values.length > this.asNumbers.length) {
				const larger = new Float64Array(Math.max(this.values.length, 2 * this.asNumbers.length));
				larger.set(this.asNumbers);
				this.asNumbers = larger;
			}

			for (; this.numbered < this.values.length; this.numbered++) {
				this.asNumbers[this.numbered] = toNumber(this.values[this.numbered]) ?? Number.NaN;
			}
		}

		return this.asNumbers[id]!;
	}

	/**
	 * A table of a number per id, all 0, for one column at a time to number its block's values by
	 * (ColumnBuilder.finish): it must leave every entry it set back at 0.
	 */
	scratch(): Int32Array {
		if (this.codes.length < this.values.length) {
			this.codes = new Int32Array(Math.max(this.values.length, 2 * this.codes.length));
		}

		return this.codes;
	}

	/** The id of a value, made when the value is new; `copy` gives what to keep of a new string. */
	id(value: FieldValue, copy: (text: string) => string): number {
		if (value === undefined) {
			return 0;
		}

		if (typeof value === 'number') {
			let id = this.numbers.get(value);
			if (id === undefined) {
				id = this.values.length;
				this.values.push(value);
				this.numbers.set(value, id);
			}

			return id;
		}

		return this.textId(value, 0, value.length, copy);
	}

	/** The id of the text text[start,end), made when the text is new; `copy` gives what to keep of it. */
	textId(text: string, start: number, end: number, copy: (text: string) => string): number {
		const {slots, values} = this;
		const mask = slots.length - 1;
		let slot = hashRange(text, start, end) & mask;
		for (;;) {
			const stored = slots[slot]!;
			if (stored === 0) {
				break;
			}

			const known = values[stored - 1] as string;
			if (known.length === end - start && text.startsWith(known, start)) {
				return stored - 1;
			}

			slot = (slot + 1) & mask;
		}

		const id = values.length;
		const kept = copy(start === 0 && end === text.length ? text : text.slice(start, end));
		values.push(kept);
		slots[slot] = id + 1;
		this.bytes += 16 + Math.ceil(kept.length / 8) * 8;
		this.texts++;
		if (this.texts * 2 > slots.length) {
			this.rehash(slots.length * 2);
		}

		return id;
	}

	private rehash(capacity: number): void {
		const slots = new Int32Array(capacity);
		const mask = capacity - 1;
		for (let id = 1; id < this.values.length; id++) {
			const value = this.values[id];
			if (typeof value === 'string') {
				let slot = hashRange(value, 0, value.length) & mask;
				while (slots[slot] !== 0) {
					slot = (slot + 1) & mask;
				}

				slots[slot] = id + 1;
			}
		}

		this.slots = slots;
	}
}
