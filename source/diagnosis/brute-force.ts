import type {Conversation} from '../engine/conversation.js';
import type {FlowStore} from '../engine/store.js';
import {LOGIN_PORTS, servicePortOf} from '../flowlog/protocols.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, listOf, plural, serviceLabel} from './wording.js';

const TCP = 6;
// People log in a few times a minute at most, even a whole on-call team during an incident; 30
// a minute on one interface's login port is software.
const MIN_ATTEMPTS_PER_MINUTE = 30;
// A surge is this many times the interface's usual rate on that port: enough to rise clear of
// connection pools and deploys that reconnect everything at once.
const SURGE_FACTOR = 5;
// Buckets of history before a baseline means anything. With fewer (the window just began, or
// an attack that has run for the whole window), only attempts mostly from the internet count:
// your own hosts reaching your own databases that often is normal until shown otherwise.
const MIN_BASELINE_BUCKETS = 3;
// One source behind this share of the attempts is named as the attacker.
const DOMINANT_SHARE = 0.8;

// Ports where people log in by hand: a surge there from a host of your own is not a connection pool.
const INTERACTIVE_PORTS: ReadonlySet<number> = new Set([21, 22, 23, 3389, 5900, 5985, 5986]);
// A host whose attempts mostly get through is a client the port is meant for.
const CLIENT_ACCEPTED_SHARE = 0.5;

export interface LoginTarget {
	readonly eni: number;
	readonly port: number;
	/** Attempts per bucket of the window: all, and those from the internet. */
	readonly attempts: Float64Array;
	readonly outside: Float64Array;
}

/** Per source: attempts, those accepted, and the first bucket it tried in. */
type Clients = Map<number, {attempts: number; accepted: number; from: number}>;

export interface Surge {
	readonly target: LoginTarget;
	/** First bucket of the surge, and the baseline it rose above (undefined: no history to compare with). */
	readonly from: number;
	readonly baseline: number | undefined;
	readonly count: number;
	readonly peak: number;
	/** Attempts by source, those ACCEPTed, and when: over the surge, from its first bucket on. */
	readonly sources: Map<number, number>;
	accepted: number;
	first: number;
	last: number;
	readonly evidence: EvidenceSample;
}

function median(values: Float64Array, end: number): number {
	const sorted = [...values.subarray(0, end)].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Calls `visit` with each request into its interface on a login port. Where the records do not
 * say which end is the interface, a request to a login port from a client port is taken as one:
 * a bastion whose only traffic is an attack has no majority address to go by.
 */
function forEachAttempt(snapshot: Snapshot, from: number, visit: (flow: Conversation, key: number) => void): void {
	const login = new Uint8Array(65_536);
	for (const port of LOGIN_PORTS) {
		login[port] = 1;
	}

	for (const flow = snapshot.cursor(from); flow.next(); ) {
		const port = flow.dstPort;
		if (port < 0 || login[port] === 0 || flow.protocol !== TCP) {
			continue;
		}

		const {srcPort, eni} = flow;
		if ((srcPort >= 0 && servicePortOf(srcPort, port) !== port) || eni < 0) {
			continue;
		}

		const direction = snapshot.direction(flow);
		if (direction === 'inbound' || (direction === undefined && !snapshot.isOutside(flow.dst))) {
			visit(flow, eni * 65_536 + port);
		}
	}
}

/** Attempts per bucket, per interface and login port: counts only, as this reads every row. */
function loginTargets(snapshot: Snapshot): Map<number, LoginTarget> {
	const targets = new Map<number, LoginTarget>();
	const size = snapshot.buckets.length;
	forEachAttempt(snapshot, 0, (flow, key) => {
		let target = targets.get(key);
		if (!target) {
			target = {eni: flow.eni, port: flow.dstPort, attempts: new Float64Array(size), outside: new Float64Array(size)};
			targets.set(key, target);
		}

		const {flows} = flow;
		target.attempts[flow.bucket]! += flows;
		if (snapshot.isOutside(flow.src)) {
			target.outside[flow.bucket]! += flows;
		}
	});
	return targets;
}

/** Who tried each target that surged, in one pass: the few that do are read again in detail. */
function clientsOf(snapshot: Snapshot, keys: ReadonlySet<number>): Map<number, Clients> {
	const clients = new Map<number, Clients>([...keys].map(key => [key, new Map()]));
	forEachAttempt(snapshot, 0, (flow, key) => {
		const ofTarget = clients.get(key);
		if (!ofTarget) {
			return;
		}

		let client = ofTarget.get(flow.src);
		if (!client) {
			client = {attempts: 0, accepted: 0, from: flow.bucket};
			ofTarget.set(flow.src, client);
		}

		client.attempts += flow.flows;
		if (flow.accepted) {
			client.accepted += flow.flows;
		}
	});
	return clients;
}

/**
 * The interface's known clients on the port: on a database port, every host of your own (a deploy's
 * new hosts reconnect their pools at once, refused or not: a refused app is inbound-rejected, not
 * an attack); on an interactive one, your hosts that mostly get through and were there before the
 * surge (nobody new logs in by SSH thirty times a minute).
 */
function isKnownClient(
	snapshot: Snapshot,
	target: LoginTarget,
	clients: Clients,
	src: number,
	surgeFrom: number,
): boolean {
	const source = clients.get(src);
	if (!source || snapshot.isOutside(src)) {
		return false;
	}

	return (
		!INTERACTIVE_PORTS.has(target.port) ||
		(source.accepted >= CLIENT_ACCEPTED_SHARE * source.attempts && source.from < surgeFrom)
	);
}

function surgeOf(target: LoginTarget, floor: number): Surge | undefined {
	const {attempts, outside} = target;
	for (let bucket = 0; bucket < attempts.length; bucket++) {
		const count = attempts[bucket]!;
		if (count < floor) {
			continue;
		}

		const history = bucket >= MIN_BASELINE_BUCKETS;
		const baseline = history ? median(attempts, bucket) : undefined;
		const surging =
			baseline === undefined ? outside[bucket]! * 2 >= count : count >= SURGE_FACTOR * Math.max(baseline, 1);
		if (surging) {
			let total = 0;
			let peak = 0;
			for (let later = bucket; later < attempts.length; later++) {
				total += attempts[later]!;
				peak = Math.max(peak, attempts[later]!);
			}

			return {
				target,
				from: bucket,
				baseline,
				count: total,
				peak,
				sources: new Map(),
				accepted: 0,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				evidence: new EvidenceSample(),
			};
		}
	}

	return undefined;
}

/** The targets with their known clients' attempts left out, in one pass: what strangers tried. */
function strangersOf(
	snapshot: Snapshot,
	targets: ReadonlyMap<number, LoginTarget>,
	known: ReadonlyMap<number, ReadonlySet<number>>,
): Map<number, LoginTarget> {
	const buckets = snapshot.buckets.length;
	const strangers = new Map<number, LoginTarget>();
	for (const [key, target] of targets) {
		strangers.set(
			key,
			known.get(key)!.size === 0
				? target
				: {...target, attempts: new Float64Array(buckets), outside: new Float64Array(buckets)},
		);
	}

	forEachAttempt(snapshot, 0, (flow, key) => {
		const target = strangers.get(key);
		if (!target || target === targets.get(key) || known.get(key)!.has(flow.src)) {
			return;
		}

		target.attempts[flow.bucket]! += flow.flows;
		if (snapshot.isOutside(flow.src)) {
			target.outside[flow.bucket]! += flow.flows;
		}
	});
	return strangers;
}

function findSurges(snapshot: Snapshot): Map<number, Surge> {
	const floor = (MIN_ATTEMPTS_PER_MINUTE * snapshot.store.bucketSeconds) / 60;
	const surges = new Map<number, Surge>();
	const surging = new Map<number, LoginTarget>();
	const firstSurge = new Map<number, number>();
	for (const [key, target] of loginTargets(snapshot)) {
		const any = surgeOf(target, floor);
		if (any) {
			surging.set(key, target);
			firstSurge.set(key, any.from);
		}
	}

	if (surging.size === 0) {
		return surges;
	}

	const clients = clientsOf(snapshot, new Set(surging.keys()));
	const knownBefore = (key: number, from: number) =>
		new Set(
			[...clients.get(key)!.keys()].filter(src =>
				isKnownClient(snapshot, surging.get(key)!, clients.get(key)!, src, from),
			),
		);
	const strangers = strangersOf(
		snapshot,
		surging,
		new Map([...surging.keys()].map(key => [key, knownBefore(key, firstSurge.get(key)!)])),
	);
	const known = new Map<number, ReadonlySet<number>>();
	for (const [key, target] of surging) {
		const surge = surgeOf(strangers.get(key)!, floor);
		if (surge) {
			surges.set(key, {...surge, target});
			known.set(key, knownBefore(key, surge.from));
		}
	}

	if (surges.size === 0) {
		return surges;
	}

	const earliest = Math.min(...[...surges.values()].map(surge => surge.from));
	forEachAttempt(snapshot, earliest, (flow, key) => {
		const surge = surges.get(key);
		if (!surge || flow.bucket < surge.from || known.get(key)!.has(flow.src)) {
			return;
		}

		const {flows, src} = flow;
		surge.sources.set(src, (surge.sources.get(src) ?? 0) + flows);
		if (flow.accepted) {
			surge.accepted += flows;
		}

		surge.first = Math.min(surge.first, flow.first);
		surge.last = Math.max(surge.last, flow.last);
		surge.evidence.offer(flow.bucket, flow.row, flows);
	});
	return surges;
}

/** Login ports under attack, keyed by `eni * 65536 + port` (interned ENI id). */
export function bruteForced(snapshot: Snapshot): Map<number, Surge> {
	return snapshot.derive(findSurges);
}

function describe(snapshot: Snapshot, surge: Surge): Finding {
	const {target} = surge;
	const eni = snapshot.text(target.eni);
	const service = serviceLabel(TCP, target.port);
	const perMinute = (count: number) => Math.round((count * 60) / snapshot.store.bucketSeconds);
	const [top, topCount] = [...surge.sources].sort((a, b) => b[1] - a[1])[0]!;
	const single = top >= 0 && topCount >= DOMINANT_SHARE * surge.count;
	const from = single ? snapshot.text(top) : plural(surge.sources.size, 'source');
	const rise =
		surge.baseline === undefined
			? 'already at that rate when the window begins'
			: `up from about ${perMinute(surge.baseline)} a minute`;
	const inside = [...surge.sources.keys()]
		.filter(src => src >= 0 && !snapshot.isOutside(src))
		.map(src => snapshot.text(src));
	const reach =
		inside.length > 0
			? `${listOf(inside)} ${inside.length === 1 ? 'is' : 'are'} inside your network and not among ${eni}'s usual clients on this port: ` +
				"lateral movement until shown otherwise; find what runs there and isolate it, and check the host's login log for a success."
			: surge.accepted > 0
				? `The security group lets them reach the service: restrict port ${target.port} to your office or VPN ranges (or use Session Manager for SSH), and check the host's login log for a success.`
				: 'All of them are refused, so none reached the service; if they go on, deny the sources in the network ACL.';
	const terms = [eni, `port:${target.port}`, 'tcp'];
	return {
		id: ['brute-force', eni, target.port].join('|'),
		kind: 'brute-force',
		// Refused at the door, an attack costs nothing; let through, or from inside, it may succeed.
		severity: surge.accepted > 0 || inside.length > 0 ? 'critical' : 'info',
		eni,
		...(single ? {src: from} : {}),
		port: target.port,
		count: surge.count,
		confidence: surge.baseline === undefined ? 'medium' : 'high',
		why:
			surge.baseline === undefined
				? `${perMinute(surge.peak)} attempts a minute from hosts that are not its clients, from the start of the window: no earlier rate to compare with`
				: `${perMinute(surge.peak)} attempts a minute from hosts that are not its clients, ${SURGE_FACTOR}x or more its usual ${perMinute(surge.baseline)}`,
		summary: `${eni}: ${service} brute force, ${plural(surge.count, 'attempt')} from ${from}`,
		advice: `Attempts on ${service} reach ${perMinute(surge.peak)} a minute from ${from}, ${rise}. ${reach}`,
		firstSeen: surge.first,
		lastSeen: surge.last,
		evidence: surge.evidence.evidence(snapshot),
		get filter() {
			return filterText(terms);
		},
	};
}

/** brute-force: attempts on a login port surging above that interface's own baseline. */
export function bruteForce(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return [...bruteForced(snapshot).values()].map(surge => describe(snapshot, surge));
}
