import type {FlowStore} from '../engine/store.js';
import {isPortProtocol, servicePortOf} from '../flowlog/protocols.js';
import type {Direction} from '../net/direction.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, listOf, plural, portLabel, portsTerm, subnetOf} from './wording.js';

// Past this many ports the filter would be longer than useful: the interface alone narrows enough.
const MAX_FILTER_PORTS = 8;

interface Group {
	readonly eni: number;
	/** The interface opened the connections (its traffic with the internet is cut), or served them. */
	readonly client: boolean;
	count: number;
	first: number;
	last: number;
	readonly minutes: Set<number>;
	/** The internet hosts on the other end. */
	readonly peers: Set<number>;
	/** Some rows lost their peer to the memory bound: there were more hosts than `peers` holds. */
	peerless: boolean;
	/** Protocol and service port, as `protocol * 65536 + port` (port 0 for a protocol without ports). */
	readonly services: Map<number, number>;
	/** Some rows have no ports (a protocol without them, or lost to the memory bound): a port filter would miss them. */
	portless: boolean;
	readonly evidence: EvidenceSample;
}

/**
 * Whether the interface is the client of a refused row: it sent a request out, or a reply to one of
 * its requests came in. The service port tells which end served; without ports, the direction does.
 */
function isClient(direction: Direction, protocol: number, srcPort: number, dstPort: number): boolean {
	if (!isPortProtocol(protocol) || srcPort < 0 || dstPort < 0) {
		return direction === 'outbound';
	}

	const toService = servicePortOf(srcPort, dstPort) === dstPort;
	return direction === 'outbound' ? toService : !toService;
}

function groupsOf(snapshot: Snapshot): Map<number, Group> {
	const groups = new Map<number, Group>();
	for (const flow = snapshot.rejects(); flow.next(); ) {
		const {eni, src, dst} = flow;
		if (!flow.blockedByBpa || eni < 0) {
			continue;
		}

		const direction = snapshot.direction(flow) ?? (src >= 0 && !snapshot.isOutside(src) ? 'outbound' : 'inbound');

		const {protocol, srcPort, dstPort} = flow;
		const client = isClient(direction, protocol, srcPort, dstPort);
		const key = eni * 2 + (client ? 1 : 0);
		let group = groups.get(key);
		if (!group) {
			group = {
				eni,
				client,
				count: 0,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				minutes: new Set(),
				peers: new Set(),
				peerless: false,
				services: new Map(),
				portless: false,
				evidence: new EvidenceSample(),
			};
			groups.set(key, group);
		}

		const {flows} = flow;
		group.count += flows;
		group.first = Math.min(group.first, flow.first);
		group.last = Math.max(group.last, flow.last);
		group.minutes.add(Math.floor(flow.first / 60));
		const peer = direction === 'inbound' ? src : dst;
		if (peer >= 0) {
			group.peers.add(peer);
		} else {
			group.peerless = true;
		}

		const ported = isPortProtocol(protocol) && srcPort >= 0 && dstPort >= 0;
		group.portless ||= !ported;
		const port = ported ? servicePortOf(srcPort, dstPort) : 0;
		const service = Math.max(protocol, 0) * 65_536 + port;
		group.services.set(service, (group.services.get(service) ?? 0) + flows);
		group.evidence.offer(flow.bucket, flow.row, flows);
	}

	return groups;
}

/** `3 internet hosts`, or `at least 3` when the memory bound folded some away. */
function hostsText(count: number, folded: boolean): string {
	if (!folded) {
		return plural(count, 'internet host');
	}

	return count === 0 ? 'internet hosts' : `at least ${plural(count, 'internet host')}`;
}

function describe(snapshot: Snapshot, group: Group): Finding {
	const eni = snapshot.text(group.eni);
	const services = [...group.services].sort((a, b) => b[1] - a[1]).map(([key]) => key);
	// A row of TCP or UDP whose ports the memory bound folded away is one of the services named
	// beside it, not a service of its own: `TCP 22`, never `TCP and TCP 22`.
	const protocolOf = (key: number) => Math.floor(key / 65_536);
	const named = services.filter(
		key =>
			key % 65_536 !== 0 ||
			!isPortProtocol(protocolOf(key)) ||
			!services.some(other => other !== key && protocolOf(other) === protocolOf(key)),
	);
	const labels = named.map(key => portLabel(protocolOf(key), key % 65_536 || undefined));
	const ports = [...new Set(services.map(key => key % 65_536).filter(port => port > 0))];
	const single = ports.length === 1 && services.length === 1 ? ports[0] : undefined;
	const peers = [...group.peers].map(id => snapshot.text(id));
	const one = peers.length === 1 && !group.peerless ? peers[0] : undefined;
	const who = one ?? hostsText(peers.length, group.peerless);
	const subnet = subnetOf(snapshot.profile(group.eni), eni);
	const what = listOf(labels, 3);
	const notRules =
		'The records say so (reject-reason BPA): not a security group or network ACL, so changing those rules changes nothing.';
	const advice = group.client
		? `VPC Block Public Access cuts ${eni}'s own connections to ${what} with ${who}. ${notRules} ` +
			`If ${eni} should reach the internet, send it through a NAT gateway (allowed in ingress-only mode) or add a Block Public Access ` +
			`exclusion for ${subnet} (VPC console, Settings, Block public access); if it should not, this is the setting doing its job.`
		: `VPC Block Public Access refuses ${what} from ${who} to ${eni}. ${notRules} ` +
			`If ${eni} is meant to be reachable from the internet, add a Block Public Access exclusion for ${subnet} ` +
			'(VPC console, Settings, Block public access); if not, nothing to do: the setting is doing its job.';
	const direction = group.client ? 'outbound' : 'inbound';
	const terms = [eni, ports.length <= MAX_FILTER_PORTS && !group.portless ? portsTerm(ports) : undefined, 'reject'];
	return {
		id: [group.client ? 'outbound-rejected' : 'inbound-rejected', eni, 'bpa'].join('|'),
		kind: group.client ? 'outbound-rejected' : 'inbound-rejected',
		// Strangers kept out is what it is for; your own host cut off the internet is a path that fails.
		severity: group.client ? 'warning' : 'info',
		eni,
		...(one === undefined ? {} : group.client ? {dst: one} : {src: one}),
		...(single === undefined ? {} : {port: single}),
		direction,
		rejectReason: 'BPA',
		count: group.count,
		confidence: 'high',
		why: `${plural(group.count, 'record')} over ${plural(group.minutes.size, 'minute')} with reject-reason BPA: the log names Block Public Access itself`,
		summary: group.client
			? `${eni}: Block Public Access cuts its ${what} to ${who} (${plural(group.count, 'record')})`
			: `${eni}: Block Public Access refuses ${what} from ${who} (${plural(group.count, 'record')})`,
		advice,
		firstSeen: group.first,
		lastSeen: group.last,
		evidence: group.evidence.evidence(snapshot),
		get filter() {
			return filterText(terms);
		},
	};
}

/**
 * inbound-rejected / outbound-rejected by VPC Block Public Access: REJECT records whose
 * `reject-reason` is BPA, per interface and whether it served or opened the connections. The log
 * names the cause, so no security group or NACL is blamed and the other rules leave these rows alone.
 */
export function blockPublicAccess(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return [...groupsOf(snapshot).values()].map(group => describe(snapshot, group));
}
