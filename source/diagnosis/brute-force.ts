import {ACTION_ACCEPT, ACTION_MASK} from '../engine/conversation-table.js';
import type {FlowStore} from '../engine/store.js';
import {LOGIN_PORTS, servicePortOf} from '../flowlog/protocols.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {INGRESS, type Snapshot, snapshotOf} from './snapshot.js';
import {filterText, plural, serviceLabel} from './wording.js';

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

export interface LoginTarget {
	readonly eni: number;
	readonly port: number;
	/** Attempts per bucket of the window: all, and those from the internet. */
	readonly attempts: Float64Array;
	readonly outside: Float64Array;
}

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

/** Calls `visit` with each row that is a request into its interface on a login port. */
function forEachAttempt(snapshot: Snapshot, from: number, visit: (bucket: number, row: number, key: number) => void): void {
	const login = new Uint8Array(65_536);
	for (const port of LOGIN_PORTS) {
		login[port] = 1;
	}

	for (let bucket = from; bucket < snapshot.buckets.length; bucket++) {
		const {table} = snapshot.buckets[bucket]!;
		for (let row = 0; row < table.size; row++) {
			const port = table.dstPort[row]!;
			if (port < 0 || login[port] === 0 || table.protocol[row] !== TCP) {
				continue;
			}

			const srcPort = table.srcPort[row]!;
			const eni = table.eni[row]!;
			if ((srcPort >= 0 && servicePortOf(srcPort, port) !== port) || eni < 0 || snapshot.way(table, row) !== INGRESS) {
				continue;
			}

			visit(bucket, row, (eni * 65_536) + port);
		}
	}
}

/** Attempts per bucket, per interface and login port: counts only, as this reads every row. */
function loginTargets(snapshot: Snapshot): Map<number, LoginTarget> {
	const targets = new Map<number, LoginTarget>();
	const size = snapshot.buckets.length;
	forEachAttempt(snapshot, 0, (bucket, row, key) => {
		const {table} = snapshot.buckets[bucket]!;
		let target = targets.get(key);
		if (!target) {
			target = {eni: table.eni[row]!, port: table.dstPort[row]!, attempts: new Float64Array(size), outside: new Float64Array(size)};
			targets.set(key, target);
		}

		const flows = table.flows[row]!;
		target.attempts[bucket]! += flows;
		if (snapshot.isOutside(table.src[row]!)) {
			target.outside[bucket]! += flows;
		}
	});
	return targets;
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
		const surging = baseline === undefined ? outside[bucket]! * 2 >= count : count >= SURGE_FACTOR * Math.max(baseline, 1);
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

function findSurges(snapshot: Snapshot): Map<number, Surge> {
	const floor = MIN_ATTEMPTS_PER_MINUTE * snapshot.store.bucketSeconds / 60;
	const surges = new Map<number, Surge>();
	for (const [key, target] of loginTargets(snapshot)) {
		const surge = surgeOf(target, floor);
		if (surge) {
			surges.set(key, surge);
		}
	}

	if (surges.size === 0) {
		return surges;
	}

	const earliest = Math.min(...[...surges.values()].map(surge => surge.from));
	forEachAttempt(snapshot, earliest, (bucket, row, key) => {
		const surge = surges.get(key);
		if (!surge || bucket < surge.from) {
			return;
		}

		const {table} = snapshot.buckets[bucket]!;
		const flows = table.flows[row]!;
		const src = table.src[row]!;
		surge.sources.set(src, (surge.sources.get(src) ?? 0) + flows);
		if ((table.code[row]! & ACTION_MASK) === ACTION_ACCEPT) {
			surge.accepted += flows;
		}

		surge.first = Math.min(surge.first, table.first[row]!);
		surge.last = Math.max(surge.last, table.last[row]!);
		surge.evidence.offer(bucket, row, flows);
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
	const perMinute = (count: number) => Math.round(count * 60 / snapshot.store.bucketSeconds);
	const [top, topCount] = [...surge.sources].sort((a, b) => b[1] - a[1])[0]!;
	const single = top >= 0 && topCount >= DOMINANT_SHARE * surge.count;
	const from = single ? snapshot.text(top) : plural(surge.sources.size, 'source');
	const rise = surge.baseline === undefined
		? 'already at that rate when the window begins'
		: `up from about ${perMinute(surge.baseline)} a minute`;
	const reach = surge.accepted > 0
		? `The security group lets them reach the service: restrict port ${target.port} to your office or VPN ranges (or use Session Manager for SSH), and check the host's login log for a success.`
		: 'All of them are refused, so none reached the service; if they go on, deny the sources in the network ACL.';
	return {
		id: ['brute-force', eni, target.port].join('|'),
		kind: 'brute-force',
		severity: surge.accepted > 0 ? 'critical' : 'warning',
		eni,
		...(single ? {src: from} : {}),
		port: target.port,
		count: surge.count,
		summary: `${eni}: ${service} brute force, ${plural(surge.count, 'attempt')} from ${from}`,
		advice: `Attempts on ${service} reach ${perMinute(surge.peak)} a minute from ${from}, ${rise}. ${reach}`,
		firstSeen: surge.first,
		lastSeen: surge.last,
		evidence: surge.evidence.evidence(snapshot),
		filter: filterText([eni, `port:${target.port}`, 'tcp']),
	};
}

/** brute-force: attempts on a login port surging above that interface's own baseline. */
export function bruteForce(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return [...bruteForced(snapshot).values()].map(surge => describe(snapshot, surge));
}
