import {uniformInt} from 'pure-rand/distribution/uniformInt';
import {xoroshiro128plus} from 'pure-rand/generator/xoroshiro128plus';
import {FlowStore} from '../../source/engine/store.js';
import {emptyRecord, type FlowRecord} from '../../source/flowlog/record.js';
import {diagnose, RULES} from '../../source/diagnosis/diagnose.js';

/**
 * `npx tsx test/diagnosis/measure.ts`: how long diagnose() takes over a store of a million
 * conversations shaped like a busy VPC's fifteen minutes: 300 interfaces, thousands of peers
 * inside and out, and every rule's pattern somewhere in it (refused requests and blocked NACL
 * responses on BROKEN interfaces, a scan, a brute force). Not a test: the numbers depend on the
 * machine, so they go in a report, not an assertion.
 */

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 1_000_000);
// Interfaces with refused requests and NACL-dropped responses: an incident touches a few; set it
// to 300 for the worst case, every interface broken and thousands of findings to describe.
const BROKEN = Number(process.env.BROKEN ?? 10);
const BUCKETS = 15;
const START = 1_700_000_000;
const rng = xoroshiro128plus(7);
const int = (min: number, max: number) => uniformInt(rng, min, max);

const enis = Array.from({length: 300}, (_, i) => `eni-0${(0x10_0000 + i).toString(16)}`);
const own = enis.map((_, i) => `10.${i % 4}.${Math.floor(i / 4)}.${(i % 200) + 10}`);
const inside = Array.from({length: 4000}, (_, i) => `10.${4 + (i % 4)}.${Math.floor(i / 250) % 256}.${(i % 250) + 1}`);
const outside = Array.from(
	{length: 20_000},
	(_, i) => `${100 + (i % 50)}.${Math.floor(i / 50) % 256}.${i % 256}.${(i % 200) + 1}`,
);
const services = [443, 80, 5432, 6379, 22, 8080, 3306, 9092];

function record(values: Partial<FlowRecord>): FlowRecord {
	return {
		...emptyRecord(),
		account: '123456789012',
		protocol: 6,
		packets: 10,
		bytes: 4000,
		action: 'ACCEPT',
		...values,
	};
}

function minute(bucket: number): Pick<FlowRecord, 'start' | 'end'> {
	const start = START + bucket * 60 + int(0, 50);
	return {start, end: start + 5};
}

const store = new FlowStore();
const perBucket = Math.ceil(CONVERSATIONS / BUCKETS);
for (let bucket = 0; bucket < BUCKETS; bucket++) {
	const batch: FlowRecord[] = [];
	while (batch.length < perBucket) {
		const index = int(0, enis.length - 1);
		const eni = enis[index]!;
		const self = own[index]!;
		const peer = int(0, 9) < 3 ? outside[int(0, outside.length - 1)]! : inside[int(0, inside.length - 1)]!;
		const service = services[int(0, services.length - 1)]!;
		const client = int(32_768, 60_999);
		const roll = index < BROKEN ? int(0, 99) : int(6, 99);
		if (roll < 4) {
			// Refused requests, each with its own client port.
			batch.push(
				record({eni, src: peer, dst: self, srcPort: client, dstPort: service, action: 'REJECT', ...minute(bucket)}),
			);
		} else if (roll < 6) {
			// A NACL dropping responses: the request is let in, the answer refused on the way out.
			batch.push(record({eni, src: peer, dst: self, srcPort: client, dstPort: service, ...minute(bucket)}));
			batch.push(
				record({eni, src: self, dst: peer, srcPort: service, dstPort: client, action: 'REJECT', ...minute(bucket)}),
			);
		} else if (roll < 50) {
			batch.push(record({eni, src: peer, dst: self, srcPort: client, dstPort: service, ...minute(bucket)}));
			batch.push(record({eni, src: self, dst: peer, srcPort: service, dstPort: client, ...minute(bucket)}));
		} else {
			batch.push(record({eni, src: self, dst: peer, srcPort: client, dstPort: service, ...minute(bucket)}));
		}
	}

	for (let port = 1; port <= 1000; port++) {
		batch.push(
			record({
				eni: enis[0],
				src: '198.51.100.7',
				dst: own[0],
				srcPort: 40_000,
				dstPort: port,
				action: 'REJECT',
				...minute(bucket),
			}),
		);
	}

	for (let attempt = 0; attempt < 100; attempt++) {
		batch.push(
			record({
				eni: enis[1],
				src: outside[attempt]!,
				dst: own[1],
				srcPort: int(32_768, 60_999),
				dstPort: 22,
				...minute(bucket),
			}),
		);
	}

	store.add(batch);
}

/** Milliseconds for one call on a new store version, so nothing is reused from an earlier call. */
function time(run: () => unknown): number {
	store.add([]);
	const began = performance.now();
	run();
	return performance.now() - began;
}

console.log(`${store.size.toLocaleString('en')} conversations in ${store.bucketsInWindow().length} buckets`);
for (const rule of RULES) {
	console.log(`${rule.name} alone (with what it builds on): ${time(() => rule(store)).toFixed(0)} ms`);
}

for (let run = 0; run < 5; run++) {
	console.log(`diagnose(): ${time(() => diagnose(store)).toFixed(0)} ms, ${diagnose(store).length} findings`);
}
