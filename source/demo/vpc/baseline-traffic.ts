import type {Connection} from './connection.js';
import {OUTSIDE} from './internet.js';
import {ICMP, TCP, UDP} from '../../vpc/packet.js';
import type {Workload, WorkloadContext} from './workload.js';

/**
 * The healthy VPC's traffic, per 60 s window at rate 1: about 350 records a minute, with the
 * everyday noise of a busy VPC (late replies refused, internet background scanning, health checks,
 * a deploy's reconnect storm) that a diagnosis must not raise an alarm over. Amazon's own
 * DNS resolver (VPC+2), the instance metadata service and Amazon Time Sync are left out on
 * purpose: flow logs never record them. The NTP and DNS here go to public servers, which they do.
 */

function times<T>(count: number, make: (index: number) => T): T[] {
	return Array.from({length: count}, (_, index) => make(index));
}

function webRequest(context: WorkloadContext) {
	const {random} = context;
	return {
		durationMs: random.int(80, 6000),
		requestBytes: random.int(400, 2500),
		responseBytes: random.int(2000, 60_000),
	};
}

const internetToAlb: Workload = {
	name: 'internet-to-alb',
	generate: context =>
		times(context.howMany(20), () => {
			const customer = context.random.pickSkewed(context.internet.customers);
			return context.connect({
				client: {address: customer.address},
				clientOs: customer.os,
				server: context.eni(context.random.pick(['alb-a', 'alb-b'])),
				protocol: TCP,
				serverPort: context.random.chance(0.9) ? 443 : 80,
				...webRequest(context),
			});
		}),
};

const internetToAlbIpv6: Workload = {
	name: 'internet-to-alb-ipv6',
	generate: context =>
		times(context.howMany(5), () => {
			const customer = context.random.pickSkewed(context.internet.customers6);
			return context.connect({
				client: {address: customer.address},
				clientOs: customer.os,
				server: context.eni(context.random.pick(['alb-a', 'alb-b'])),
				protocol: TCP,
				serverPort: 443,
				...webRequest(context),
			});
		}),
};

const albToWeb: Workload = {
	name: 'alb-to-web',
	generate: context =>
		times(context.howMany(8), () =>
			context.connect({
				client: context.eni(context.random.pick(['alb-a', 'alb-b'])),
				server: context.eni(context.random.pick(['web-1', 'web-2'])),
				protocol: TCP,
				serverPort: 80,
				...webRequest(context),
			}),
		),
};

// Every ALB node checks every target every 30 s (the default interval), a new connection each time.
const albHealthChecks: Workload = {
	name: 'alb-health-checks',
	generate(context) {
		const connections: Connection[] = [];
		for (const [nodeIndex, node] of ['alb-a', 'alb-b'].entries()) {
			for (const [targetIndex, target] of ['web-1', 'web-2'].entries()) {
				const phase = (nodeIndex * 2 + targetIndex) * 7000;
				for (const offset of [phase, phase + 30_000]) {
					connections.push(
						context.connect({
							client: context.eni(node),
							server: context.eni(target),
							protocol: TCP,
							serverPort: 80,
							durationMs: context.random.int(2, 40),
							requestBytes: 140,
							responseBytes: 180,
							at: context.windowStart + offset + context.random.int(0, 500),
						}),
					);
				}
			}
		}

		return connections;
	},
};

const webToApp: Workload = {
	name: 'web-to-app',
	generate: context =>
		times(context.howMany(8), () =>
			context.connect({
				client: context.eni(context.random.pick(['web-1', 'web-2'])),
				server: context.eni(context.random.pick(['app-1', 'app-2'])),
				protocol: TCP,
				serverPort: 8080,
				...webRequest(context),
			}),
		),
};

const appToDb: Workload = {
	name: 'app-to-db',
	generate: context =>
		times(context.howMany(6), () =>
			context.connect({
				client: context.eni(context.random.pick(['app-1', 'app-2'])),
				server: context.eni('db'),
				protocol: TCP,
				serverPort: 5432,
				durationMs: context.random.int(50, 20_000),
				requestBytes: context.random.int(300, 8000),
				responseBytes: context.random.int(1000, 200_000),
			}),
		),
};

// About one exchange in a hundred with a busy HTTPS API ends with the server's FIN or RST arriving
// after the client's security group forgot the connection: refused, one packet, benign.
const LATE_TEARDOWN_SHARE = 0.01;
// A DNS answer now and then comes after the query timed out and its tracking expired.
const LATE_DNS_SHARE = 0.03;

/** The app tier's busiest client work: a payment API over HTTPS, a new connection per call. */
const appToPayments: Workload = {
	name: 'app-to-payments',
	generate: context =>
		times(context.howMany(15), () => {
			const call = context.connect({
				client: context.eni(context.random.pick(['app-1', 'app-2'])),
				server: {address: OUTSIDE.paymentsApi},
				protocol: TCP,
				serverPort: 443,
				durationMs: context.random.int(150, 2500),
				requestBytes: context.random.int(1500, 4000),
				responseBytes: context.random.int(3000, 9000),
			});
			return context.random.chance(LATE_TEARDOWN_SHARE) ? context.late(call) : call;
		}),
};

const appToSecrets: Workload = {
	name: 'app-to-secrets',
	generate: context =>
		times(context.howMany(0.5), () =>
			context.connect({
				client: context.eni(context.random.pick(['app-1', 'app-2'])),
				server: context.eni('secrets-endpoint'),
				protocol: TCP,
				serverPort: 443,
				durationMs: context.random.int(30, 400),
				requestBytes: context.random.int(1200, 2000),
				responseBytes: context.random.int(4000, 7000),
			}),
		),
};

// Intra-subnet: no NACL is ever evaluated on this traffic.
const appCluster: Workload = {
	name: 'app-cluster',
	generate: context =>
		times(context.howMany(2), () => {
			const [client, server] = context.random.chance(0.5) ? ['app-1', 'app-2'] : ['app-2', 'app-1'];
			return context.connect({
				client: context.eni(client),
				server: context.eni(server),
				protocol: TCP,
				serverPort: 5701,
				durationMs: context.random.int(500, 30_000),
				requestBytes: context.random.int(2000, 40_000),
				responseBytes: context.random.int(2000, 40_000),
			});
		}),
};

const ntp: Workload = {
	name: 'ntp',
	generate: context =>
		['app-1', 'app-2', 'backup']
			.filter(() => context.random.chance(0.5 * Math.min(1, context.rate)))
			.map(host =>
				context.connect({
					client: context.eni(host),
					server: {address: context.random.pick(OUTSIDE.ntpServers)},
					protocol: UDP,
					serverPort: 123,
					durationMs: context.random.int(10, 80),
					requestBytes: 48,
					responseBytes: 48,
					exchanges: 1,
				}),
			),
};

const dns: Workload = {
	name: 'dns',
	generate: context =>
		times(context.howMany(2), () => {
			const queries = context.random.int(1, 2);
			const lookup = context.connect({
				client: context.eni(context.random.pick(['app-1', 'app-2'])),
				server: {address: context.random.pick(OUTSIDE.dnsResolvers)},
				protocol: UDP,
				serverPort: 53,
				durationMs: context.random.int(5, 120),
				requestBytes: queries * context.random.int(35, 60),
				responseBytes: queries * context.random.int(60, 250),
				exchanges: queries,
			});
			return context.random.chance(LATE_DNS_SHARE) ? context.late(lookup) : lookup;
		}),
};

// The heavy talker: a dump streamed off the database and uploaded to S3 in parallel parts.
const backupFromDb: Workload = {
	name: 'backup-from-db',
	generate: context => [
		context.connect({
			client: context.eni('backup'),
			server: context.eni('db'),
			protocol: TCP,
			serverPort: 5432,
			durationMs: context.random.int(40_000, 55_000),
			requestBytes: context.random.int(2000, 6000),
			responseBytes: context.random.int(80_000_000, 150_000_000),
		}),
	],
};

const backupToS3: Workload = {
	name: 'backup-to-s3',
	generate: context =>
		times(6, () =>
			context.connect({
				client: context.eni('backup'),
				server: {address: context.random.pick(OUTSIDE.s3)},
				protocol: TCP,
				serverPort: 443,
				durationMs: context.random.int(8000, 30_000),
				requestBytes: context.random.int(16_000_000, 24_000_000),
				responseBytes: context.random.int(3000, 6000),
			}),
		),
};

const opsSsh: Workload = {
	name: 'ops-ssh',
	generate: context =>
		times(context.random.chance(0.2) ? 1 : 0, () =>
			context.connect({
				client: {address: context.random.pick(OUTSIDE.office)},
				clientOs: 'macos',
				server: context.eni('bastion'),
				protocol: TCP,
				serverPort: 22,
				durationMs: context.random.int(15_000, 50_000),
				requestBytes: context.random.int(4000, 30_000),
				responseBytes: context.random.int(8000, 120_000),
			}),
		),
};

const uptimePing: Workload = {
	name: 'uptime-ping',
	generate: context =>
		times(context.random.chance(0.4) ? 1 : 0, () => {
			const echoes = context.random.int(1, 3);
			return context.connect({
				client: {address: OUTSIDE.uptimeMonitor},
				clientPort: 0,
				server: context.eni('bastion'),
				protocol: ICMP,
				serverPort: 0,
				durationMs: (echoes - 1) * 1000 + 20,
				requestBytes: 0,
				responseBytes: 0,
				exchanges: echoes,
			});
		}),
};

// What internet background radiation knocks on: telnet, SMB, RDP, databases, Docker, VNC, SIP,
// UPnP, SNMP, router exploits. Never what the public interfaces serve: that would be a customer.
const BACKGROUND_PORTS: ReadonlyArray<{protocol: number; port: number}> = [
	{protocol: TCP, port: 23},
	{protocol: TCP, port: 445},
	{protocol: TCP, port: 3389},
	{protocol: TCP, port: 1433},
	{protocol: TCP, port: 3306},
	{protocol: TCP, port: 2375},
	{protocol: TCP, port: 5900},
	{protocol: TCP, port: 6379},
	{protocol: TCP, port: 8080},
	{protocol: TCP, port: 8443},
	{protocol: TCP, port: 37_215},
	{protocol: UDP, port: 161},
	{protocol: UDP, port: 1900},
	{protocol: UDP, port: 5060},
];
const PUBLIC_INTERFACES = ['alb-a', 'alb-b', 'bastion', 'nat'];

/**
 * Internet background scanning: strangers knock once on a public address, on a common port or a
 * random one. The public NACL refuses the low ports, the security groups the rest; a NAT gateway,
 * which has no security group, lets the unprivileged ones reach it and drops them itself.
 */
const internetBackground: Workload = {
	name: 'internet-background',
	generate: context =>
		times(context.howMany(6), () => {
			const {random} = context;
			const target = random.chance(0.7)
				? random.pick(BACKGROUND_PORTS)
				: {protocol: TCP, port: random.int(1024, 65_535)};
			return context.connect({
				client: {address: context.internet.stranger(random).address},
				server: context.eni(random.pick(PUBLIC_INTERFACES)),
				protocol: target.protocol,
				serverPort: target.port,
				durationMs: 0,
				requestBytes: target.protocol === UDP ? random.int(40, 400) : 0,
				responseBytes: 0,
				exchanges: 1,
				style: 'probe',
			});
		}),
};

// One window in five carries a deploy: the app servers restart and reconnect their pools at once.
const DEPLOY_EVERY_WINDOWS = 5;
const DEPLOY_CONNECTIONS = 200;

/** A deploy's reconnect storm: both app servers open their connection pools to PostgreSQL anew. */
const deployReconnect: Workload = {
	name: 'deploy-reconnect',
	generate: context =>
		Math.floor(context.windowStart / 60_000) % DEPLOY_EVERY_WINDOWS === DEPLOY_EVERY_WINDOWS - 2
			? times(Math.round(DEPLOY_CONNECTIONS * Math.min(1, context.rate)), index =>
					context.connect({
						client: context.eni(index % 2 === 0 ? 'app-1' : 'app-2'),
						server: context.eni('db'),
						protocol: TCP,
						serverPort: 5432,
						durationMs: context.random.int(50, 2000),
						requestBytes: context.random.int(300, 2000),
						responseBytes: context.random.int(500, 4000),
					}),
				)
			: [],
};

export const BASELINE_WORKLOADS: readonly Workload[] = [
	internetToAlb,
	internetToAlbIpv6,
	albToWeb,
	albHealthChecks,
	webToApp,
	appToDb,
	appToPayments,
	appToSecrets,
	appCluster,
	ntp,
	dns,
	backupFromDb,
	backupToS3,
	opsSsh,
	uptimePing,
	internetBackground,
	deployReconnect,
];
