import {type Connection, type ConnectionStyle, FIN, RETRY_SPAN_MS, RST} from './connection.js';
import {TCP} from '../../vpc/packet.js';
import {ephemeralPort, type HostOs, type Internet} from './internet.js';
import type {Random} from './random.js';
import type {Endpoint} from './route.js';
import type {Vpc} from './vpc.js';

/** What a connection request names; the context fills in ids, ports and timing. */
export interface ConnectionDraft {
	readonly client: Endpoint;
	/** For an outside client: picks its ephemeral port range. */
	readonly clientOs?: HostOs;
	/** A fixed source port (a scanner reuses one); otherwise an ephemeral one is drawn. */
	readonly clientPort?: number;
	readonly server: Endpoint;
	readonly protocol: number;
	readonly serverPort: number;
	readonly durationMs: number;
	readonly requestBytes: number;
	readonly responseBytes: number;
	readonly exchanges?: number;
	readonly style?: ConnectionStyle;
	/** When the first packet leaves; drawn within the window when absent. */
	readonly at?: number;
}

/** Everything a workload may draw on for one capture window. */
export class WorkloadContext {
	private count = 0;

	constructor(
		readonly workload: string,
		readonly vpc: Vpc,
		readonly internet: Internet,
		readonly random: Random,
		readonly windowStart: number,
		readonly windowEnd: number,
		/** Multiplier on baseline volumes. */
		readonly rate: number,
	) {}

	eni(name: string): Endpoint {
		return {eni: this.vpc.interface(name)};
	}

	/** A start time that lets a connection of this length, or its failed retries, finish inside the window. */
	startFor(durationMs: number): number {
		const room = this.windowEnd - this.windowStart - Math.max(durationMs, RETRY_SPAN_MS) - 1;
		return this.windowStart + this.random.int(0, Math.max(0, room));
	}

	/** A Poisson count with the baseline rate applied. */
	howMany(meanPerWindow: number): number {
		return this.random.poisson(meanPerWindow * this.rate);
	}

	connect(draft: ConnectionDraft): Connection {
		const {client, server} = draft;
		const clientPort = draft.clientPort ?? this.ephemeral(client, draft.clientOs);
		const durationMs = Math.min(draft.durationMs, this.windowEnd - this.windowStart - RETRY_SPAN_MS - 1);
		const at = draft.at ?? this.startFor(durationMs);
		const behindNat = 'eni' in client && 'address' in server;
		return {
			id: `${this.workload}/${Math.floor(this.windowStart / 1000)}/${this.count++}`,
			workload: this.workload,
			client,
			server,
			protocol: draft.protocol,
			clientPort,
			serverPort: draft.serverPort,
			// NAT gateways pick from the whole unprivileged range; unused when the route has no NAT.
			...(behindNat ? {natPort: this.random.int(1024, 65_535)} : {}),
			at,
			durationMs,
			requestBytes: draft.requestBytes,
			responseBytes: draft.responseBytes,
			...(draft.exchanges === undefined ? {} : {exchanges: draft.exchanges}),
			...(draft.style ? {style: draft.style} : {}),
		};
	}

	/**
	 * The connection with one last reply packet that arrives after it was forgotten (a FIN or RST
	 * after it closed, a UDP answer after the query timed out), before the window closes.
	 */
	late(connection: Connection): Connection {
		const end = connection.at + connection.durationMs;
		const at = Math.min(end + this.random.int(200, 20_000), this.windowEnd - 1);
		const tcpFlags = connection.protocol === TCP ? (this.random.chance(0.5) ? FIN : RST) : 0;
		return {...connection, lateReply: {at, tcpFlags}};
	}

	private ephemeral(client: Endpoint, os: HostOs | undefined): number {
		if ('address' in client) {
			return ephemeralPort(os ?? 'linux', this.random);
		}

		// Load balancer nodes use the whole unprivileged range towards their targets.
		return client.eni.kind === 'load-balancer' ? this.random.int(1024, 65_535) : ephemeralPort('linux', this.random);
	}
}

/** A source of connections: the baseline tiers, or an incident a scenario adds. */
export interface Workload {
	readonly name: string;
	readonly generate: (context: WorkloadContext) => Connection[];
}
