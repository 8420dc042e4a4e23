import {OUTSIDE} from './internet.js';
import {TCP, UDP} from '../../vpc/packet.js';
import type {Workload} from './workload.js';

// nmap's top ports, roughly in its order: what a scan tries first.
const TOP_PORTS = [
	80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993, 5900, 1025, 587, 8888,
	199, 1720, 465, 548, 113, 81, 6001, 10_000, 514, 5060, 179, 1026, 2000, 8443, 8000, 32_768, 554, 26, 1433, 49_152,
	2001, 515, 8008, 49_154, 1027, 5666, 646, 5000, 5631, 631, 49_153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49_155,
	6000, 513, 990, 5357, 427, 49_156, 543, 544, 5101, 144, 7, 389, 8009, 3128, 444, 9999, 5009, 7070, 5190, 3000, 5432,
	1900, 3986, 13, 1029, 9, 5051, 6646, 49_157, 1028, 873, 1755, 2717, 4899, 9100, 119, 37, 1000, 3001, 5001, 82, 10_010,
	1030, 9090, 2107, 1024, 2103, 6004, 1801, 5050, 19, 8031, 1041, 255, 2967, 1049, 1048, 1053, 3703, 1056, 1065, 1064,
	1054, 17, 808, 3689, 1031, 1044, 1071, 5901, 9102, 100, 9000, 8010, 1039, 4001, 2869, 1036, 1038, 1021, 1023, 6379,
	27_017, 9200, 11_211,
];

/** port-scan: one host sweeps ~150 ports of the bastion in about 40 s, once a minute. */
export const portScan: Workload = {
	name: 'port-scan',
	generate(context) {
		const {random} = context;
		// A SYN scan keeps one source port for the whole sweep.
		const sourcePort = random.int(32_768, 65_535);
		const scanStart = context.startFor(45_000);
		return TOP_PORTS.map((port, index) =>
			context.connect({
				client: {address: OUTSIDE.scanner},
				clientPort: sourcePort,
				server: context.eni('bastion'),
				protocol: TCP,
				serverPort: port,
				durationMs: 0,
				requestBytes: 0,
				responseBytes: 0,
				style: 'probe',
				at: scanStart + index * 250 + random.int(0, 200),
			}),
		);
	},
};

/** ssh-brute-force: a botnet tries passwords on the bastion's SSH, a few sessions per bot per minute. */
export const sshBruteForce: Workload = {
	name: 'ssh-brute-force',
	generate(context) {
		const {random} = context;
		return context.internet.bots.flatMap(bot =>
			Array.from({length: random.int(2, 5)}, () =>
				context.connect({
					client: {address: bot.address},
					clientOs: bot.os,
					server: context.eni('bastion'),
					protocol: TCP,
					serverPort: 22,
					durationMs: random.int(1500, 6000),
					requestBytes: random.int(1500, 3000),
					responseBytes: random.int(2000, 4000),
				}),
			),
		);
	},
};

// What internet background radiation aims at: RDP, SIP, VNC, Redis, Docker, router exploits.
const KNOCKED_PORTS: ReadonlyArray<{protocol: number; port: number}> = [
	{protocol: TCP, port: 3389},
	{protocol: TCP, port: 8080},
	{protocol: TCP, port: 8443},
	{protocol: TCP, port: 5900},
	{protocol: TCP, port: 6379},
	{protocol: TCP, port: 2375},
	{protocol: TCP, port: 37_215},
	{protocol: TCP, port: 52_869},
	{protocol: UDP, port: 5060},
	{protocol: UDP, port: 1900},
];

/**
 * nat-unsolicited: strangers knock on the NAT gateway's Elastic IP. The public NACL lets the
 * unprivileged ports in (it must, for return traffic) and a NAT gateway has no security group, so
 * every knock is ACCEPTed at its interface; the NAT gateway then drops it, having no translation.
 */
export const natUnsolicited: Workload = {
	name: 'nat-unsolicited',
	generate(context) {
		const {random} = context;
		return Array.from({length: random.poisson(20)}, () => {
			const target = random.pick(KNOCKED_PORTS);
			return context.connect({
				client: {address: context.internet.stranger(random).address},
				server: context.eni('nat'),
				protocol: target.protocol,
				serverPort: target.port,
				durationMs: 0,
				requestBytes: target.protocol === UDP ? random.int(100, 400) : 0,
				responseBytes: 0,
				exchanges: 1,
				style: 'probe',
			});
		});
	},
};

/** misconfigured-client: a partner's health checker polls the ALB on 8443, which it does not listen on. */
export const misconfiguredChecker: Workload = {
	name: 'misconfigured-client',
	generate(context) {
		const {random} = context;
		return [0, 15_000, 30_000, 45_000].flatMap(offset =>
			['alb-a', 'alb-b'].map(node =>
				context.connect({
					client: {address: OUTSIDE.misconfiguredChecker},
					server: context.eni(node),
					protocol: TCP,
					serverPort: 8443,
					durationMs: 200,
					requestBytes: 300,
					responseBytes: 500,
					at: context.windowStart + offset + random.int(0, 5000),
				}),
			),
		);
	},
};

// What a worm or an intruder's scanner tries on its neighbours: file sharing, remote desktop and shells.
const LATERAL_PORTS = [445, 139, 3389, 5985, 22, 135];
// Interfaces of the VPC an intruder on app-1 can reach and would try.
const LATERAL_TARGETS = ['web-1', 'web-2', 'app-2', 'db', 'bastion', 'alb-a', 'alb-b', 'nat'];

/**
 * lateral-sweep: app-1 is compromised and slowly tries its neighbours on Windows and shell ports,
 * a dozen a minute, so no one minute looks like a scan; only the whole window does.
 */
export const lateralSweep: Workload = {
	name: 'lateral-sweep',
	generate(context) {
		const {random} = context;
		return Array.from({length: 12}, () =>
			context.connect({
				client: context.eni('app-1'),
				server: context.eni(random.pick(LATERAL_TARGETS)),
				protocol: TCP,
				serverPort: random.pick(LATERAL_PORTS),
				durationMs: 0,
				requestBytes: 0,
				responseBytes: 0,
				style: 'probe',
			}),
		);
	},
};

/**
 * peering-blackhole: app-1's reporting job connects to a PostgreSQL replica in a peered VPC every
 * 15 s, and retries each SYN as Linux does; the route to it is a blackhole, so nothing answers.
 */
export const replicaReporting: Workload = {
	name: 'replica-reporting',
	generate(context) {
		const {random} = context;
		return [0, 15_000, 30_000, 45_000].map(offset =>
			context.connect({
				client: context.eni('app-1'),
				server: {address: OUTSIDE.replica},
				protocol: TCP,
				serverPort: 5432,
				durationMs: random.int(200, 2000),
				requestBytes: random.int(300, 2000),
				responseBytes: random.int(2000, 40_000),
				at: context.windowStart + offset + random.int(0, 8000),
			}),
		);
	},
};
