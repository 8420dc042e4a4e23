import {ACTION_ACCEPT, ACTION_MASK, DETAIL_EXACT, DETAIL_MASK} from '../engine/conversation-table.js';
import type {FlowStore} from '../engine/store.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {blockedResponses} from './nacl-return-blocked.js';
import {EGRESS, type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, listOf, plural, subnetOf} from './wording.js';

// nmap's quickest sweep (-F) tries 100 ports and its default 1,000; even a polite -T2 scan passes
// 20 distinct targets within a minute. A client that is refused on 20 different ports or hosts in
// one bucket is not retrying something it needs: one service refused is one or two targets.
const MIN_SCAN_TARGETS = 20;
// A scan finds a few open ports among many closed ones; a client that gets most of what it asks
// for is a busy client (a monitoring host, a load balancer checking targets), not a scan.
const MIN_REFUSED_SHARE = 0.8;

// What got through is the telling part of a sweep, so it leads the evidence; then its first refusals.
const ANSWER_WEIGHT = 2;
const REFUSAL_WEIGHT = 1;

/** A target: destination host, protocol and port, in one number (ids stay below 2^29). */
function targetKey(dst: number, protocol: number, port: number): number {
	return (dst * 256 + protocol) * 65_537 + port + 1;
}

export interface Scanner {
	readonly src: number;
	count: number;
	first: number;
	last: number;
	readonly ports: Set<number>;
	readonly hosts: Set<number>;
	/** Refused records by interface id. */
	readonly enis: Map<number, number>;
	readonly accepted: Set<number>;
	readonly evidence: EvidenceSample;
}

/**
 * Sources refused on at least MIN_SCAN_TARGETS distinct targets within one bucket, most of what
 * they tried refused. Only refusals on arrival count (a scan is refused by its targets; a host
 * refused on its own way out is outbound-rejected), and never the blocked responses of a NACL,
 * which go to a new client port on every connection.
 */
function findScanners(snapshot: Snapshot): Map<number, Scanner> {
	const {buckets, rejectBuckets, rejectRows} = snapshot;
	const blocked = blockedResponses(snapshot);
	const isRefusal = (bucket: number, row: number) => {
		const {table} = buckets[bucket]!;
		return (table.code[row]! & DETAIL_MASK) === DETAIL_EXACT && table.src[row]! >= 0 && table.dst[row]! >= 0
			&& !blocked.isBlocked(bucket, row) && snapshot.way(table, row) !== EGRESS;
	};

	// Per bucket, rows refused per source: cheap, and only sources past the threshold are looked at closely.
	const candidates = new Map<number, Set<number>>();
	let current = -1;
	let perSource = new Map<number, number>();
	const settle = () => {
		const many = [...perSource].filter(([, rows]) => rows >= MIN_SCAN_TARGETS).map(([src]) => src);
		if (many.length > 0) {
			candidates.set(current, new Set(many));
		}
	};

	for (let index = 0; index < rejectRows.length; index++) {
		if (rejectBuckets[index] !== current) {
			settle();
			current = rejectBuckets[index]!;
			perSource = new Map();
		}

		if (isRefusal(current, rejectRows[index]!)) {
			const src = buckets[current]!.table.src[rejectRows[index]!]!;
			perSource.set(src, (perSource.get(src) ?? 0) + 1);
		}
	}

	settle();
	const scanning = new Set<number>();
	const isCandidate = new Uint8Array(snapshot.store.strings.size);
	for (const [index, sources] of candidates) {
		const {table} = buckets[index]!;
		const refused = new Map<number, Set<number>>([...sources].map(src => [src, new Set<number>()]));
		const accepted = new Map<number, Set<number>>([...sources].map(src => [src, new Set<number>()]));
		isCandidate.fill(0);
		for (const src of sources) {
			isCandidate[src] = 1;
		}

		for (let row = 0; row < table.size; row++) {
			const src = table.src[row]!;
			if (src < 0 || isCandidate[src] === 0 || table.dst[row]! < 0) {
				continue;
			}

			const target = targetKey(table.dst[row]!, table.protocol[row]!, table.dstPort[row]!);
			if ((table.code[row]! & ACTION_MASK) === ACTION_ACCEPT) {
				accepted.get(src)!.add(target);
			} else if (isRefusal(index, row)) {
				refused.get(src)!.add(target);
			}
		}

		for (const [src, targets] of refused) {
			const answered = [...accepted.get(src)!].filter(target => !targets.has(target)).length;
			if (targets.size >= MIN_SCAN_TARGETS && targets.size >= MIN_REFUSED_SHARE * (targets.size + answered)) {
				scanning.add(src);
			}
		}
	}

	const scanners = new Map<number, Scanner>();
	for (let index = 0; index < rejectRows.length; index++) {
		const bucket = rejectBuckets[index]!;
		const row = rejectRows[index]!;
		const {table} = buckets[bucket]!;
		const src = table.src[row]!;
		if (!scanning.has(src) || !isRefusal(bucket, row)) {
			continue;
		}

		let scanner = scanners.get(src);
		if (!scanner) {
			scanner = {
				src,
				count: 0,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				ports: new Set(),
				hosts: new Set(),
				enis: new Map(),
				accepted: new Set(),
				evidence: new EvidenceSample(),
			};
			scanners.set(src, scanner);
		}

		scanner.count += table.flows[row]!;
		scanner.first = Math.min(scanner.first, table.first[row]!);
		scanner.last = Math.max(scanner.last, table.last[row]!);
		scanner.ports.add(table.dstPort[row]!);
		scanner.hosts.add(table.dst[row]!);
		const eni = table.eni[row]!;
		scanner.enis.set(eni, (scanner.enis.get(eni) ?? 0) + table.flows[row]!);
		scanner.evidence.offer(bucket, row, REFUSAL_WEIGHT);
	}

	if (scanners.size === 0) {
		return scanners;
	}

	const isScanner = new Uint8Array(snapshot.store.strings.size);
	for (const src of scanners.keys()) {
		isScanner[src] = 1;
	}

	for (const [index, {table}] of buckets.entries()) {
		for (let row = 0; row < table.size; row++) {
			const src = table.src[row]!;
			if (src >= 0 && isScanner[src] === 1 && (table.code[row]! & ACTION_MASK) === ACTION_ACCEPT && table.dstPort[row]! >= 0) {
				const scanner = scanners.get(src)!;
				scanner.accepted.add(table.dstPort[row]!);
				scanner.evidence.offer(index, row, ANSWER_WEIGHT);
			}
		}
	}

	return scanners;
}

/** The sources doing a port or host sweep, by interned address id. */
export function scanners(snapshot: Snapshot): Map<number, Scanner> {
	return snapshot.derive(findScanners);
}

function describe(snapshot: Snapshot, scanner: Scanner): Finding {
	const src = snapshot.text(scanner.src);
	const [eniId] = [...scanner.enis].sort((a, b) => b[1] - a[1])[0]!;
	const eni = snapshot.text(eniId);
	const sweep = scanner.ports.size >= scanner.hosts.size
		? `${plural(scanner.ports.size, 'port')} of ${scanner.hosts.size === 1 ? eni : plural(scanner.hosts.size, 'host')}`
		: `${plural(scanner.hosts.size, 'host')} on ${plural(scanner.ports.size, 'port')}`;
	const open = [...scanner.accepted].sort((a, b) => a - b).map(String);
	const answered = open.length === 0
		? 'Nothing answered it.'
		: `It got an answer on ${listOf(open, 6)}: make sure only what you meant to expose is open.`;
	const outside = snapshot.isOutside(scanner.src);
	const block = outside
		? `If it persists, deny ${src} in the network ACL of ${subnetOf(snapshot.profile(eniId), eni)} (a NACL can deny; a security group cannot).`
		: `${src} is inside your network: find out what runs there, a scanning host of your own may be compromised.`;
	return {
		id: ['port-scan', src].join('|'),
		kind: 'port-scan',
		severity: 'warning',
		eni,
		src,
		count: scanner.count,
		summary: `${src} scanned ${sweep}: ${plural(scanner.count, 'refusal')}`,
		advice: `Reconnaissance, not an outage: ${src} swept ${sweep}${scanner.enis.size > 1 ? ` across ${plural(scanner.enis.size, 'interface')}` : ''} and was refused ${plural(scanner.count, 'time')}. ${answered} ${block}`,
		firstSeen: scanner.first,
		lastSeen: scanner.last,
		evidence: scanner.evidence.evidence(snapshot),
		filter: filterText([`src:${src}`]),
	};
}

/** port-scan: one source touching many distinct ports or hosts in a short time, mostly refused. */
export function portScan(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return [...scanners(snapshot).values()].map(scanner => describe(snapshot, scanner));
}
