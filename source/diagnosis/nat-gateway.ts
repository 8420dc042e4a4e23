import type {Conversation} from '../engine/conversation.js';
import {servicePortOf} from '../flowlog/protocols.js';
import type {Direction} from '../net/direction.js';
import type {Snapshot} from './snapshot.js';

// A NAT gateway's interface translates the legs between itself and the instances (pkt-dstaddr is
// the internet host on the way out, pkt-srcaddr on the way back): about half its records. An
// interface with a secondary address now and then stays far below a quarter.
const MIN_TRANSLATED_SHARE = 0.25;
// Without pkt-* fields, forwarding shows as the same service received from inside hosts and sent
// on to the internet. A handful of records rules out chance.
export const MIN_FORWARDED_RECORDS = 5;
// A NAT gateway forwards everything inside hosts send it and opens nothing of its own inside the
// VPC; a server that serves HTTPS and also calls HTTPS APIs out does both only in part (it also
// serves ports it never calls, or calls its database). Nine in ten leaves room for stray records.
const MIN_FORWARDED_SHARE = 0.9;
const MIN_OUTWARD_SHARE = 0.9;

/**
 * Interfaces of NAT gateways, by interned ENI id, recognised from their records: v11
 * interface-type when present; else traffic translated on the interface per pkt-*; else, in
 * default-format records, the forwarding signature. Those look like this on a NAT gateway's
 * interface (its own address is in every record, as AWS writes it):
 *
 *   10.0.1.5:*     -> 10.0.0.220:443  ingress, an instance's request, addressed to the gateway
 *   10.0.0.220:*   -> 203.0.113.5:443 egress,  the same request sent on to the internet
 *
 * so the gateway receives from inside hosts on a service port and sends to outside hosts on that
 * same port, and sends requests nowhere else: a server or a client alone does not do that.
 */
function findNatGateways(snapshot: Snapshot): Set<number> {
	const gateways = new Set<number>();
	const undecided: number[] = [];
	for (const [eni, profile] of snapshot.profiles) {
		const kind = snapshot.kindOf(eni);
		if (kind !== undefined) {
			if (kind === 'nat-gateway') {
				gateways.add(eni);
			}
		} else if (profile.interfaceType !== undefined) {
			if (profile.interfaceType === 'nat_gateway') {
				gateways.add(eni);
			}
		} else if (profile.records > 0 && profile.translated >= MIN_TRANSLATED_SHARE * profile.records) {
			gateways.add(eni);
		} else {
			undecided.push(eni);
		}
	}

	// Stryker disable next-line ConditionalExpression,BlockStatement: spares a pass over every row; with none undecided it finds nothing
	if (undecided.length === 0) {
		return gateways;
	}

	// First the counts, in arrays by interface, as this reads every row: requests received from
	// inside hosts, requests sent, and those sent to the internet.
	const {interfaceIndex} = snapshot;
	const interfaces = snapshot.profiles.size;
	const considered = new Uint8Array(interfaces);
	for (const eni of undecided) {
		considered[interfaceIndex[eni]!] = 1;
	}

	const received = new Float64Array(interfaces);
	const sent = new Float64Array(interfaces);
	const outward = new Float64Array(interfaces);
	forEachRequest(snapshot, considered, (flow, index, direction) => {
		const {flows} = flow;
		if (direction === 'inbound') {
			received[index]! += flows;
		} else {
			sent[index]! += flows;
			if (snapshot.isOutside(flow.dst)) {
				outward[index]! += flows;
			}
		}
	});

	const candidates = new Uint8Array(interfaces);
	for (const eni of undecided) {
		const index = interfaceIndex[eni]!;
		// The first two only spare the pass below: what it finds forwarded is at most what was received,
		// and it needs a service sent on to the internet.
		if (
			// Stryker disable next-line ConditionalExpression,LogicalOperator: forwarded >= MIN_FORWARDED_RECORDS below implies it
			received[index]! >= MIN_FORWARDED_RECORDS &&
			// Stryker disable next-line ConditionalExpression,EqualityOperator: a forwarded service below implies it
			outward[index]! > 0 &&
			outward[index]! >= MIN_OUTWARD_SHARE * sent[index]!
		) {
			candidates[index] = 1;
		}
	}

	// Then, for the few that qualify, which services come in from inside and go out to the internet.
	const inward = new Map<number, Map<number, number>>();
	const onward = new Map<number, Set<number>>();
	forEachRequest(snapshot, candidates, (flow, index, direction) => {
		const service = flow.protocol * 65_536 + flow.dstPort;
		if (direction === 'inbound') {
			const services = inward.get(index) ?? new Map<number, number>();
			services.set(service, (services.get(service) ?? 0) + flow.flows);
			inward.set(index, services);
		} else if (snapshot.isOutside(flow.dst)) {
			const services = onward.get(index) ?? new Set<number>();
			services.add(service);
			onward.set(index, services);
		}
	});

	for (const eni of undecided) {
		const index = interfaceIndex[eni]!;
		let forwarded = 0;
		for (const [service, flows] of inward.get(index) ?? []) {
			if (onward.get(index)?.has(service)) {
				forwarded += flows;
			}
		}

		if (forwarded >= MIN_FORWARDED_RECORDS && forwarded >= MIN_FORWARDED_SHARE * received[index]!) {
			gateways.add(eni);
		}
	}

	return gateways;
}

/**
 * Calls `visit` with each ACCEPTed request (its destination port the service) on the marked
 * interfaces: received from an inside host, or sent.
 */
function forEachRequest(
	snapshot: Snapshot,
	marked: Uint8Array,
	visit: (flow: Conversation, index: number, direction: Direction) => void,
): void {
	const {interfaceIndex} = snapshot;
	for (const flow = snapshot.cursor(); flow.next(); ) {
		const {eni} = flow;
		const index = eni < 0 ? -1 : interfaceIndex[eni]!;
		const port = flow.dstPort;
		if (index < 0 || marked[index] === 0 || port < 0 || !flow.accepted) {
			continue;
		}

		const {srcPort} = flow;
		if (srcPort >= 0 && servicePortOf(srcPort, port) !== port) {
			continue;
		}

		const direction = snapshot.direction(flow);
		if (direction === 'outbound' || (direction === 'inbound' && flow.src >= 0 && !snapshot.isOutside(flow.src))) {
			visit(flow, index, direction);
		}
	}
}

export function natGateways(snapshot: Snapshot): Set<number> {
	return snapshot.derive(findNatGateways);
}
