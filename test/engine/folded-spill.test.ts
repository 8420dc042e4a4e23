import {mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {UserError} from '../../source/errors.js';
import {EMPTY_FILTER} from '../../source/engine/filter.js';
import {forEachRecord} from '../../source/engine/folded-spill.js';
import {FlowStore, type StoreOptions} from '../../source/engine/store.js';
import {computeViews} from '../../source/engine/views.js';
import {records, v2} from '../helpers/lines.js';

const T = 1_700_000_000;
const BOUND = 40;
const directories: string[] = [];

function directory(): string {
	const made = mkdtempSync(join(tmpdir(), 'flowtop-spill-test-'));
	directories.push(made);
	return made;
}

/** A store's place to spill: a directory of its own. */
function spill(writer = 'whole'): StoreOptions['spill'] {
	const made = directory();
	return {directory: () => made, writer};
}

afterEach(() => {
	for (const made of directories.splice(0)) {
		rmSync(made, {recursive: true, force: true});
	}
});

/**
 * A scan from 3,000 sources (each once, some more than once and a few again later), a scanner
 * coming back throughout, and a pair that moves 1 GB at the end after trying small at the start:
 * pairs folded while small, spilled, and then big in memory.
 */
function traffic(): string[] {
	const lines: string[] = [];
	const at = (i: number) => ({start: T + (i % 600), end: T + (i % 600) + 59});
	lines.push(v2({...at(0), srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', bytes: 10, packets: 1}));
	for (let i = 0; i < 3000; i++) {
		const src = `198.51.${i >> 8}.${i & 255}`;
		const repeat = 1 + (i % 3);
		for (let k = 0; k < repeat; k++) {
			lines.push(
				v2({
					...at(i),
					srcaddr: src,
					dstaddr: `10.0.0.${i % 7}`,
					dstport: 1 + k,
					bytes: 40 + (i % 13),
					action: 'REJECT',
				}),
			);
		}

		if (i % 5 === 0) {
			lines.push(v2({...at(i), srcaddr: '203.0.113.66', dstaddr: '10.0.0.9', dstport: 1000 + i, action: 'REJECT'}));
		}
	}

	for (let i = 0; i < 3000; i += 97) {
		lines.push(v2({...at(i), srcaddr: `198.51.${i >> 8}.${i & 255}`, dstaddr: `10.0.0.${i % 7}`, bytes: 5_000_000}));
	}

	for (let k = 0; k < 5; k++) {
		lines.push(v2({...at(700 + k), srcaddr: '10.0.1.5', dstaddr: '10.0.2.9', bytes: 200_000_000, packets: 1000}));
	}

	return lines;
}

function read(options: StoreOptions): FlowStore {
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY, ...options});
	const all = records(traffic());
	for (let start = 0; start < all.length; start += 500) {
		store.add(all.slice(start, start + 500));
	}

	return store;
}

/** What the `--once` report ranks, without the detail the bound summarizes (distinct ports, interfaces). */
function ranked(store: FlowStore) {
	const views = computeViews(store, EMPTY_FILTER, {limit: 8});
	return {
		totals: views.totals,
		rejectTotals: views.rejectTotals,
		pairs: views.talkers.pair,
		rejectedSources: views.rejectsBySource.map(({src, flows, packets, bytes, lastSeen}) => ({
			src,
			flows,
			packets,
			bytes,
			lastSeen,
		})),
		protocols: views.protocols,
	};
}

describe('a store that spills past the memory bound', () => {
	it('ranks every pair and rejected source exactly, as a store that kept them all does', () => {
		const whole = read({});
		const spilled = read({maxFlows: BOUND, spill: spill()});
		expect(whole.summarized).toBe(0);
		expect(spilled.summarized).toBeGreaterThan(0);
		expect(readdirSync(directories[0]!).length).toBeGreaterThan(0);
		const expected = ranked(whole);
		expect(expected.pairs[0]).toMatchObject({src: '10.0.1.5', dst: '10.0.2.9', bytes: 1_000_000_010});
		expect(expected.rejectedSources[0]).toMatchObject({src: '203.0.113.66', flows: 600});
		expect(ranked(spilled)).toEqual(expected);
	});

	it('holds no folded sums, and no more addresses than the bound allows, however many pairs it saw', () => {
		const store = read({maxFlows: BOUND, spill: spill()});
		// What it folded is on disk, by address text.
		expect(store.foldedSize).toBe(0);
		// 3,000 sources went through; the store keeps the addresses of what it holds.
		expect(store.strings.size).toBeLessThanOrEqual(4 * BOUND);
		expect(store.size).toBeLessThanOrEqual(BOUND * 1.25 + store.bucketsInWindow().length * 2);
	});

	it('merges ranges that each spilled, exactly', () => {
		const lines = traffic();
		const half = Math.floor(lines.length / 2);
		const place = directory();
		const ranges = [lines.slice(0, half), lines.slice(half)].map((part, k) => {
			const store = new FlowStore({
				windowSeconds: Number.POSITIVE_INFINITY,
				maxFlows: BOUND / 2,
				spill: {directory: () => place, writer: `range-${k}`},
			});
			store.add(records(part));
			return store;
		});
		ranges[0]!.raiseFlowLimit(BOUND);
		ranges[0]!.absorb(ranges[1]!.part());
		expect(ranked(ranges[0]!)).toEqual(ranked(read({})));
	});

	it('fails with one line saying the disk is full, and what to do', () => {
		const place = directory();
		for (const kind of ['pair', 'rejecter']) {
			for (let partition = 0; partition < 64; partition++) {
				symlinkSync('/dev/full', join(place, `whole-${kind}-${partition}`));
			}
		}

		let error: unknown;
		try {
			read({maxFlows: BOUND, spill: {directory: () => place, writer: 'whole'}});
		} catch (thrown) {
			error = thrown;
		}

		expect(error).toBeInstanceOf(UserError);
		expect((error as Error).message).toMatch(
			/^cannot write .*: the disk is full\. .*free some space there or set TMPDIR/,
		);
		expect((error as Error).message).not.toContain('\n');
	});
});

describe('reading spilled records back', () => {
	it('reads every record whole through a buffer far smaller than the file', () => {
		const written = Array.from({length: 500}, (_, i) => ({
			texts: [`198.51.${i % 256}.${i}`, '2001:db8::'.padEnd(10 + (i % 30), 'f')],
			values: [i * 40, i, 1],
		}));
		const file = join(directory(), 'whole-pair-0');
		writeFileSync(
			file,
			Buffer.concat(
				written.flatMap(({texts, values}) => [
					...texts.flatMap(text => {
						const length = Buffer.alloc(2);
						length.writeUInt16LE(text.length);
						return [length, Buffer.from(text, 'latin1')];
					}),
					Buffer.from(new Float64Array(values).buffer),
				]),
			),
		);
		const read: Array<{texts: string[]; values: number[]}> = [];
		forEachRecord(file, Buffer.alloc(600), 2, 3, (data, start, keyEnd) => {
			const texts: string[] = [];
			for (let at = start; at < keyEnd; ) {
				const length = data.readUInt16LE(at);
				texts.push(data.toString('latin1', at + 2, at + 2 + length));
				at += 2 + length;
			}

			read.push({texts, values: [0, 1, 2].map(value => data.readDoubleLE(keyEnd + value * 8))});
		});
		expect(read).toEqual(written);
	});
});
