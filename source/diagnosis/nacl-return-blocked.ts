import type {Conversation} from '../engine/conversation.js';
import type {FlowStore} from '../engine/store.js';
import {FIRST_EPHEMERAL_PORT, isPortProtocol, LOGIN_PORTS, protocolName, servicePortOf} from '../flowlog/protocols.js';
import {type Direction, opposite} from '../net/direction.js';
import {EvidenceSample} from './evidence.js';
import type {Confidence, Finding, Severity} from './finding.js';
import {peerRanges} from './peer-range.js';
import {type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, percent, plural, portLabel, protocolTerm, serviceLabel, subnetOf} from './wording.js';

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

/**
 * Pair each REJECT with its reverse: same interface, addresses swapped, same protocol, and the
 * ports swapped. The reject must come from the service port (a response goes from the server's
 * port to the client's) and the reverse must be an ACCEPT whose destination is that port. An
 * ACCEPTed request may have had its client port folded away by the store (-1), so it matches on
 * the service port alone; a REJECT always keeps both. The request is looked for within a capture
 * window of the response, so the cost follows the rejects, not the length of the window. Within
 * one subnet no network ACL applies: a pair whose ends the records place in one subnet is a
 * blocked response all the same (so no rule mistakes it for a request), but one this rule does
 * not explain, and so is one the record says VPC Block Public Access refused (reject-reason BPA).
 */
function findBlockedResponses(snapshot: Snapshot): BlockedResponses {
	const flags: Array<Uint8Array | undefined> = [];
	const result = {
		responseBuckets: [] as number[],
		responseRows: [] as number[],
		requestBuckets: [] as number[],
		requestRows: [] as number[],
		isBlocked: (bucket: number, row: number) => flags[bucket]?.[row] === 1,
	};
	const request = snapshot.cursor();
	for (const response = snapshot.rejects(); response.next(); ) {
		const {eni, src, dst, srcPort, dstPort} = response;
		if (!response.exact || eni < 0 || src < 0 || dst < 0) {
			continue;
		}

		const ported = isPortProtocol(response.protocol);
		if (ported && (srcPort < 0 || dstPort < 0 || servicePortOf(srcPort, dstPort) !== srcPort)) {
			continue;
		}

		const direction = response.direction === undefined ? undefined : opposite(response.direction);
		const [from, to] = snapshot.nearBuckets(response.first, response.last);
		for (let bucket = from; bucket <= to; bucket++) {
			if (
				request.findReverse(bucket, dstPort, true, direction, response) ||
				(ported && request.findReverse(bucket, -1, true, direction, response))
			) {
				// biome-ignore lint/suspicious/noAssignInExpressions: a bucket's flags are made the first time one is set.
				(flags[response.bucket] ??= new Uint8Array(response.rowsIn(response.bucket)))[response.row] = 1;
				if (!snapshot.sameSubnet(src, dst) && !response.blockedByBpa) {
					result.responseBuckets.push(response.bucket);
					result.responseRows.push(response.row);
					result.requestBuckets.push(request.bucket);
					result.requestRows.push(request.row);
				}

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
// A network ACL blocks a port range for every connection that uses it: most replies refused is a
// NACL; a few in a hundred are connections closing after the security group forgot them.
const MOST_REPLIES = 0.5;
// Linux draws client ports from 32768 up, Windows from 49152: a NACL opening only part of the
// range refuses the replies of some clients and not others. A fifth is far above late teardown.
const SOME_REPLIES = 0.2;
// Connections differ by client port or peer: a rule is proved by several, not one retried.
const MIN_CLIENT_PORTS = 3;
const MIN_MINUTES = 2;
const TCP_FIN = 1;
const TCP_SYN = 2;
const TCP_RST = 4;

interface Group {
	readonly eni: number;
	readonly protocol: number;
	readonly port: number | undefined;
	readonly direction: Direction | undefined;
	count: number;
	/**
	 * Records of the refused replies that are one packet each, or teardown per tcp-flags (FIN/RST, no
	 * SYN): a SYN-ACK answers a new connection and is never one.
	 */
	tail: number;
	/** Replies on the same port and direction that got through. */
	passed: number;
	first: number;
	last: number;
	readonly peers: Set<number>;
	/** The replies' destination ports: read only for a protocol with ports. */
	lowestClientPort: number;
	readonly clientPorts: Set<number>;
	readonly minutes: Set<number>;
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

function groupKey(eni: number, protocol: number, port: number | undefined, direction: Direction | undefined): string {
	return `${eni}|${protocol}|${port ?? ''}|${direction ?? ''}`;
}

/** Count the replies that did get through, per group: the share refused is what tells a NACL. */
function countPassed(snapshot: Snapshot, groups: ReadonlyMap<string, Group>): void {
	const ports = new Uint8Array(65_537);
	for (const group of groups.values()) {
		ports[(group.port ?? -1) + 1] = 1;
	}

	for (const flow = snapshot.cursor(); flow.next(); ) {
		const ported = isPortProtocol(flow.protocol);
		const port = ported ? flow.srcPort : -1;
		if (
			!flow.accepted ||
			// Stryker disable next-line ConditionalExpression: a shortcut past the key lookup, which finds no group for such a port either
			ports[port + 1] === 0 ||
			(ported && flow.dstPort >= 0 && servicePortOf(port, flow.dstPort) !== port)
		) {
			continue;
		}

		const group = groups.get(groupKey(flow.eni, flow.protocol, ported ? port : undefined, snapshot.direction(flow)));
		if (group) {
			group.passed += flow.flows;
		}
	}
}

interface Verdict {
	readonly severity: Severity;
	readonly confidence: Confidence;
	readonly why: string;
	/** The replies are everyday teardown, not a rule to change. */
	readonly benign: boolean;
}

function verdictOf(group: Group, snapshot: Snapshot): Verdict {
	const share = group.count / (group.count + group.passed);
	const spread =
		`${percent(share)} of ${portLabel(group.protocol, group.port)} replies refused (${group.count} of ${group.count + group.passed}), ` +
		`${isPortProtocol(group.protocol) ? plural(group.clientPorts.size, 'client port') : plural(group.peers.size, 'peer')}, ` +
		plural(group.minutes.size, 'minute');
	const linkLocal = [...group.peers].every(peer => snapshot.isLinkLocal(peer));
	const broad =
		Math.max(group.clientPorts.size, group.peers.size) >= MIN_CLIENT_PORTS || !isPortProtocol(group.protocol);
	const lasting = group.minutes.size >= MIN_MINUTES || group.count >= MIN_CLIENT_PORTS;
	if (!linkLocal && group.tail === group.count && share < SOME_REPLIES) {
		return {
			severity: 'info',
			confidence: 'high',
			benign: true,
			why: `${spread}: each a single late packet or a FIN/RST after the connection closed`,
		};
	}

	if (!linkLocal && share >= MOST_REPLIES && broad && lasting) {
		return {
			severity: 'critical',
			confidence: group.minutes.size >= MIN_MINUTES && broad ? 'high' : 'medium',
			benign: false,
			why: spread,
		};
	}

	if (!linkLocal && share >= SOME_REPLIES && broad && lasting) {
		return {
			severity: 'warning',
			confidence: 'medium',
			benign: false,
			why: `${spread}: some clients' replies pass, others not`,
		};
	}

	return {severity: 'info', confidence: 'low', benign: true, why: `${spread}: too few to blame a rule`};
}

const WHY_NACL =
	'Security groups are stateful and let responses through; network ACLs are stateless, so the return path needs its own rule';

function describe(snapshot: Snapshot, group: Group): Finding {
	const eni = snapshot.text(group.eni);
	const subnet = subnetOf(snapshot.profile(group.eni), eni);
	const ported = isPortProtocol(group.protocol);
	const protocol = protocolName(group.protocol);
	const opening = ported ? `${protocol} ${returnPorts(group)}` : protocol;
	// The summary names the protocol once: `TCP 5432 replies; open 1024-65535`.
	const open = ported ? `open ${returnPorts(group)}` : `allow ${protocol}`;
	const service = serviceLabel(group.protocol, group.port);
	const sensitive = group.port !== undefined && LOGIN_PORTS.has(group.port);
	const peers = peerRanges(
		[...group.peers].map(id => ({address: snapshot.text(id), outside: snapshot.isOutside(id)})),
		{wholeInternet: !sensitive},
	).join(' and ');
	const {direction} = group;
	const replies = ported ? `${portLabel(group.protocol, group.port)} replies` : `${protocol} replies`;
	const verdict = verdictOf(group, snapshot);
	let summary: string;
	let advice: string;
	if (verdict.benign) {
		const linkLocal = [...group.peers].every(peer => snapshot.isLinkLocal(peer));
		summary = `${eni}: ${plural(group.count, 'late reply', 'late replies')} refused (${replies}), benign`;
		advice = linkLocal
			? `Nothing to change: the peer is link-local (the Amazon DNS resolver or an instance service), where no security group or network ACL rule applies. ` +
				'A reply that arrives after its request timed out is refused as untracked.'
			: `Nothing to change: most ${replies} pass. A reply that arrives after the connection closed or timed out (a late FIN or RST, ` +
				'a retransmission) is no longer tracked and is refused; a network ACL would refuse every reply in its port range, not a few.';
	} else if (direction === 'outbound') {
		summary = `${eni}: NACL drops ${replies}; ${open} outbound`;
		advice =
			`Add an outbound rule to the network ACL of ${subnet}: allow ${opening} to ${peers}. ` +
			`${service} requests reach ${eni} and are accepted, but the responses are rejected as they leave it. ${WHY_NACL}.`;
	} else if (direction === 'inbound') {
		summary = `${eni}: NACL drops ${replies}; ${open} inbound`;
		advice =
			`Add an inbound rule to the network ACL of ${subnet}: allow ${opening} from ${peers}. ` +
			`${eni}'s requests to ${service} leave and are answered, but the responses are rejected as they arrive. ${WHY_NACL}.`;
	} else {
		summary = `${eni}: NACL drops ${replies}; ${open} for them`;
		advice =
			`The network ACL of ${subnet} must let the responses of ${service} pass: allow ${opening} between ${eni} and ${peers}, ` +
			`outbound if ${eni} is the server, inbound if it is the client. ${WHY_NACL}.`;
	}

	const terms = [eni, group.port === undefined ? undefined : `port:${group.port}`, protocolTerm(group.protocol)];
	return {
		id: ['nacl-return-blocked', eni, group.protocol, group.port ?? '', direction ?? ''].join('|'),
		kind: 'nacl-return-blocked',
		severity: verdict.severity,
		eni,
		...(group.port === undefined ? {} : {port: group.port}),
		...(direction === undefined ? {} : {direction}),
		count: group.count,
		confidence: verdict.confidence,
		why: verdict.why,
		summary,
		advice,
		firstSeen: group.first,
		lastSeen: group.last,
		evidence: [...group.requests.evidence(snapshot), ...group.responses.evidence(snapshot)],
		get filter() {
			return filterText(terms);
		},
	};
}

function isTail(response: Conversation): boolean {
	const flags = response.tcpFlags;
	return flags === 0
		? response.packets <= response.flows
		: (flags & TCP_SYN) === 0 && (flags & (TCP_FIN | TCP_RST)) !== 0;
}

/**
 * nacl-return-blocked: a request ACCEPTed on an interface and its response REJECTed on the same
 * interface. Security groups would have let the response through, so a network ACL dropped it:
 * when most replies on that port are refused, across client ports and minutes. A few refused
 * replies among many that pass are connections closing after they were forgotten, and say so.
 * One finding per interface, service and direction of the blocked responses.
 */
export function naclReturnBlocked(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	const {responseBuckets, responseRows, requestBuckets, requestRows} = blockedResponses(snapshot);
	const groups = new Map<string, Group>();
	const response = snapshot.cursor();
	const request = snapshot.cursor();
	for (let index = 0; index < responseRows.length; index++) {
		response.at(responseBuckets[index]!, responseRows[index]!);
		request.at(requestBuckets[index]!, requestRows[index]!);
		const {eni, protocol} = response;
		const ported = isPortProtocol(protocol);
		const port = ported ? response.srcPort : undefined;
		// The request was matched with the opposite flow-direction, or none when the response has none:
		// its own addresses then tell no more than the response's.
		const direction = snapshot.direction(response);

		const key = groupKey(eni, protocol, port, direction);
		let group = groups.get(key);
		if (!group) {
			group = {
				eni,
				protocol,
				port,
				direction,
				count: 0,
				tail: 0,
				passed: 0,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				peers: new Set(),
				lowestClientPort: Number.POSITIVE_INFINITY,
				clientPorts: new Set(),
				minutes: new Set(),
				requests: new EvidenceSample(REQUEST_EVIDENCE),
				responses: new EvidenceSample(RESPONSE_EVIDENCE),
			};
			groups.set(key, group);
		}

		const {flows} = response;
		group.count += flows;
		if (isTail(response)) {
			group.tail += flows;
		}

		group.first = Math.min(group.first, response.first);
		group.last = Math.max(group.last, response.last);
		group.minutes.add(Math.floor(response.first / 60));
		// The response's destination is the client: the peer when this interface served, the
		// interface itself when it was the client, and then the peer is the server.
		group.peers.add(direction === 'inbound' ? response.src : response.dst);
		group.lowestClientPort = Math.min(group.lowestClientPort, response.dstPort);
		group.clientPorts.add(response.dstPort);

		group.requests.offer(request.bucket, request.row, request.flows);
		group.responses.offer(response.bucket, response.row, flows);
	}

	countPassed(snapshot, groups);
	return [...groups.values()].map(group => describe(snapshot, group));
}
