import {FLOW_DIRECTION} from '../../net/direction.js';
import type {ObservedFlow} from './connection.js';
import {type FlowTruth, interfaceValues, type SimulatedRecord} from './flow-record.js';
import type {Vpc} from './vpc.js';

interface Accumulator {
	readonly first: ObservedFlow;
	readonly scenario: string;
	readonly connections: string[];
	packets: number;
	bytes: number;
	tcpFlags: number;
	startMs: number;
	endMs: number;
}

function keyOf(flow: ObservedFlow): string {
	return [
		flow.eni.id,
		flow.direction,
		flow.action,
		flow.protocol,
		flow.srcaddr,
		flow.srcport,
		flow.dstaddr,
		flow.dstport,
		flow.pktSrcaddr,
		flow.pktDstaddr,
	].join(' ');
}

/**
 * One capture window: flows observed on each interface, merged the way AWS aggregates them (one
 * record per interface, direction, 5-tuple and action; packets and bytes summed, flags OR-ed,
 * first and last packet times kept).
 */
export class CaptureWindow {
	private readonly flows = new Map<string, Accumulator>();

	constructor(
		private readonly vpc: Vpc,
		readonly start: number,
		readonly end: number,
	) {}

	add(flow: ObservedFlow, scenario: string): void {
		if (flow.startMs < this.start || flow.endMs >= this.end) {
			throw new RangeError(`connection ${flow.connection.id} does not fit in the capture window`);
		}

		const key = keyOf(flow);
		const existing = this.flows.get(key);
		if (existing) {
			existing.packets += flow.packets;
			existing.bytes += flow.bytes;
			existing.tcpFlags |= flow.tcpFlags;
			existing.startMs = Math.min(existing.startMs, flow.startMs);
			existing.endMs = Math.max(existing.endMs, flow.endMs);
			existing.connections.push(flow.connection.id);
			return;
		}

		this.flows.set(key, {
			first: flow,
			scenario,
			connections: [flow.connection.id],
			packets: flow.packets,
			bytes: flow.bytes,
			tcpFlags: flow.tcpFlags,
			startMs: flow.startMs,
			endMs: flow.endMs,
		});
	}

	/** Interfaces that saw any traffic in this window (the rest may log NODATA). */
	active(): Set<string> {
		return new Set([...this.flows.values()].map(flow => flow.first.eni.id));
	}

	/** The window's records, by interface and then first packet time, so each log stream reads in order. */
	records(): SimulatedRecord[] {
		const entries = [...this.flows.entries()].sort(([keyA, a], [keyB, b]) => {
			if (a.first.eni.id !== b.first.eni.id) {
				return a.first.eni.id < b.first.eni.id ? -1 : 1;
			}

			return a.startMs - b.startMs || (keyA < keyB ? -1 : keyA > keyB ? 1 : 0);
		});
		return entries.map(([, flow]) => this.recordOf(flow));
	}

	private recordOf(accumulated: Accumulator): SimulatedRecord {
		const flow = accumulated.first;
		const {connection} = flow;
		const pktSrcService = this.vpc.gatewayEndpointFor(flow.pktSrcaddr)?.service;
		const pktDstService = this.vpc.gatewayEndpointFor(flow.pktDstaddr)?.service;
		const rejectedBy = flow.action === 'REJECT' ? flow.checks.at(-1) : undefined;
		const truth: FlowTruth = {
			kind: 'flow',
			scenario: accumulated.scenario,
			workload: connection.workload,
			connections: accumulated.connections,
			leg: flow.leg,
			outcome: flow.outcome,
			service: {protocol: connection.protocol, port: connection.serverPort},
			checks: flow.checks,
			...(rejectedBy ? {rejectedBy} : {}),
		};
		return {
			eni: flow.eni.id,
			values: {
				...interfaceValues(this.vpc, flow.eni),
				srcaddr: flow.srcaddr,
				dstaddr: flow.dstaddr,
				srcport: flow.srcport,
				dstport: flow.dstport,
				protocol: flow.protocol,
				packets: accumulated.packets,
				bytes: accumulated.bytes,
				start: Math.floor(accumulated.startMs / 1000),
				end: Math.floor(accumulated.endMs / 1000),
				action: flow.action,
				'log-status': 'OK',
				'tcp-flags': accumulated.tcpFlags,
				type: flow.srcaddr.includes(':') ? 'IPv6' : 'IPv4',
				'pkt-srcaddr': flow.pktSrcaddr,
				'pkt-dstaddr': flow.pktDstaddr,
				'pkt-src-aws-service': pktSrcService,
				'pkt-dst-aws-service': pktDstService,
				'flow-direction': FLOW_DIRECTION[flow.direction],
				'traffic-path': flow.trafficPath,
			},
			truth,
		};
	}
}
