import type {Conversation} from '../engine/conversation.js';
import type {FlowStore} from '../engine/store.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {blockedResponses} from './nacl-return-blocked.js';
import {scanners} from './port-scan.js';
import {type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, listOf, plural, portLabel} from './wording.js';

// A client retrying on a timer (a health check every 15 s) passes ten refusals in a few minutes; an
// internet host knocking in passing stays at one or two per interface.
const MIN_REPEATS = 10;

export interface RepeatedSource {
	readonly src: number;
	count: number;
	first: number;
	last: number;
	readonly enis: Set<number>;
	/** Protocol and port refused, as `protocol * 65536 + port`. */
	readonly services: Set<number>;
	readonly evidence: EvidenceSample;
}

function findRepeatedSources(snapshot: Snapshot): Map<number, RepeatedSource> {
	const blocked = blockedResponses(snapshot);
	const scanning = scanners(snapshot);
	const counts = (flow: Conversation) =>
		flow.src >= 0 &&
		flow.eni >= 0 &&
		!flow.blockedByBpa &&
		!scanning.has(flow.src) &&
		!blocked.isBlocked(flow.bucket, flow.row) &&
		!snapshot.isLinkLocal(flow.dst);

	// Counts and interfaces per source in typed arrays first: a scan from a million sources would
	// otherwise be a million objects, and only the few refused often by several interfaces matter.
	const {size} = snapshot.store.strings;
	const refusals = new Float64Array(size);
	const firstEni = new Int32Array(size).fill(-1);
	// Refused by two interfaces or more: the client is what is constant, not one interface's rules
	// (one interface refusing many tries is inbound-rejected, about that interface).
	const severalEnis = new Uint8Array(size);
	for (const flow = snapshot.rejects(); flow.next(); ) {
		if (!counts(flow)) {
			continue;
		}

		const {src, eni} = flow;
		refusals[src]! += flow.flows;
		if (firstEni[src] === -1) {
			firstEni[src] = eni;
		} else if (firstEni[src] !== eni) {
			severalEnis[src] = 1;
		}
	}

	const sources = new Map<number, RepeatedSource>();
	for (const flow = snapshot.rejects(); flow.next(); ) {
		const {src, eni} = flow;
		if (src < 0 || refusals[src]! < MIN_REPEATS || severalEnis[src] === 0 || !counts(flow)) {
			continue;
		}

		let source = sources.get(src);
		if (!source) {
			source = {
				src,
				count: 0,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				enis: new Set(),
				services: new Set(),
				evidence: new EvidenceSample(),
			};
			sources.set(src, source);
		}

		source.count += flow.flows;
		source.first = Math.min(source.first, flow.first);
		source.last = Math.max(source.last, flow.last);
		source.enis.add(eni);
		source.services.add(flow.protocol * 65_536 + Math.max(flow.dstPort, 0));
		source.evidence.offer(flow.bucket, flow.row, flow.flows);
	}

	return sources;
}

/** Sources refused again and again across interfaces, by interned address id. */
export function repeatedSources(snapshot: Snapshot): Map<number, RepeatedSource> {
	return snapshot.derive(findRepeatedSources);
}

function describe(snapshot: Snapshot, source: RepeatedSource): Finding {
	const src = snapshot.text(source.src);
	const services = [...source.services]
		.sort((a, b) => a - b)
		.map(key => portLabel(Math.floor(key / 65_536), key % 65_536));
	const enis = [...source.enis].map(id => snapshot.text(id)).sort();
	const what = listOf(services, 4);
	const whose = snapshot.isOutside(source.src)
		? `If you know ${src} (a partner, a monitor, a customer's integration), tell its owner what to use instead; if you do not, deny it in the network ACL.`
		: `${src} is inside your network: either a client of yours pointed at the wrong place (fix its configuration) or a host probing its ` +
			'neighbours (lateral movement: isolate it). Find out which before opening anything for it.';
	return {
		id: ['repeated-rejects', src].join('|'),
		kind: 'repeated-rejects',
		severity: 'warning',
		eni: undefined,
		src,
		count: source.count,
		confidence: source.count >= 2 * MIN_REPEATS ? 'high' : 'medium',
		why: `refused ${plural(source.count, 'time')} by ${plural(enis.length, 'interface')}: the client is what they have in common`,
		summary: `${src} refused ${plural(source.count, 'time')} on ${plural(enis.length, 'interface')} (${listOf(services, 2)})`,
		advice: `One client keeps trying what is refused: ${what} on ${listOf(enis, 4)}. A misconfigured client retries on a timer; an attacker moves on. ${whose}`,
		firstSeen: source.first,
		lastSeen: source.last,
		evidence: source.evidence.evidence(snapshot),
		get filter() {
			return filterText([`src:${src}`, 'reject']);
		},
	};
}

/** repeated-rejects: one source refused again and again across interfaces, not already explained as a scan. */
export function repeatedRejects(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return [...repeatedSources(snapshot).values()].map(source => describe(snapshot, source));
}
