import type {Conversation} from '../engine/conversation.js';
import type {FlowStore} from '../engine/store.js';
import {FIRST_EPHEMERAL_PORT, isPortProtocol, LOGIN_PORTS, protocolName, servicePortOf} from '../flowlog/protocols.js';
import type {Direction} from '../net/direction.js';
import {bruteForced} from './brute-force.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {blockedResponses} from './nacl-return-blocked.js';
import {peerRanges} from './peer-range.js';
import {scanners} from './port-scan.js';
import {repeatedSources} from './repeated-rejects.js';
import {type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, listOf, plural, portLabel, protocolTerm, serviceLabel, subnetOf} from './wording.js';

// Your own hosts do not try what nothing told them to: three refusals from inside (a client and
// a couple of retries) mark a path that is meant to work and does not.
const MIN_INSIDE_REJECTS = 3;
// Internet hosts knock in passing, once or twice per port; one refused ten times on the same port
// keeps trying something it believes should work.
const MIN_OUTSIDE_REPEATS = 10;
// Hosts named in the advice when the interface lets others through on the same port.
const NAMED_ACCEPTED = 3;
// A path that fails for minutes is broken; one that failed once in a minute may have been a blip.
const MIN_MINUTES = 2;

/** What every group of refusals counts: enough to tell whether it may qualify. */
interface Tally {
	readonly eni: number;
	readonly direction: Direction;
	/** The records did not say which end is the interface: the direction is the likelier one. */
	readonly guessed: boolean;
	readonly protocol: number;
	/** The refused destination port, -1 when the records had none. */
	readonly port: number;
	count: number;
	insideCount: number;
}

/** A group that may qualify, with what a finding tells of it. */
interface Group extends Tally {
	first: number;
	last: number;
	readonly minutes: Set<number>;
	/** Refused records by the other end: sources inbound, destinations outbound. */
	readonly peers: Map<number, number>;
	/** Every refusal between two interfaces the records place in one subnet. */
	sameSubnet: boolean;
	/** Other ends the interface let through on the same port and direction. */
	readonly accepted: Set<number>;
	readonly evidence: EvidenceSample;
}

function groupKey(
	eni: number,
	direction: Direction | undefined,
	protocol: number,
	port: number,
	guessed = false,
): number {
	const way = direction === 'inbound' ? 1 : direction === 'outbound' ? 2 : 0;
	return (((eni * 2 + (guessed ? 1 : 0)) * 4 + way) * 256 + protocol) * 65_537 + port + 1;
}

function qualifies(snapshot: Snapshot, group: Group): boolean {
	// Refused on its way out, the client is the interface itself: one of yours.
	if (group.direction === 'outbound') {
		return group.count >= MIN_INSIDE_REJECTS;
	}

	return (
		group.insideCount >= MIN_INSIDE_REJECTS ||
		[...group.peers].some(([peer, count]) => count >= MIN_OUTSIDE_REPEATS && snapshot.isOutside(peer))
	);
}

/** Refusals another rule already explains: a brute force on the port, or clients refused everywhere they go. */
function explained(snapshot: Snapshot, group: Group): boolean {
	if (group.direction !== 'inbound') {
		return false;
	}

	if (group.port >= 0 && bruteForced(snapshot).has(group.eni * 65_536 + group.port)) {
		return true;
	}

	const repeated = repeatedSources(snapshot);
	return [...group.peers.keys()].every(peer => repeated.has(peer));
}

/**
 * The refusals this rule reads, as parallel lists (where the row is, its group's key, direction and
 * port): the REJECT rows that are no NACL's blocked response, no scanner's sweep and not refused by
 * Block Public Access. Worked out once, as the rule reads them three times.
 */
interface Refusals {
	readonly buckets: number[];
	readonly rows: number[];
	readonly keys: number[];
	readonly directions: Direction[];
	readonly guessed: boolean[];
	readonly ports: number[];
}

function refusalsOf(snapshot: Snapshot): Refusals {
	const refusals: Refusals = {buckets: [], rows: [], keys: [], directions: [], guessed: [], ports: []};
	const blocked = blockedResponses(snapshot);
	const scanning = scanners(snapshot);
	for (const flow = snapshot.rejects(); flow.next(); ) {
		const {eni, src, dst} = flow;
		if (
			eni < 0 ||
			src < 0 ||
			dst < 0 ||
			flow.blockedByBpa ||
			scanning.has(src) ||
			blocked.isBlocked(flow.bucket, flow.row)
		) {
			continue;
		}

		// Without flow-direction or a known own address, the likelier direction: the end on the
		// internet is the far one, else into the interface (security groups mostly allow all outbound).
		const known = snapshot.direction(flow);
		const guessed = known === undefined;
		const direction = known ?? (snapshot.isOutside(dst) && !snapshot.isOutside(src) ? 'outbound' : 'inbound');
		const port = isPortProtocol(flow.protocol) ? flow.dstPort : -1;
		refusals.buckets.push(flow.bucket);
		refusals.rows.push(flow.row);
		refusals.keys.push(groupKey(eni, direction, flow.protocol, port, guessed));
		refusals.directions.push(direction);
		refusals.guessed.push(guessed);
		refusals.ports.push(port);
	}

	return refusals;
}

/** Each refusal with its group's key, direction and port, in the order of the rows. */
function forEachRefusal(
	snapshot: Snapshot,
	refusals: Refusals,
	visit: (flow: Conversation, key: number, direction: Direction, guessed: boolean, port: number) => void,
): void {
	const flow = snapshot.cursor();
	for (let index = 0; index < refusals.rows.length; index++) {
		flow.at(refusals.buckets[index]!, refusals.rows[index]!);
		visit(flow, refusals.keys[index]!, refusals.directions[index]!, refusals.guessed[index]!, refusals.ports[index]!);
	}
}

/**
 * The groups that may qualify, with their peers. Sums per group come first and peers only for
 * the groups that can pass qualifies(): a scan from a million sources refused once each would
 * otherwise keep a million peers that no finding names.
 */
function refusedGroups(snapshot: Snapshot): Map<number, Group> {
	const groups = new Map<number, Tally>();
	// Refusals by the other end across all groups: a peer refused MIN_OUTSIDE_REPEATS times in one
	// group is refused at least that often in all of them.
	const byPeer = new Float64Array(snapshot.store.strings.size);
	// The groups with a peer that is not link-local: no rule applies to link-local services (the DNS
	// resolver, metadata), so refusals of nothing else leave nothing to advise.
	const namesOthers = new Set<number>();
	const refusals = refusalsOf(snapshot);
	forEachRefusal(snapshot, refusals, (flow, key, direction, guessed, port) => {
		let group = groups.get(key);
		if (!group) {
			group = {
				eni: flow.eni,
				direction,
				guessed,
				protocol: flow.protocol,
				port,
				count: 0,
				insideCount: 0,
			};
			groups.set(key, group);
		}

		const {src, dst, flows} = flow;
		const peer = direction === 'inbound' ? src : dst;
		byPeer[peer]! += flows;
		if (!snapshot.isLinkLocal(peer)) {
			namesOthers.add(key);
		}

		group.count += flows;
		if (!snapshot.isOutside(src)) {
			group.insideCount += flows;
		}
	});

	const candidates = new Map<number, Group>();
	// What a finding tells (times, minutes, peers, evidence) is gathered for the candidates alone, in
	// a pass of its own: most groups of a busy window are a refusal or two that never qualify.
	const candidate = ({eni, direction, guessed, protocol, port, count, insideCount}: Tally): Group => ({
		eni,
		direction,
		guessed,
		protocol,
		port,
		count,
		insideCount,
		first: Number.POSITIVE_INFINITY,
		last: Number.NEGATIVE_INFINITY,
		minutes: new Set(),
		peers: new Map(),
		sameSubnet: true,
		accepted: new Set(),
		evidence: new EvidenceSample(),
	});
	for (const [key, group] of groups) {
		if (
			namesOthers.has(key) &&
			(group.direction === 'outbound' ? group.count : group.insideCount) >= MIN_INSIDE_REJECTS
		) {
			candidates.set(key, candidate(group));
		}
	}

	// An internet host retrying: inbound only, where the peer is the source.
	forEachRefusal(snapshot, refusals, (flow, key, direction) => {
		const {src} = flow;
		if (
			direction === 'inbound' &&
			!candidates.has(key) &&
			namesOthers.has(key) &&
			byPeer[src]! >= MIN_OUTSIDE_REPEATS &&
			snapshot.isOutside(src)
		) {
			candidates.set(key, candidate(groups.get(key)!));
		}
	});

	forEachRefusal(snapshot, refusals, (flow, key, direction) => {
		const group = candidates.get(key);
		if (group) {
			const {src, dst, flows} = flow;
			const peer = direction === 'inbound' ? src : dst;
			group.peers.set(peer, (group.peers.get(peer) ?? 0) + flows);
			group.first = Math.min(group.first, flow.first);
			group.last = Math.max(group.last, flow.last);
			group.minutes.add(Math.floor(flow.first / 60));
			group.sameSubnet &&= snapshot.sameSubnet(src, dst);
			group.evidence.offer(flow.bucket, flow.row, flows);
		}
	});

	return candidates;
}

/** Who the interface does let through on the same port: proof that a rule exists but misses these peers. */
function noteAccepted(snapshot: Snapshot, groups: ReadonlyMap<number, Group>): void {
	// This reads every row: a flag by interface and port (the few ports the groups have, numbered
	// from 0) turns most of them away before a lookup.
	const {interfaceIndex} = snapshot;
	const portIndex = new Int32Array(65_537).fill(-1);
	let portCount = 0;
	for (const group of groups.values()) {
		if (portIndex[group.port + 1] === -1) {
			portIndex[group.port + 1] = portCount++;
		}
	}

	const wanted = new Uint8Array(snapshot.profiles.size * portCount);
	for (const group of groups.values()) {
		wanted[interfaceIndex[group.eni]! * portCount + portIndex[group.port + 1]!] = 1;
	}

	for (const flow = snapshot.cursor(); flow.next(); ) {
		const {eni} = flow;
		if (eni < 0 || !flow.accepted) {
			continue;
		}

		const {protocol} = flow;
		const ported = isPortProtocol(protocol);
		const port = flow.dstPort;
		if (ported && port < 0) {
			continue;
		}

		const at = portIndex[(ported ? port : -1) + 1]!;
		if (at < 0 || wanted[interfaceIndex[eni]! * portCount + at] === 0) {
			continue;
		}

		const {srcPort} = flow;
		if (ported && srcPort >= 0 && servicePortOf(srcPort, port) !== port) {
			continue;
		}

		const direction = snapshot.direction(flow);
		const group = groups.get(groupKey(eni, direction, protocol, ported ? port : -1));
		const peer = direction === 'inbound' ? flow.src : flow.dst;
		if (group && group.accepted.size < NAMED_ACCEPTED && peer >= 0 && !group.peers.has(peer)) {
			group.accepted.add(peer);
		}
	}
}

function describe(snapshot: Snapshot, group: Group): Finding {
	const eni = snapshot.text(group.eni);
	const inbound = group.direction === 'inbound';
	const port = group.port >= 0 ? group.port : undefined;
	const service = serviceLabel(group.protocol, port);
	const peerIds = [...group.peers.keys()];
	// Letting refused peers in names only them; out to the internet, a public service may need it all.
	const wholeInternet = !inbound && (port === undefined || !LOGIN_PORTS.has(port));
	const peers = peerRanges(
		peerIds.map(id => ({address: snapshot.text(id), outside: snapshot.isOutside(id)})),
		{wholeInternet},
	).join(' and ');
	const single = peerIds.length === 1 ? snapshot.text(peerIds[0]!) : undefined;
	const subnet = subnetOf(snapshot.profile(group.eni), eni);
	const back = isPortProtocol(group.protocol)
		? `${protocolName(group.protocol)} ${FIRST_EPHEMERAL_PORT}-65535`
		: protocolName(group.protocol);
	const accepted = [...group.accepted].map(id => snapshot.text(id));
	const others =
		accepted.length === 0
			? ''
			: ` (it lets ${listOf(accepted)} through on this port, so a rule exists but does not cover these ${inbound ? 'sources' : 'destinations'})`;
	const toward = inbound ? `from ${peers}` : `to ${peers}`;
	const advice = group.sameSubnet
		? `Both ends are in ${subnet}, where no network ACL applies: the security group of ${eni} refuses it. ` +
			`Add an ${inbound ? 'inbound' : 'outbound'} rule for ${service} ${toward}${others}.`
		: `Check the security group of ${eni} first: it needs an ${inbound ? 'inbound' : 'outbound'} rule for ${service} ${toward}${others}. ` +
			`If it has one, the network ACL of ${subnet} is refusing: it needs ${inbound ? 'inbound' : 'outbound'} ${service} ${toward} ` +
			`and ${inbound ? 'outbound' : 'inbound'} ${back} ${inbound ? 'back to' : 'back from'} them. Flow logs cannot tell which of the two refused.`;
	const tries = plural(group.count, 'try', 'tries');
	const who = single ?? plural(peerIds.length, 'host');
	const fromInside = group.insideCount >= MIN_INSIDE_REJECTS;
	const lasting = group.minutes.size >= MIN_MINUTES;
	const guess = group.guessed
		? ` The records do not say which end is ${eni}: ${inbound ? 'inbound' : 'outbound'} is the likelier reading.`
		: '';
	const spread = `${plural(group.count, 'refusal')} over ${plural(group.minutes.size, 'minute')} from ${fromInside ? 'your own hosts' : 'the internet'}`;
	const terms = [eni, port === undefined ? undefined : `port:${port}`, protocolTerm(group.protocol), 'reject'];
	return {
		id: [inbound ? 'inbound-rejected' : 'outbound-rejected', eni, group.protocol, port ?? ''].join('|'),
		kind: inbound ? 'inbound-rejected' : 'outbound-rejected',
		// Your own hosts refused is a path that should work and does not; an internet host retrying
		// matters only where a rule lets others in on that port.
		severity: fromInside || accepted.length > 0 ? 'warning' : 'info',
		eni,
		...(single === undefined ? {} : inbound ? {src: single} : {dst: single}),
		...(port === undefined ? {} : {port}),
		direction: inbound ? 'inbound' : 'outbound',
		count: group.count,
		confidence: group.guessed ? 'low' : lasting ? 'high' : 'medium',
		why: `${spread}${group.guessed ? '; the direction is inferred' : lasting ? '' : ', so possibly a blip'}`,
		summary: inbound
			? `${eni} refuses ${portLabel(group.protocol, port)} from ${who} (${tries})`
			: `${eni} is refused ${portLabel(group.protocol, port)} out to ${who} (${tries})`,
		advice: advice + guess,
		firstSeen: group.first,
		lastSeen: group.last,
		evidence: group.evidence.evidence(snapshot),
		get filter() {
			return filterText(terms);
		},
	};
}

/**
 * inbound-rejected / outbound-rejected: requests REJECTed on an interface, per interface, way,
 * protocol and port. Not a NACL's blocked responses (nacl-return-blocked), not a scanner's sweep,
 * not a brute force, not a single client that is refused everywhere it goes (repeated-rejects), and
 * not what VPC Block Public Access refused (block-public-access).
 * The records cannot say whether the security group or the network ACL refused, except that no
 * network ACL applies within a subnet; the advice says which to check first.
 */
export function rejectedRequests(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	const groups = new Map(
		[...refusedGroups(snapshot)].filter(([, group]) => qualifies(snapshot, group) && !explained(snapshot, group)),
	);
	noteAccepted(snapshot, groups);
	return [...groups.values()].map(group => describe(snapshot, group));
}
