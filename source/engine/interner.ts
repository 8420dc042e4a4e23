import {detach} from '../text/detach.js';
import {ipv4ToInt} from '../net/address.js';

/**
 * Interface ids and addresses as small integers. Aggregates hold the integers, so a conversation
 * costs a few bytes per field instead of a string each, and the IPv4 value of an address is
 * parsed once, when it is first seen, rather than by every filter on every frame.
 *
 * Three lookups per record make this the hottest map in the program; an open-addressing table
 * hashing the characters in JavaScript beats a Map here, because every lookup brings a freshly
 * sliced string whose hash V8 would otherwise compute natively and then throw away with it.
 */
export class Interner {
	private texts: string[] = [];
	/** IPv4 value of each id, or -1 for anything else (IPv6, ENI ids). */
	private ipv4Values: number[] = [];
	private slots = new Int32Array(1024);

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
		if (this.texts.length * 2 > this.slots.length) {
			this.rehash(this.slots.length * 2);
		}

		return id;
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

	private rehash(capacity: number): void {
		this.slots = new Int32Array(capacity);
		const mask = capacity - 1;
		for (const [id, text] of this.texts.entries()) {
			let slot = hashText(text) & mask;
			while (this.slots[slot] !== 0) {
				slot = (slot + 1) & mask;
			}

			this.slots[slot] = id + 1;
		}
	}
}

/** FNV-1a over the UTF-16 code units. */
function hashText(text: string): number {
	let hash = 0x81_1c_9d_c5;
	for (let i = 0; i < text.length; i++) {
		hash = Math.imul(hash ^ text.charCodeAt(i), 0x01_00_01_93);
	}

	return (hash ^ (hash >>> 15)) >>> 0;
}
