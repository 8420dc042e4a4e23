import type {Conversation} from '../engine/conversation.js';
import type {FlowStore} from '../engine/store.js';
import {FIRST_EPHEMERAL_PORT, LOGIN_PORTS, servicePortOf} from '../flowlog/protocols.js';
import {EvidenceSample} from './evidence.js';
import type {AnsweredTarget, Finding} from './finding.js';
import {blockedResponses} from './nacl-return-blocked.js';
import {type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, listOf, plural, portLabel, subnetOf, targetText} from './wording.js';

// nmap's quickest sweep (-F) tries 100 ports and its default 1,000; a worm tries one port on every
// host it can reach. A client refused on 20 different ports or hosts is not retrying something it
// needs: one service refused is one or two targets, however long the window.
const MIN_SCAN_TARGETS = 20;
// A scan finds a few open ports among many closed ones; a client that gets most of what it asks
// for is a busy client (a monitoring host, a load balancer checking targets), not a scan.
const MIN_REFUSED_SHARE = 0.8;
const MIN_SWEPT_SERVICES = 3;

// What got through is the telling part of a sweep, so it leads the evidence; then its first refusals.
const ANSWER_WEIGHT = 2;
const REFUSAL_WEIGHT = 1;

/** A target: destination host, protocol and port, in one number (ids stay below 2^29). */
function targetKey(dst: number, protocol: number, port: number): number {
	return (dst * 256 + protocol) * 65_537 + port + 1;
}

interface RefusedPorts {
	readonly eni: number;
	readonly dst: number;
	readonly protocol: number;
	readonly ports: Set<number>;
}

export interface Scanner {
	readonly src: number;
	count: number;
	first: number;
	last: number;
	readonly ports: Set<number>;
	readonly protocols: Set<number>;
	readonly hosts: Set<number>;
	/** Refused records by interface id. */
	readonly enis: Map<number, number>;
	/** Refused ports by interface, host and protocol. */
	readonly refused: Map<string, RefusedPorts>;
	/** Targets that let it in, by their text. */
	readonly answered: Map<string, AnsweredTarget>;
	readonly evidence: EvidenceSample;
}

/**
 * Sources refused on at least MIN_SCAN_TARGETS distinct targets (hosts or ports) over the whole
 * window, so a slow sweep counts as much as a fast one, most of what they tried refused: by the
 * targets, or on the way out when it tries several services (one service refused out to many
 * hosts is outbound-rejected). Never the blocked responses of a NACL, which go to a new client
 * port on every connection. A client refused on many high ports of a server it is already talking to is
 * not sweeping: passive FTP and RPC open data connections on ports handed out by the server.
 */
function findScanners(snapshot: Snapshot): Map<number, Scanner> {
	const blocked = blockedResponses(snapshot);
	// A request let in where it arrived: never the source's own interface logging it going out, nor
	// the source's answers to its own clients.
	const isAnswer = (flow: Conversation) =>
		flow.dstPort >= 0 &&
		(flow.srcPort < 0 || servicePortOf(flow.srcPort, flow.dstPort) === flow.dstPort) &&
		snapshot.direction(flow) !== 'outbound';
	const isRefusal = (flow: Conversation) =>
		flow.exact && flow.src >= 0 && flow.dst >= 0 && !blocked.isBlocked(flow.bucket, flow.row);

	// Rows refused per source first: cheap, and only sources past the threshold are looked at closely.
	const rows = new Map<number, number>();
	for (const flow = snapshot.rejects(); flow.next(); ) {
		if (isRefusal(flow)) {
			rows.set(flow.src, (rows.get(flow.src) ?? 0) + 1);
		}
	}

	const refused = new Map<number, Set<number>>();
	for (const [src, count] of rows) {
		if (count >= MIN_SCAN_TARGETS) {
			refused.set(src, new Set());
		}
	}

	if (refused.size === 0) {
		return new Map();
	}

	// Sources refused somewhere on arrival, not only on their own way out.
	const arrived = new Set<number>();
	for (const flow = snapshot.rejects(); flow.next(); ) {
		const targets = refused.get(flow.src);
		if (targets && isRefusal(flow)) {
			targets.add(targetKey(flow.dst, flow.protocol, flow.dstPort));
			if (snapshot.direction(flow) !== 'outbound') {
				arrived.add(flow.src);
			}
		}
	}

	for (const [src, targets] of refused) {
		if (targets.size < MIN_SCAN_TARGETS) {
			refused.delete(src);
		}
	}

	if (refused.size === 0) {
		return new Map();
	}

	// The hosts each source talks to, kept only for a source refused on high ports of one host alone:
	// whether it is that host's client is all they tell (passive FTP's or RPC's data ports).
	const refusedHosts = (targets: Set<number>) =>
		new Set([...targets].map(target => Math.floor(target / (256 * 65_537))));
	const refusedPorts = (targets: Set<number>) => [...targets].map(target => (target % 65_537) - 1);
	const clientOf = new Map<number, Set<number>>();
	for (const [src, targets] of refused) {
		if (refusedHosts(targets).size === 1 && refusedPorts(targets).every(port => port >= FIRST_EPHEMERAL_PORT)) {
			clientOf.set(src, new Set());
		}
	}

	// What let them in: a row into a target, never the scanner's own interface logging it going out.
	const accepted = new Map<number, Set<number>>([...refused.keys()].map(src => [src, new Set<number>()]));
	// This reads every row: a flag by address turns most of them away before a lookup.
	const isCandidate = new Uint8Array(snapshot.store.strings.size);
	for (const src of refused.keys()) {
		isCandidate[src] = 1;
	}

	for (const flow = snapshot.cursor(); flow.next(); ) {
		const {src} = flow;
		if (src < 0 || isCandidate[src] === 0 || !flow.accepted || flow.dst < 0) {
			continue;
		}

		const targets = accepted.get(src)!;
		clientOf.get(src)?.add(flow.dst);
		if (isAnswer(flow)) {
			targets.add(targetKey(flow.dst, flow.protocol, flow.dstPort));
			// Let in on more targets than it was refused: a busy client, whatever else it does.
			// Stryker disable next-line ConditionalExpression,EqualityOperator,BlockStatement: saves lookups only; past this its answers keep the refused share under half
			if (targets.size > 2 * refused.get(src)!.size) {
				isCandidate[src] = 0;
			}
		}
	}

	const scanning = new Set<number>();
	for (const [src, targets] of refused) {
		const answered = [...accepted.get(src)!].filter(target => !targets.has(target)).length;
		const ports = refusedPorts(targets);
		const dataPorts = clientOf.get(src)?.has([...refusedHosts(targets)][0]!) === true;
		// Refused only on its own way out, one port to many hosts is an egress rule that is missing
		// (outbound-rejected); a sweep tries several services.
		const sweeping = arrived.has(src) || new Set(ports).size >= MIN_SWEPT_SERVICES;
		if (targets.size >= MIN_REFUSED_SHARE * (targets.size + answered) && !dataPorts && sweeping) {
			scanning.add(src);
		}
	}

	if (scanning.size === 0) {
		return new Map();
	}

	const scanners = new Map<number, Scanner>();
	for (const flow = snapshot.rejects(); flow.next(); ) {
		const {src} = flow;
		if (!scanning.has(src) || !isRefusal(flow)) {
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
				protocols: new Set(),
				hosts: new Set(),
				enis: new Map(),
				refused: new Map(),
				answered: new Map(),
				evidence: new EvidenceSample(),
			};
			scanners.set(src, scanner);
		}

		scanner.count += flow.flows;
		scanner.first = Math.min(scanner.first, flow.first);
		scanner.last = Math.max(scanner.last, flow.last);
		scanner.ports.add(flow.dstPort);
		scanner.protocols.add(flow.protocol);
		scanner.hosts.add(flow.dst);
		scanner.enis.set(flow.eni, (scanner.enis.get(flow.eni) ?? 0) + flow.flows);
		const key = `${flow.eni} ${flow.dst} ${flow.protocol}`;
		let refused = scanner.refused.get(key);
		if (!refused) {
			refused = {eni: flow.eni, dst: flow.dst, protocol: flow.protocol, ports: new Set()};
			scanner.refused.set(key, refused);
		}

		refused.ports.add(flow.dstPort);
		scanner.evidence.offer(flow.bucket, flow.row, REFUSAL_WEIGHT);
	}

	isCandidate.fill(0);
	for (const src of scanners.keys()) {
		isCandidate[src] = 1;
	}

	for (const flow = snapshot.cursor(); flow.next(); ) {
		const scanner = flow.src >= 0 && isCandidate[flow.src] === 1 ? scanners.get(flow.src) : undefined;
		if (scanner && flow.accepted && flow.dst >= 0 && isAnswer(flow)) {
			const target = {host: snapshot.text(flow.dst), protocol: flow.protocol, port: flow.dstPort};
			scanner.answered.set(targetText(target.host, target.protocol, target.port), target);
			scanner.evidence.offer(flow.bucket, flow.row, ANSWER_WEIGHT);
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
	const vertical = scanner.ports.size >= scanner.hosts.size;
	const sweep = vertical
		? `${plural(scanner.ports.size, 'port')} of ${scanner.hosts.size === 1 ? snapshot.text([...scanner.hosts][0]!) : plural(scanner.hosts.size, 'host')}`
		: `${plural(scanner.hosts.size, 'host')} on ${scanner.ports.size === 1 && scanner.protocols.size === 1 ? portLabel([...scanner.protocols][0]!, [...scanner.ports][0]!) : plural(scanner.ports.size, 'port')}`;
	const answeredTexts = [...scanner.answered.keys()].sort();
	const answered = answeredTexts.map(text => scanner.answered.get(text)!);
	const answers =
		answered.length === 0
			? 'Nothing answered it.'
			: `${listOf(answeredTexts, 6)} answered it: make sure only what you meant to expose is open there.`;
	const outside = snapshot.isOutside(scanner.src);
	const minutes = Math.max(1, Math.round((scanner.last - scanner.first) / 60));
	const loginAnswered = answered.some(target => target.protocol === 6 && LOGIN_PORTS.has(target.port));
	const advice = outside
		? `Reconnaissance from the internet, not an outage: ${src} swept ${sweep} and was refused ${plural(scanner.count, 'time')}. ${answers} ` +
			`Every public address gets this; if it persists, deny ${src} in the network ACL of ${subnetOf(snapshot.profile(eniId), eni)} (a NACL can deny; a security group cannot). Open nothing for it.`
		: `Lateral movement: ${src} is inside your network and swept ${sweep}${scanner.enis.size > 1 ? ` across ${plural(scanner.enis.size, 'interface')}` : ''}, ` +
			`refused ${plural(scanner.count, 'time')}. ${answers} A host of yours that sweeps its neighbours is likely compromised (a worm spreads this way): ` +
			'isolate it (a security group that allows nothing), keep its disk for forensics, and open nothing for it.';
	return {
		id: ['port-scan', src].join('|'),
		kind: 'port-scan',
		// From inside, a sweep is the next step of an intrusion; from outside, background noise
		// unless it found a login open.
		severity: outside ? (loginAnswered ? 'warning' : 'info') : 'critical',
		eni,
		src,
		count: scanner.count,
		confidence: 'high',
		why:
			`${plural(vertical ? scanner.ports.size : scanner.hosts.size, vertical ? 'distinct port' : 'distinct host')} refused over ${plural(minutes, 'minute')}, ` +
			`${answered.length === 0 ? 'none' : answered.length} answered: no client needs that many`,
		summary: `${outside ? '' : 'lateral: '}${src} scanned ${sweep}: ${plural(scanner.count, 'refusal')}`,
		advice,
		firstSeen: scanner.first,
		lastSeen: scanner.last,
		evidence: scanner.evidence.evidence(snapshot),
		sweep: {
			refused: [...scanner.refused.values()].map(target => ({
				eni: snapshot.text(target.eni),
				src,
				dst: snapshot.text(target.dst),
				protocol: target.protocol,
				ports: [...target.ports].sort((a, b) => a - b),
			})),
			answered,
		},
		get filter() {
			return filterText([`src:${src}`]);
		},
	};
}

/** port-scan: one source touching many distinct ports or hosts in a short time, mostly refused. */
export function portScan(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return [...scanners(snapshot).values()].map(scanner => describe(snapshot, scanner));
}
