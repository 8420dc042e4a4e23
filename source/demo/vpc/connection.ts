import type {Family} from '../../vpc/address.js';
import {type Observation, traverseLeg} from './evaluation.js';
import {ICMP, ICMPV6, TCP} from '../../vpc/packet.js';
import {type Endpoint, familyOfConnection, type RouteRequest, reverseRoute, routeOf} from './route.js';
import type {Vpc} from './vpc.js';

/**
 * `session`: a client that opens, talks and closes. `probe`: a SYN scan, which sends a SYN (once
 * more if unanswered) and tears down whatever answers with a RST.
 */
export type ConnectionStyle = 'session' | 'probe';

/** One connection a workload asks for; the VPC decides what actually happens to it. */
export interface Connection extends RouteRequest {
	/** Unique within its capture window, shared by every record the connection produces. */
	readonly id: string;
	readonly workload: string;
	/** Milliseconds epoch of the first packet. The whole connection falls within one capture window. */
	readonly at: number;
	/** How long a completed exchange lasts. */
	readonly durationMs: number;
	/** Application bytes each way when the exchange completes. */
	readonly requestBytes: number;
	readonly responseBytes: number;
	/** UDP datagrams or ICMP echoes each way (TCP counts packets from the bytes). */
	readonly exchanges?: number;
	readonly style?: ConnectionStyle;
	/** A last packet of the response that comes after the connection was forgotten: when, and its TCP flags (0 for UDP). */
	readonly lateReply?: {readonly at: number; readonly tcpFlags: number};
}

/**
 * `request-rejected`: dropped on its way to the server. `response-rejected`: the server answered
 * but the answer was dropped (the NACL case). `unanswered`: delivered, nobody replied (a NAT
 * gateway's unsolicited traffic, UDP to a closed port). `reset`: TCP to a port nobody listens on.
 */
export type Outcome = 'established' | 'request-rejected' | 'response-rejected' | 'unanswered' | 'reset';

/** An observation with its packets counted: everything a flow-log record needs. */
export interface ObservedFlow extends Observation {
	readonly connection: Connection;
	readonly outcome: Outcome;
	readonly packets: number;
	readonly bytes: number;
	/** OR of the flags seen in this direction: FIN 1, SYN 2, RST 4, SYN-ACK 18. */
	readonly tcpFlags: number;
	readonly startMs: number;
	readonly endMs: number;
}

export const FIN = 1;
const SYN = 2;
export const RST = 4;
const SYN_ACK = 18;

interface Sizes {
	readonly syn: number;
	readonly header: number;
	readonly mss: number;
	readonly rst: number;
	readonly udpHeader: number;
	readonly echo: number;
}

// Linux defaults with TCP timestamps; an IPv6 header is 20 bytes longer than an IPv4 one.
const sizes: Record<Family, Sizes> = {
	4: {syn: 60, header: 52, mss: 1448, rst: 40, udpHeader: 28, echo: 84},
	6: {syn: 80, header: 72, mss: 1428, rst: 60, udpHeader: 48, echo: 104},
};

// Linux retransmits an unanswered SYN after 1 s, then 2 s more; applications here give up after
// the third try. A SYN scan retries once.
const SYN_RETRY_OFFSETS_MS = [0, 1000, 3000];
const PROBE_RETRY_OFFSETS_MS = [0, 1000];

/** The longest a connection that fails can take: leave this much room before a window closes. */
export const RETRY_SPAN_MS = SYN_RETRY_OFFSETS_MS.at(-1)!;

interface LegTraffic {
	readonly packets: number;
	readonly bytes: number;
	readonly tcpFlags: number;
	readonly startMs: number;
	readonly endMs: number;
}

type Answer = 'respond' | 'silent' | 'reset';

function answerOf(server: Endpoint, connection: Connection): Answer {
	if ('address' in server) {
		return 'respond';
	}

	// A NAT gateway answers only for translations it made itself.
	if (server.eni.kind === 'nat-gateway') {
		return 'silent';
	}

	const isEcho = connection.protocol === ICMP || connection.protocol === ICMPV6;
	const listening = server.eni.listens.some(
		service => service.protocol === connection.protocol && (isEcho || service.port === connection.serverPort),
	);
	if (listening) {
		return 'respond';
	}

	return connection.protocol === TCP ? 'reset' : 'silent';
}

function tcpTraffic(connection: Connection, outcome: Outcome, size: Sizes): [LegTraffic, LegTraffic] {
	const {at} = connection;
	const probe = connection.style === 'probe';
	const tries = probe ? PROBE_RETRY_OFFSETS_MS : SYN_RETRY_OFFSETS_MS;
	const retried: LegTraffic = {
		packets: tries.length,
		bytes: tries.length * size.syn,
		tcpFlags: SYN,
		startMs: at,
		endMs: at + tries.at(-1)!,
	};
	switch (outcome) {
		case 'request-rejected':
		case 'unanswered': {
			return [retried, retried];
		}

		case 'response-rejected': {
			// Every SYN that arrives is answered with a SYN-ACK that never gets out.
			return [retried, {...retried, tcpFlags: SYN_ACK}];
		}

		case 'reset': {
			const once = {packets: 1, startMs: at, endMs: at};
			return [
				{...once, bytes: size.syn, tcpFlags: SYN},
				{...once, bytes: size.rst, tcpFlags: RST},
			];
		}

		default: {
			if (probe) {
				return [
					{packets: 2, bytes: size.syn + size.rst, tcpFlags: SYN | RST, startMs: at, endMs: at},
					{packets: 1, bytes: size.syn, tcpFlags: SYN_ACK, startMs: at, endMs: at},
				];
			}

			const end = at + connection.durationMs;
			const requestData = Math.ceil(connection.requestBytes / size.mss);
			const responseData = Math.ceil(connection.responseBytes / size.mss);
			// SYN, handshake ACK, data, delayed ACKs for every second segment received, FIN, last ACK.
			const requestPackets = requestData + Math.ceil(responseData / 2) + 4;
			// SYN-ACK, data, delayed ACKs, FIN, last ACK.
			const responsePackets = responseData + Math.ceil(requestData / 2) + 3;
			return [
				{
					packets: requestPackets,
					bytes: size.syn + (requestPackets - 1) * size.header + connection.requestBytes,
					tcpFlags: SYN | FIN,
					startMs: at,
					endMs: end,
				},
				{
					packets: responsePackets,
					bytes: size.syn + (responsePackets - 1) * size.header + connection.responseBytes,
					tcpFlags: SYN_ACK | FIN,
					startMs: at,
					endMs: end,
				},
			];
		}
	}
}

function datagramTraffic(connection: Connection, size: Sizes): [LegTraffic, LegTraffic] {
	const count = Math.max(1, connection.exchanges ?? 1);
	const isEcho = connection.protocol === ICMP || connection.protocol === ICMPV6;
	const leg = (payload: number): LegTraffic => ({
		packets: count,
		bytes: isEcho ? count * size.echo : payload + count * size.udpHeader,
		tcpFlags: 0,
		startMs: connection.at,
		endMs: connection.at + connection.durationMs,
	});
	return [leg(connection.requestBytes), leg(connection.responseBytes)];
}

/** The one packet of a late reply: a FIN or RST (header only), or a datagram's worth. */
function lateTraffic(connection: Connection, size: Sizes): LegTraffic {
	const {at, tcpFlags} = connection.lateReply!;
	const bytes =
		connection.protocol === TCP
			? tcpFlags & RST
				? size.rst
				: size.header
			: size.udpHeader + Math.round(connection.responseBytes / Math.max(1, connection.exchanges ?? 1));
	return {packets: 1, bytes, tcpFlags, startMs: at, endMs: at};
}

export interface ConnectionResult {
	readonly outcome: Outcome;
	readonly flows: readonly ObservedFlow[];
}

/** Send a connection through the VPC and count what every interface on its path records. */
export function observeConnection(vpc: Vpc, connection: Connection): ConnectionResult {
	const segments = routeOf(vpc, connection);
	const request = traverseLeg(vpc, segments, 'request');
	// A blackhole route drops the packet past the interface: nobody ever answers.
	const server = connection.server;
	const blackhole = 'address' in server && vpc.peeringRouteFor(server.address)?.state === 'blackhole';
	const answer = blackhole ? 'silent' : answerOf(server, connection);
	const response =
		request.delivered && answer !== 'silent' ? traverseLeg(vpc, reverseRoute(segments), 'response') : undefined;

	let outcome: Outcome;
	if (!request.delivered) {
		outcome = 'request-rejected';
	} else if (!response) {
		outcome = 'unanswered';
	} else if (!response.delivered) {
		outcome = 'response-rejected';
	} else {
		outcome = answer === 'reset' ? 'reset' : 'established';
	}

	// A rejected response to a RST is still a RST on the wire; count it as such.
	const shapeOutcome = outcome === 'response-rejected' && answer === 'reset' ? 'reset' : outcome;
	const size = sizes[familyOfConnection(connection.client, connection.server)];
	const [requestTraffic, responseTraffic] =
		connection.protocol === TCP ? tcpTraffic(connection, shapeOutcome, size) : datagramTraffic(connection, size);

	const late =
		outcome === 'established' && connection.lateReply
			? traverseLeg(vpc, reverseRoute(segments), 'late-reply')
			: undefined;
	const flows: ObservedFlow[] = [];
	for (const [leg, traffic] of [
		[request, requestTraffic],
		[response, responseTraffic],
		[late, late ? lateTraffic(connection, size) : undefined],
	] as const) {
		for (const observation of leg?.observations ?? []) {
			flows.push({...observation, ...traffic!, connection, outcome});
		}
	}

	return {outcome, flows};
}
