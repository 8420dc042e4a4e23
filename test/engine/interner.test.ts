import {describe, expect, it} from 'vitest';
import {Interner} from '../../source/engine/interner.js';

/** Addresses and interface ids become small integers: the same text always the same id. */

const addresses = (count: number) =>
	Array.from({length: count}, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);

describe('the interner', () => {
	it('gives each text its own id, in the order first seen, and the same id again', () => {
		const strings = new Interner();
		expect(['eni-0aaa', '10.0.0.1', 'eni-0aaa', '2001:db8::1'].map(text => strings.id(text))).toEqual([0, 1, 0, 2]);
		expect(strings.size).toBe(3);
		expect(strings.all()).toEqual(['eni-0aaa', '10.0.0.1', '2001:db8::1']);
		expect(strings.text(2)).toBe('2001:db8::1');
	});

	it('knows the IPv4 value of an address, and -1 for anything else', () => {
		const strings = new Interner();
		const ids = ['10.0.0.1', '2001:db8::1', 'eni-0aaa'].map(text => strings.id(text));
		expect(ids.map(id => strings.ipv4(id))).toEqual([0x0a_00_00_01, -1, -1]);
	});

	it('finds only what it was given', () => {
		const strings = new Interner();
		strings.id('10.0.0.1');
		expect(strings.find('10.0.0.1')).toBe(0);
		expect(strings.find('10.0.0.2')).toBe(-1);
	});

	it('keeps every id as it grows far past its first table', () => {
		const strings = new Interner();
		const texts = addresses(5000);
		const ids = texts.map(text => strings.id(text));
		expect(ids).toEqual(texts.map((_, i) => i));
		expect(texts.map(text => strings.find(text))).toEqual(ids);
		expect(texts.map(text => strings.id(text))).toEqual(ids);
		expect(strings.find('10.255.255.255')).toBe(-1);
	});

	it('forgets what is no longer used, renumbering the rest in order', () => {
		const strings = new Interner();
		const texts = addresses(5000);
		for (const text of texts) {
			strings.id(text);
		}

		const live = new Uint8Array(strings.size);
		const kept = [3, 1500, 4999];
		for (const id of kept) {
			live[id] = 1;
		}

		const remap = strings.compact(live);
		expect(remap.length).toBe(5000);
		expect(kept.map(id => remap[id])).toEqual([0, 1, 2]);
		expect([0, 4, 4998].map(id => remap[id])).toEqual([-1, -1, -1]);
		expect(strings.all()).toEqual(kept.map(id => texts[id]));
		expect(kept.map(id => strings.find(texts[id]!))).toEqual([0, 1, 2]);
		expect(kept.map((_, id) => strings.ipv4(id))).toEqual([0x0a_00_00_03, 0x0a_00_05_dc, 0x0a_00_13_87]);
		expect(strings.find(texts[0]!)).toBe(-1);
		expect(strings.id(texts[0]!)).toBe(3);
	});

	it('keeps thousands of ids found after forgetting a few', () => {
		const strings = new Interner();
		const texts = addresses(3000);
		for (const text of texts) {
			strings.id(text);
		}

		const live = new Uint8Array(strings.size).fill(1);
		live[0] = 0;
		strings.compact(live);
		expect(strings.size).toBe(2999);
		expect(texts.slice(1).map(text => strings.find(text))).toEqual(texts.slice(1).map((_, i) => i));
		expect(texts.slice(1).map(text => strings.id(text))).toEqual(texts.slice(1).map((_, i) => i));
		expect(strings.id('eni-0new')).toBe(2999);
	});
});
