import {hashRange} from '../flowlog/dictionary.js';
import {detach} from '../text/detach.js';
import {canonicalIpv4, dottedQuad, ipv4ToInt} from '../net/address.js';

/**
 * Interface ids and addresses as small integers. Aggregates hold the integers, so a conversation
 * costs a few bytes per field instead of a string each, and the IPv4 value of an address is
 * parsed once, when it is first seen, rather than by every filter on every frame.
 *
 * Three lookups per record make this the hottest map in the program: an IPv4 address, which the
 * parser reads as an integer, is looked up by that integer (a second index, over the ids whose text
 * is a dotted quad); other texts by their characters, in an open-addressing table.
 */
export class Interner {
	private texts: string[] = [];
	/** IPv4 value of each id, or -1 for anything else (IPv6, ENI ids). */
	private ipv4Values: number[] = [];
	private slots = new Int32Array(1024);
	/** Id + 1 of each dotted quad, by its integer; as large as `slots`, and rebuilt with it. */
	private ipv4Slots = new Int32Array(1024);

	get size(): number {
		return this.texts.length;
	}

	id(text: string): number {
		const mask = this.slots.length - 1;
		let slot = hashText(text) & mask;
		for (;;) {
			const stored = this.slots[slot]!;
			if (stored === 0) {
				break;
			}

			if (this.texts[stored - 1] === text) {
				return stored - 1;
			}

			slot = (slot + 1) & mask;
		}

		const id = this.texts.length;
		const own = detach(text);
		this.texts.push(own);
		this.ipv4Values.push(ipv4ToInt(own));
		this.slots[slot] = id + 1;
		this.indexIpv4(id);
		if (this.texts.length * 2 > this.slots.length) {
			this.rehash(this.slots.length * 2);
		}

		return id;
	}

	/** The id of an IPv4 address given as an unsigned 32-bit integer, interned as its dotted quad when new. */
	ipv4Id(value: number): number {
		const mask = this.ipv4Slots.length - 1;
		let slot = hashInt(value) & mask;
		for (;;) {
			const stored = this.ipv4Slots[slot]!;
			if (stored === 0) {
				return this.id(dottedQuad(value));
			}

			if (this.ipv4Values[stored - 1] === value) {
				return stored - 1;
			}

			slot = (slot + 1) & mask;
		}
	}

	/** The id of text already interned, or -1. */
	find(text: string): number {
		const mask = this.slots.length - 1;
		let slot = hashText(text) & mask;
		for (;;) {
			const stored = this.slots[slot]!;
			if (stored === 0) {
				return -1;
			}

			if (this.texts[stored - 1] === text) {
				return stored - 1;
			}

			slot = (slot + 1) & mask;
		}
	}

	/** Every interned string, by id. */
	all(): readonly string[] {
		return this.texts;
	}

	text(id: number): string {
		return this.texts[id]!;
	}

	ipv4(id: number): number {
		return this.ipv4Values[id]!;
	}

	/**
	 * Forget every string no live aggregate refers to; returns old -> new ids (-1 for dropped) for
	 * the holders of ids to rewrite themselves. Called when the window has let go of enough of them.
	 */
	compact(live: Uint8Array): Int32Array {
		const remap = new Int32Array(this.texts.length).fill(-1);
		const texts: string[] = [];
		const ipv4Values: number[] = [];
		for (const [old, text] of this.texts.entries()) {
			if (live[old]) {
				remap[old] = texts.length;
				texts.push(text);
				ipv4Values.push(this.ipv4Values[old]!);
			}
		}

		this.texts = texts;
		this.ipv4Values = ipv4Values;
		let capacity = 1024;
		while (capacity < texts.length * 2) {
			capacity *= 2;
		}

		this.rehash(capacity);
		return remap;
	}

	/**
	 * Index the id by its integer when its text is a dotted quad as the parser writes one: a text
	 * such as `010.0.0.1` is interned as it is, and must not answer for 10.0.0.1.
	 */
	private indexIpv4(id: number): void {
		const value = this.ipv4Values[id]!;
		const text = this.texts[id]!;
		if (value < 0 || canonicalIpv4(text, 0, text.length) !== value) {
			return;
		}

		const mask = this.ipv4Slots.length - 1;
		let slot = hashInt(value) & mask;
		while (this.ipv4Slots[slot] !== 0) {
			slot = (slot + 1) & mask;
		}

		this.ipv4Slots[slot] = id + 1;
	}

	private rehash(capacity: number): void {
		this.slots = new Int32Array(capacity);
		this.ipv4Slots = new Int32Array(capacity);
		const mask = capacity - 1;
		for (const [id, text] of this.texts.entries()) {
			let slot = hashText(text) & mask;
			while (this.slots[slot] !== 0) {
				slot = (slot + 1) & mask;
			}

			this.slots[slot] = id + 1;
			this.indexIpv4(id);
		}
	}
}

/** The hash of a whole text, as the interner and the dictionaries take it. */
export function hashText(text: string): number {
	return hashRange(text, 0, text.length);
}

/** An integer's bits mixed, so neighbouring addresses spread over the table. */
function hashInt(value: number): number {
	let hash = Math.imul(value ^ (value >>> 16), 0x45_d9_f3_b);
	hash = Math.imul(hash ^ (hash >>> 16), 0x45_d9_f3_b);
	return (hash ^ (hash >>> 16)) >>> 0;
}
