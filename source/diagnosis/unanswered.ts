import type {Conversation} from '../engine/conversation.js';
import type {FlowStore} from '../engine/store.js';
import {servicePortOf} from '../flowlog/protocols.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, plural, serviceLabel, subnetOf} from './wording.js';

const TCP = 6;
const TCP_SYN = 2;
// A SYN is 40 to 80 bytes with its options (60 more for IPv6's header); anything that carried
// data was answered, whatever the records of the answer say.
const MAX_SYN_BYTES = 100;
// A client retries a SYN a few times before it gives up: three tries over two minutes or more is
// a path that stays dead, not one lost packet.
const MIN_TRIES = 3;
const MIN_MINUTES = 2;
const LONG_MINUTES = 5;

interface Group {
	readonly eni: number;
	readonly port: number;
	/** The interface's own address the requests left from. */
	readonly src: number;
	count: number;
	/** A request carried more than a SYN: something answered. */
	answered: boolean;
	first: number;
	last: number;
	readonly minutes: Set<number>;
	readonly dst: number;
	readonly evidence: EvidenceSample;
}

/** Only SYNs: tcp-flags says so when the format has it, else the size does. */
function synOnly(flow: Conversation): boolean {
	return flow.tcpFlags === 0 ? flow.bytes <= MAX_SYN_BYTES * flow.packets : flow.tcpFlags === TCP_SYN;
}

/** An accepted TCP row to a port, from an interface: what a request is, before its direction is read. */
function isTcpTry(flow: Conversation): boolean {
	return flow.accepted && flow.protocol === TCP && flow.dstPort >= 0 && flow.dst >= 0 && flow.eni >= 0;
}

/** A try sent from a client port to the service port, out of its interface. */
function isRequest(snapshot: Snapshot, flow: Conversation): boolean {
	const port = flow.dstPort;
	return (flow.srcPort < 0 || servicePortOf(flow.srcPort, port) === port) && snapshot.direction(flow) === 'outbound';
}

/** Groups by destination, then by `eni * 65536 + port`: numbers, as this reads every row. */
type Groups = Map<number, Map<number, Group>>;

function requestGroups(snapshot: Snapshot): Groups {
	const groups: Groups = new Map();
	// Only a SYN-sized request starts a group, and most requests carry data: a flag by destination
	// turns away those with no group to mark answered before any lookup.
	const grouped = new Uint8Array(snapshot.store.strings.size);
	for (const flow = snapshot.cursor(); flow.next(); ) {
		if (!isTcpTry(flow)) {
			continue;
		}

		const syn = synOnly(flow);
		if ((!syn && grouped[flow.dst] === 0) || !isRequest(snapshot, flow) || snapshot.isLinkLocal(flow.dst)) {
			continue;
		}

		let toDestination = groups.get(flow.dst);
		const key = flow.eni * 65_536 + flow.dstPort;
		let group = toDestination?.get(key);
		if (!group) {
			if (!syn) {
				continue;
			}

			group = {
				eni: flow.eni,
				port: flow.dstPort,
				src: flow.src,
				dst: flow.dst,
				count: 0,
				answered: false,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				minutes: new Set(),
				evidence: new EvidenceSample(),
			};
			toDestination ??= new Map();
			toDestination.set(key, group);
			groups.set(flow.dst, toDestination);
			grouped[flow.dst] = 1;
		}

		if (!syn) {
			group.answered = true;
			continue;
		}

		group.count += flow.flows;
		group.first = Math.min(group.first, flow.first);
		group.last = Math.max(group.last, flow.last);
		group.minutes.add(Math.floor(flow.first / 60));
		group.evidence.offer(flow.bucket, flow.row, flow.flows);
	}

	return groups;
}

/**
 * The groups nothing came back for (no answer from the far end, let in or refused), whose
 * requests the far end's own interface did not log arriving (its records would tell the rest, as
 * a refusal or a blocked answer there), and long enough to tell.
 */
function unansweredGroups(snapshot: Snapshot, requests: Groups): Group[] {
	// Only a group with tries enough over minutes enough can make a finding: answers are looked for
	// to those alone, so the many short-lived groups of a busy window cost the pass over every row nothing.
	const groups: Groups = new Map();
	for (const [dst, toDestination] of requests) {
		for (const [key, group] of toDestination) {
			if (!group.answered && group.count >= MIN_TRIES && group.minutes.size >= MIN_MINUTES) {
				let kept = groups.get(dst);
				if (!kept) {
					kept = new Map();
					groups.set(dst, kept);
				}

				kept.set(key, group);
			}
		}
	}

	// The destinations of the groups, for a look per row cheaper than the map's (an absent address, -1, reads undefined).
	const far = new Uint8Array(snapshot.store.strings.size);
	// By destination, then by `client address * 65536 + port`: the far end's record of a request.
	const byClient = new Map<number, Map<number, Group[]>>();
	for (const [dst, toDestination] of groups) {
		far[dst] = 1;
		const clients = new Map<number, Group[]>();
		for (const group of toDestination.values()) {
			const key = group.src * 65_536 + group.port;
			clients.set(key, [...(clients.get(key) ?? []), group]);
		}

		byClient.set(dst, clients);
	}

	for (const flow = snapshot.cursor(); flow.next(); ) {
		const {src, dst} = flow;
		if (far[src] === 1 && flow.srcPort >= 0) {
			groups.get(src)!.delete(flow.eni * 65_536 + flow.srcPort);
		}

		if (far[dst] === 1 && flow.dstPort >= 0) {
			for (const group of byClient.get(dst)!.get(src * 65_536 + flow.dstPort) ?? []) {
				if (group.eni !== flow.eni) {
					groups.get(dst)!.delete(group.eni * 65_536 + group.port);
				}
			}
		}
	}

	return [...groups.values()].flatMap(toDestination => [...toDestination.values()]);
}

function describe(snapshot: Snapshot, group: Group): Finding {
	const eni = snapshot.text(group.eni);
	const dst = snapshot.text(group.dst);
	const service = serviceLabel(TCP, group.port);
	const where = dst.includes(':') ? `[${dst}]:${group.port}` : `${dst}:${group.port}`;
	const minutes = Math.max(1, Math.round((group.last - group.first) / 60));
	const subnet = subnetOf(snapshot.profile(group.eni), eni);
	const terms = [eni, `dst:${dst}`, `port:${group.port}`, 'tcp'];
	return {
		id: ['unanswered', eni, dst, group.port].join('|'),
		kind: 'unanswered',
		severity: 'warning',
		eni,
		dst,
		port: group.port,
		direction: 'outbound',
		count: group.count,
		confidence: group.minutes.size >= LONG_MINUTES ? 'high' : 'medium',
		why: `${plural(group.count, 'SYN-sized request')} over ${plural(minutes, 'minute')} let out, not one packet back`,
		summary: `${eni}: no answer from ${where} (${plural(group.count, 'try', 'tries')})`,
		advice:
			`${eni} sends ${service} requests to ${where} and they leave (accepted), but nothing ever comes back: the far end never answered. ` +
			`Check the route table of ${subnet} for a route to it, the peering connection or transit gateway on the way, the far side's ` +
			"security group and network ACL, and whether that host is up. Not this interface's security group or NACL: they let the " +
			'requests out, and a NACL refusing the answers would log them as REJECT.',
		firstSeen: group.first,
		lastSeen: group.last,
		evidence: group.evidence.evidence(snapshot),
		get filter() {
			return filterText(terms);
		},
	};
}

/**
 * unanswered: TCP requests an interface sends out, accepted, only ever the size of a SYN, for
 * minutes, and not one packet back from that destination and port: a route blackhole, a broken
 * peering or transit gateway, the far side's rules, or a host that is down.
 */
export function unanswered(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return unansweredGroups(snapshot, requestGroups(snapshot)).map(group => describe(snapshot, group));
}
