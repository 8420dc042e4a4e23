import {ACTION_ACCEPT, DETAIL_MASK, DETAIL_EXACT, DIRECTION_EGRESS, DIRECTION_INGRESS, DIRECTION_MASK} from '../engine/conversation-table.js';
import type {FlowStore} from '../engine/store.js';
import {FIRST_EPHEMERAL_PORT, isPortProtocol, protocolName, servicePortOf} from '../flowlog/protocols.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {peerRanges} from './peer-range.js';
import {EGRESS, INGRESS, type Snapshot, snapshotOf, UNKNOWN, type Way} from './snapshot.js';
import {filterText, portLabel, protocolTerm, serviceLabel, subnetOf} from './wording.js';

/** The REJECT rows that are responses to a request the same interface ACCEPTed. */
export interface BlockedResponses {
	/**
	 * Parallel lists: the response's bucket index and row, the request's bucket index and row. Only
	 * pairs a network ACL can explain: not those between two interfaces of one subnet.
	 */
	readonly responseBuckets: readonly number[];
	readonly responseRows: readonly number[];
	readonly requestBuckets: readonly number[];
	readonly requestRows: readonly number[];
	isBlocked(bucket: number, row: number): boolean;
}

function flipped(direction: number): number {
	return direction === DIRECTION_INGRESS ? DIRECTION_EGRESS : direction === DIRECTION_EGRESS ? DIRECTION_INGRESS : direction;
}

/**
 * Pair each REJECT with its reverse: same interface, addresses swapped, same protocol, and the
 * ports swapped. The reject must come from the service port (a response goes from the server's
 * port to the client's) and the reverse must be an ACCEPT whose destination is that port. An
 * ACCEPTed request may have had its client port folded away by the store (-1), so it matches on
 * the service port alone; a REJECT always keeps both. Within one subnet no network ACL applies:
 * a pair whose ends the records place in one subnet is a blocked response all the same (so no rule
 * mistakes it for a request), but one this rule does not explain.
 */
function findBlockedResponses(snapshot: Snapshot): BlockedResponses {
	const {buckets, rejectBuckets, rejectRows} = snapshot;
	const flags: Array<Uint8Array | undefined> = [];
	const result = {
		responseBuckets: [] as number[],
		responseRows: [] as number[],
		requestBuckets: [] as number[],
		requestRows: [] as number[],
		isBlocked: (bucket: number, row: number) => flags[bucket]?.[row] === 1,
	};
	for (let index = 0; index < rejectRows.length; index++) {
		const bucket = rejectBuckets[index]!;
		const row = rejectRows[index]!;
		const {table} = buckets[bucket]!;
		const code = table.code[row]!;
		const eni = table.eni[row]!;
		const src = table.src[row]!;
		const dst = table.dst[row]!;
		if ((code & DETAIL_MASK) !== DETAIL_EXACT || eni < 0 || src < 0 || dst < 0) {
			continue;
		}

		const protocol = table.protocol[row]!;
		const srcPort = table.srcPort[row]!;
		const dstPort = table.dstPort[row]!;
		const ported = isPortProtocol(protocol);
		if (ported && (srcPort < 0 || dstPort < 0 || servicePortOf(srcPort, dstPort) !== srcPort)) {
			continue;
		}

		const requestCode = ACTION_ACCEPT | flipped(code & DIRECTION_MASK);
		for (let other = 0; other < buckets.length; other++) {
			const candidate = buckets[other]!.table;
			let request = candidate.find(eni, dst, src, dstPort, srcPort, protocol, requestCode);
			if (request < 0 && ported) {
				request = candidate.find(eni, dst, src, -1, srcPort, protocol, requestCode);
			}

			if (request >= 0) {
				(flags[bucket] ??= new Uint8Array(table.size))[row] = 1;
				if (snapshot.sameSubnet(src, dst)) {
					break;
				}

				result.responseBuckets.push(bucket);
				result.responseRows.push(row);
				result.requestBuckets.push(other);
				result.requestRows.push(request);
				break;
			}
		}
	}

	return result;
}

export function blockedResponses(snapshot: Snapshot): BlockedResponses {
	return snapshot.derive(findBlockedResponses);
}

// One request and a few of its blocked responses tell the whole story.
const REQUEST_EVIDENCE = 1;
const RESPONSE_EVIDENCE = 3;

interface Group {
	readonly eni: number;
	readonly protocol: number;
	readonly port: number | undefined;
	readonly way: Way;
	count: number;
	first: number;
	last: number;
	readonly peers: Set<number>;
	lowestClientPort: number;
	readonly clientPorts: Set<number>;
	readonly requests: EvidenceSample;
	readonly responses: EvidenceSample;
}

/** The port range a rule must open for the clients' side: the ephemeral range unless they used fixed low ports. */
function returnPorts(group: Group): string {
	if (group.lowestClientPort >= FIRST_EPHEMERAL_PORT) {
		return `${FIRST_EPHEMERAL_PORT}-65535`;
	}

	return group.clientPorts.size === 1 ? String(group.lowestClientPort) : `${group.lowestClientPort}-65535`;
}

function describe(snapshot: Snapshot, group: Group): Finding {
	const eni = snapshot.text(group.eni);
	const subnet = subnetOf(snapshot.profile(group.eni), eni);
	const ported = isPortProtocol(group.protocol);
	const protocol = protocolName(group.protocol);
	const opening = ported ? `${protocol} ${returnPorts(group)}` : protocol;
	// The summary names the protocol once: `TCP 5432 replies; open 1024-65535`.
	const open = ported ? `open ${returnPorts(group)}` : `allow ${protocol}`;
	const service = serviceLabel(group.protocol, group.port);
	const peers = peerRanges([...group.peers].map(id => ({address: snapshot.text(id), outside: snapshot.isOutside(id)}))).join(' and ');
	const why = 'Security groups are stateful and let responses through; network ACLs are stateless, so the return path needs its own rule';
	const direction = group.way === EGRESS ? 'outbound' : group.way === INGRESS ? 'inbound' : undefined;
	const replies = ported ? `${portLabel(group.protocol, group.port)} replies` : `${protocol} replies`;
	let summary: string;
	let advice: string;
	if (direction === 'outbound') {
		summary = `${eni}: NACL drops ${replies}; ${open} outbound`;
		advice = `Add an outbound rule to the network ACL of ${subnet}: allow ${opening} to ${peers}. `
			+ `${service} requests reach ${eni} and are accepted, but the responses are rejected as they leave it. ${why}.`;
	} else if (direction === 'inbound') {
		summary = `${eni}: NACL drops ${replies}; ${open} inbound`;
		advice = `Add an inbound rule to the network ACL of ${subnet}: allow ${opening} from ${peers}. `
			+ `${eni}'s requests to ${service} leave and are answered, but the responses are rejected as they arrive. ${why}.`;
	} else {
		summary = `${eni}: NACL drops ${replies}; ${open} for them`;
		advice = `The network ACL of ${subnet} must let the responses of ${service} pass: allow ${opening} between ${eni} and ${peers}, `
			+ `outbound if ${eni} is the server, inbound if it is the client. ${why}.`;
	}

	return {
		id: ['nacl-return-blocked', eni, group.protocol, group.port ?? '', direction ?? ''].join('|'),
		kind: 'nacl-return-blocked',
		severity: 'critical',
		eni,
		...(group.port === undefined ? {} : {port: group.port}),
		...(direction === undefined ? {} : {direction}),
		count: group.count,
		summary,
		advice,
		firstSeen: group.first,
		lastSeen: group.last,
		evidence: [...group.requests.evidence(snapshot), ...group.responses.evidence(snapshot)],
		filter: filterText([eni, ported && group.port !== undefined ? `port:${group.port}` : undefined, protocolTerm(group.protocol)]),
	};
}

/**
 * nacl-return-blocked: a request ACCEPTed on an interface and its response REJECTed on the same
 * interface. Security groups would have let the response through, so a network ACL dropped it.
 * One finding per interface, service and direction of the blocked responses.
 */
export function naclReturnBlocked(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	const {responseBuckets, responseRows, requestBuckets, requestRows} = blockedResponses(snapshot);
	const groups = new Map<string, Group>();
	for (let index = 0; index < responseRows.length; index++) {
		const bucket = responseBuckets[index]!;
		const row = responseRows[index]!;
		const {table} = snapshot.buckets[bucket]!;
		const eni = table.eni[row]!;
		const protocol = table.protocol[row]!;
		const ported = isPortProtocol(protocol);
		const port = ported ? table.srcPort[row]! : undefined;
		let way = snapshot.way(table, row);
		if (way === UNKNOWN) {
			const request = snapshot.way(snapshot.buckets[requestBuckets[index]!]!.table, requestRows[index]!);
			way = request === INGRESS ? EGRESS : request === EGRESS ? INGRESS : UNKNOWN;
		}

		const key = `${eni}|${protocol}|${port ?? ''}|${way}`;
		let group = groups.get(key);
		if (!group) {
			group = {
				eni,
				protocol,
				port,
				way,
				count: 0,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				peers: new Set(),
				lowestClientPort: Number.POSITIVE_INFINITY,
				clientPorts: new Set(),
				requests: new EvidenceSample(REQUEST_EVIDENCE),
				responses: new EvidenceSample(RESPONSE_EVIDENCE),
			};
			groups.set(key, group);
		}

		const flows = table.flows[row]!;
		group.count += flows;
		group.first = Math.min(group.first, table.first[row]!);
		group.last = Math.max(group.last, table.last[row]!);
		// The response's destination is the client: the peer when this interface served, the
		// interface itself when it was the client, and then the peer is the server.
		group.peers.add(way === INGRESS ? table.src[row]! : table.dst[row]!);
		const clientPort = table.dstPort[row]!;
		if (ported) {
			group.lowestClientPort = Math.min(group.lowestClientPort, clientPort);
			group.clientPorts.add(clientPort);
		}

		const requestTable = snapshot.buckets[requestBuckets[index]!]!.table;
		group.requests.offer(requestBuckets[index]!, requestRows[index]!, requestTable.flows[requestRows[index]!]!);
		group.responses.offer(bucket, row, flows);
	}

	return [...groups.values()].map(group => describe(snapshot, group));
}
