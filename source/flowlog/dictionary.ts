import {detach} from '../text/detach.js';

/**
 * Small integer codes for the texts of a stream of records (interface ids, accounts, IPv6
 * addresses), read where they stand in the input: a text seen before costs a hash over its
 * characters and a comparison, never a slice. Each distinct text is one string, kept detached
 * from the chunk it was read from.
 *
 * Codes stay valid until clearIfOver() starts afresh, which bumps `generation`, so a holder of
 * codes (the store's cache of them) knows to forget what it learned.
 */
export class TextDictionary {
	generation = 0;
	private texts: string[] = [];
	/** For a text read by canonicalCode(), the code of its canonical spelling; else -1. */
	private canonicalOf: number[] = [];
	private slots = new Int32Array(1024);
	private strings = new Map<string, number>();

	/** The code of text[start,end), added when new. */
	code(text: string, start: number, end: number): number {
		if (start === 0 && end === text.length) {
			return this.codeOfString(text);
		}

		const found = this.find(text, start, end);
		return found >= 0 ? found : this.insert(text.slice(start, end));
	}

	// A whole string (a Parquet column's value) is looked up by the string itself: a reader hands
	// the same string over for every row that holds it, and the engine keeps its hash, so it is not
	// read again character by character.
	private codeOfString(text: string): number {
		let code = this.strings.get(text);
		if (code === undefined) {
			const found = this.find(text, 0, text.length);
			code = found >= 0 ? found : this.insert(text);
			this.strings.set(this.texts[code]!, code);
		}

		return code;
	}

	/**
	 * The code of the one spelling `canonical` gives text[start,end) (an IPv6 address in RFC 5952
	 * form), or -1 when it gives none. It is asked once per spelling: after that, a spelling costs
	 * what a text seen before costs.
	 */
	canonicalCode(text: string, start: number, end: number, canonical: (spelling: string) => string | undefined): number {
		const found = this.find(text, start, end);
		if (found >= 0 && this.canonicalOf[found]! >= 0) {
			return this.canonicalOf[found]!;
		}

		const spelling = text.slice(start, end);
		const form = canonical(spelling);
		if (form === undefined) {
			return -1;
		}

		const known = this.find(form, 0, form.length);
		const code = known >= 0 ? known : this.insert(form);
		this.canonicalOf[code] = code;
		if (form !== spelling) {
			this.canonicalOf[found >= 0 ? found : this.insert(spelling)] = code;
		}

		return code;
	}

	text(code: number): string {
		return this.texts[code]!;
	}

	/** The code of text[start,end), or -1 when it has none yet. */
	private find(text: string, start: number, end: number): number {
		const mask = this.slots.length - 1;
		let slot = hashRange(text, start, end) & mask;
		for (;;) {
			const stored = this.slots[slot]!;
			if (stored === 0) {
				return -1;
			}

			const known = this.texts[stored - 1]!;
			if (known.length === end - start && text.startsWith(known, start)) {
				return stored - 1;
			}

			slot = (slot + 1) & mask;
		}
	}

	private insert(text: string): number {
		const code = this.texts.length;
		this.texts.push(detach(text));
		this.canonicalOf.push(-1);
		const mask = this.slots.length - 1;
		let slot = hashRange(text, 0, text.length) & mask;
		while (this.slots[slot] !== 0) {
			slot = (slot + 1) & mask;
		}

		this.slots[slot] = code + 1;
		if (this.texts.length * 2 > this.slots.length) {
			this.rehash(this.slots.length * 2);
		}

		return code;
	}

	/** Start afresh when past `limit` texts, so a stream that runs for days keeps to a bound. */
	clearIfOver(limit: number): void {
		if (this.texts.length > limit) {
			this.texts = [];
			this.canonicalOf = [];
			this.slots = new Int32Array(1024);
			this.strings = new Map();
			this.generation++;
		}
	}

	private rehash(capacity: number): void {
		this.slots = new Int32Array(capacity);
		const mask = capacity - 1;
		for (const [code, text] of this.texts.entries()) {
			let slot = hashRange(text, 0, text.length) & mask;
			while (this.slots[slot] !== 0) {
				slot = (slot + 1) & mask;
			}

			this.slots[slot] = code + 1;
		}
	}
}

/** FNV-1a over the UTF-16 code units of text[start,end). */
export function hashRange(text: string, start: number, end: number): number {
	let hash = 0x81_1c_9d_c5;
	for (let i = start; i < end; i++) {
		hash = Math.imul(hash ^ text.charCodeAt(i), 0x01_00_01_93);
	}

	return (hash ^ (hash >>> 15)) >>> 0;
}
