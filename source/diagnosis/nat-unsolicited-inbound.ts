import type {FlowStore} from '../engine/store.js';
import {EvidenceSample} from './evidence.js';
import type {Finding} from './finding.js';
import {natGateways} from './nat-gateway.js';
import {snapshotOf} from './snapshot.js';
import {filterText, listOf, plural, portLabel, portsTerm} from './wording.js';

// Internet background noise reaches every public address; a couple of records could also be the
// late answer to a request that has just left the window. Three is a pattern worth explaining.
const MIN_KNOCKS = 3;
// Past this many ports the filter would be longer than useful: the interface alone narrows enough.
const MAX_FILTER_PORTS = 8;

interface Knocks {
	count: number;
	first: number;
	last: number;
	readonly sources: Set<number>;
	/** Protocol and port knocked on, as `protocol * 65536 + port`. */
	readonly services: Map<number, number>;
	/** Some knocks lost their port (the store folds a port that looks like a client's): a port filter would miss them. */
	portless: boolean;
	readonly evidence: EvidenceSample;
}

/**
 * nat-unsolicited-inbound: internet hosts ACCEPTed at a NAT gateway's interface that the gateway
 * never talked to. Answers to the gateway's own requests come from hosts it sent to; these come
 * from strangers, and nothing goes on from them. Expected and harmless: the subnet's network ACL
 * admits the unprivileged ports (return traffic needs them) and a NAT gateway has no security
 * group, so the record says ACCEPT, but the gateway drops what matches no translation.
 */
export function natUnsolicitedInbound(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	const gateways = natGateways(snapshot);
	if (gateways.size === 0) {
		return [];
	}

	const talkedTo = new Map<number, Set<number>>([...gateways].map(eni => [eni, new Set<number>()]));
	const arrivals: Array<[bucket: number, row: number]> = [];
	for (const flow = snapshot.cursor(); flow.next(); ) {
		const peers = talkedTo.get(flow.eni);
		if (!peers || !flow.accepted) {
			continue;
		}

		const direction = snapshot.direction(flow);
		if (direction === 'outbound') {
			peers.add(flow.dst);
		} else if (direction === 'inbound' && snapshot.isOutside(flow.src)) {
			arrivals.push([flow.bucket, flow.row]);
		}
	}

	const byGateway = new Map<number, Knocks>();
	const flow = snapshot.cursor();
	for (const [bucket, row] of arrivals) {
		flow.at(bucket, row);
		const {eni, src} = flow;
		if (talkedTo.get(eni)!.has(src)) {
			continue;
		}

		let knocks = byGateway.get(eni);
		if (!knocks) {
			knocks = {
				count: 0,
				first: Number.POSITIVE_INFINITY,
				last: Number.NEGATIVE_INFINITY,
				sources: new Set(),
				services: new Map(),
				portless: false,
				evidence: new EvidenceSample(),
			};
			byGateway.set(eni, knocks);
		}

		const {flows} = flow;
		knocks.count += flows;
		knocks.first = Math.min(knocks.first, flow.first);
		knocks.last = Math.max(knocks.last, flow.last);
		knocks.sources.add(src);
		const port = flow.dstPort;
		if (port >= 0) {
			const service = flow.protocol * 65_536 + port;
			knocks.services.set(service, (knocks.services.get(service) ?? 0) + flows);
		} else {
			knocks.portless = true;
		}

		knocks.evidence.offer(bucket, row, flows);
	}

	const findings: Finding[] = [];
	for (const [eniId, knocks] of byGateway) {
		if (knocks.count < MIN_KNOCKS) {
			continue;
		}

		const eni = snapshot.text(eniId);
		const services = [...knocks.services].sort((a, b) => b[1] - a[1]).map(([key]) => key);
		const labels = services.map(key => portLabel(Math.floor(key / 65_536), key % 65_536));
		const ports = [...new Set(services.map(key => key % 65_536))];
		const single = knocks.sources.size === 1 ? snapshot.text([...knocks.sources][0]!) : undefined;
		const from = single ?? plural(knocks.sources.size, 'internet host');
		const terms = [eni, ports.length <= MAX_FILTER_PORTS && !knocks.portless ? portsTerm(ports) : undefined, 'accept'];
		findings.push({
			id: ['nat-unsolicited-inbound', eni].join('|'),
			kind: 'nat-unsolicited-inbound',
			severity: 'info',
			eni,
			...(single === undefined ? {} : {src: single}),
			count: knocks.count,
			confidence: 'high',
			why: `${plural(knocks.count, 'record')} from ${plural(knocks.sources.size, 'host')} the gateway never sent to, and nothing went on from them`,
			summary: `${eni}: NAT gateway drops ${plural(knocks.count, 'knock')} from ${from}`,
			advice:
				`Expected and harmless, nothing to fix. ${from} knocked on the NAT gateway's public address` +
				`${labels.length > 0 ? ` (${listOf(labels, 4)})` : ''}. The subnet's network ACL admits the unprivileged ports because ` +
				'return traffic needs them, and a NAT gateway has no security group, so flow logs say ACCEPT; but the gateway forwards only ' +
				'answers to connections it opened, and nothing went on from these.',
			firstSeen: knocks.first,
			lastSeen: knocks.last,
			evidence: knocks.evidence.evidence(snapshot),
			get filter() {
				return filterText(terms);
			},
		});
	}

	return findings;
}
