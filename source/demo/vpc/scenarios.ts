import type {Direction} from '../../net/direction.js';
import type {FindingKind, Severity} from '../../diagnosis/finding.js';
import {ACL, DEFAULT_VPC, ENI, SG} from './default-vpc.js';
import {
	lateralSweep,
	misconfiguredChecker,
	natUnsolicited,
	portScan,
	replicaReporting,
	sshBruteForce,
} from './incident-traffic.js';
import {OUTSIDE} from './internet.js';
import type {NetworkAcl} from '../../vpc/network-acl.js';
import {port} from '../../vpc/packet.js';
import type {SecurityGroup} from '../../vpc/security-group.js';
import type {VpcModel} from './vpc.js';
import type {Workload} from './workload.js';

/**
 * A finding a diagnosis should report. A reported finding matches when its kind is the same and
 * every field stated here is equal; fields left out are not constrained.
 */
export interface ExpectedFinding {
	readonly kind: FindingKind;
	/** Absent only for `repeated-rejects`, which is about a source across interfaces. */
	readonly eni?: string;
	readonly direction?: Direction;
	/** The service's port: for nacl-return-blocked the server port of the blocked connections. */
	readonly port?: number;
	readonly src?: string;
	readonly severity?: Severity;
}

/**
 * The notes the everyday noise under every scenario may give, each `info` and saying it is benign:
 * the app servers' late replies (a FIN or RST after a payment API call closed, a DNS answer after
 * the query timed out) refused by their security group, and strangers knocking on the NAT
 * gateway's address. Anything louder over the healthy VPC is a false alarm.
 */
export const BENIGN_NOTES: readonly ExpectedFinding[] = [
	{kind: 'nacl-return-blocked', eni: ENI.app1, direction: 'inbound', severity: 'info'},
	{kind: 'nacl-return-blocked', eni: ENI.app2, direction: 'inbound', severity: 'info'},
	{kind: 'nat-unsolicited-inbound', eni: ENI.nat, severity: 'info'},
];

export type ScenarioName =
	| 'healthy'
	| 'nacl-return-outbound'
	| 'nacl-return-inbound'
	| 'sg-missing-rule'
	| 'sg-egress-missing'
	| 'port-scan'
	| 'ssh-brute-force'
	| 'nat-unsolicited'
	| 'misconfigured-client'
	| 'lateral-sweep'
	| 'peering-blackhole'
	| 'skipped-records';

export interface Scenario {
	readonly name: ScenarioName;
	readonly title: string;
	/** What is wrong, what the records show, and the fix: what a demo user reads. */
	readonly description: string;
	/** What a correct diagnosis must report, besides BENIGN_NOTES; empty for `healthy`. */
	readonly expected: readonly ExpectedFinding[];
	/** Further findings that are defensible readings of the same records, not mistakes. */
	readonly tolerated: readonly ExpectedFinding[];
	/** The rule change that causes it, applied to the healthy VPC. */
	readonly configure?: (model: VpcModel) => VpcModel;
	/** Traffic the incident adds to the baseline. */
	readonly workloads: readonly Workload[];
	/** The interface (by name) whose records flow logs skip each minute: a SKIPDATA record, about half its records gone. */
	readonly skippedInterface?: string;
}

function withNetworkAcl(model: VpcModel, id: string, change: (acl: NetworkAcl) => NetworkAcl): VpcModel {
	return {...model, networkAcls: model.networkAcls.map(acl => (acl.id === id ? change(acl) : acl))};
}

function withSecurityGroup(model: VpcModel, id: string, change: (group: SecurityGroup) => SecurityGroup): VpcModel {
	return {...model, securityGroups: model.securityGroups.map(group => (group.id === id ? change(group) : group))};
}

function privateIpOf(eni: string): string {
	return DEFAULT_VPC.interfaces.find(candidate => candidate.id === eni)!.privateIp;
}

const withoutRule =
	(direction: Direction, number: number) =>
	(acl: NetworkAcl): NetworkAcl => ({
		...acl,
		[direction]: acl[direction].filter(rule => rule.number !== number),
	});

export const SCENARIOS: readonly Scenario[] = [
	{
		name: 'healthy',
		title: 'Healthy',
		description:
			'A three-tier shop working as intended: customers reach the ALB over IPv4 and IPv6, the web and app tiers and PostgreSQL talk, ' +
			'the app tier reaches a payment API, NTP and DNS through the NAT gateway, a backup job streams the database to S3. With the noise ' +
			'of every busy VPC: a late FIN, RST or DNS answer refused now and then, internet scanners refused at the public interfaces, ' +
			"health checks, a deploy's reconnect storm. A few benign notes, no alarm.",
		expected: [],
		tolerated: [],
		workloads: [],
	},
	{
		name: 'nacl-return-outbound',
		title: 'NACL blocks database responses',
		description:
			"Someone removed outbound rule 100 (TCP 1024-65535 to the app subnet) from the data subnet's network ACL. The database's security group " +
			'still admits the app tier and the backup job, so requests to 5432 are ACCEPTed on the database interface, but every response (SYN-ACK ' +
			"to the client's ephemeral port) is REJECTed leaving it: NACLs are stateless. Fix: allow outbound TCP 1024-65535 to 10.0.20.0/24.",
		expected: [{kind: 'nacl-return-blocked', eni: ENI.db, direction: 'outbound', port: 5432}],
		tolerated: [],
		configure: model => withNetworkAcl(model, ACL.data, withoutRule('outbound', 100)),
		workloads: [],
	},
	{
		name: 'nacl-return-inbound',
		title: 'NACL blocks responses to the web tier',
		description:
			"Inbound rule 110 (TCP 1024-65535 from the VPC) is missing from the web subnets' network ACL. The web servers' requests to the app tier " +
			"on 8080 leave (ACCEPT) and the app servers answer, but the answers are REJECTed entering web-1 and web-2. The ALB's requests to the " +
			'web servers still work: port 80 has its own rule. Fix: allow inbound TCP 1024-65535 from 10.0.0.0/16.',
		expected: [
			{kind: 'nacl-return-blocked', eni: ENI.web1, direction: 'inbound', port: 8080},
			{kind: 'nacl-return-blocked', eni: ENI.web2, direction: 'inbound', port: 8080},
		],
		tolerated: [],
		configure: model => withNetworkAcl(model, ACL.web, withoutRule('inbound', 110)),
		workloads: [],
	},
	{
		name: 'sg-missing-rule',
		title: 'Security group drops the app tier at the database',
		description:
			"The database security group lost its rule admitting PostgreSQL (5432) from the app tier's group. Requests from app-1 and app-2 leave " +
			'their interfaces (ACCEPT) and are REJECTed once, at the database interface; nothing comes back. The backup job has its own rule ' +
			'and still works. Fix: add inbound TCP 5432 from the app security group.',
		expected: [{kind: 'inbound-rejected', eni: ENI.db, direction: 'inbound', port: 5432}],
		tolerated: [ENI.app1, ENI.app2].map(eni => ({kind: 'repeated-rejects', src: privateIpOf(eni)})),
		configure: model =>
			withSecurityGroup(model, SG.db, group => ({
				...group,
				inbound: group.inbound.filter(rule => !('group' in rule.peer && rule.peer.group === SG.app)),
			})),
		workloads: [],
	},
	{
		name: 'sg-egress-missing',
		title: "Security group blocks the app tier's HTTPS out",
		description:
			"The app tier's security group had its allow-all egress replaced by a list that forgot HTTPS. Calls to the payment API (through the NAT " +
			'gateway) and to the Secrets Manager endpoint are REJECTed as they leave app-1 and app-2; PostgreSQL, NTP and DNS still work. ' +
			'Fix: allow outbound TCP 443.',
		expected: [
			{kind: 'outbound-rejected', eni: ENI.app1, direction: 'outbound', port: 443},
			{kind: 'outbound-rejected', eni: ENI.app2, direction: 'outbound', port: 443},
		],
		tolerated: [],
		configure: model =>
			withSecurityGroup(model, SG.app, group => ({
				...group,
				outbound: [
					{protocol: 'tcp', ports: port(5432), peer: {group: SG.db}, description: 'PostgreSQL'},
					{protocol: 'tcp', ports: port(5701), peer: {group: SG.app}, description: 'cache cluster'},
					{protocol: 'udp', ports: port(123), peer: {cidr: '0.0.0.0/0'}, description: 'NTP'},
					{protocol: 'udp', ports: port(53), peer: {cidr: '0.0.0.0/0'}, description: 'DNS'},
				],
			})),
		workloads: [],
	},
	{
		name: 'port-scan',
		title: 'Port scan of the bastion',
		description:
			`${OUTSIDE.scanner} sweeps about 150 ports of the bastion every minute with a SYN scan from one source port. Only SSH answers; the ` +
			"rest are REJECTed at the bastion's interface, by the public NACL below 1024 and by the security group above. Fix: nothing is " +
			'broken; block the source in the NACL if it persists.',
		expected: [{kind: 'port-scan', eni: ENI.bastion, src: OUTSIDE.scanner}],
		tolerated: [
			{kind: 'inbound-rejected', eni: ENI.bastion},
			{kind: 'repeated-rejects', src: OUTSIDE.scanner},
		],
		workloads: [portScan],
	},
	{
		name: 'ssh-brute-force',
		title: 'SSH brute force on the bastion',
		description:
			'A botnet of 25 addresses opens 50-125 SSH sessions a minute to the bastion, against a baseline of an engineer now and then. The ' +
			'security group admits SSH from anywhere, so the sessions are ACCEPTed: only their number gives them away. Fix: restrict port 22 to ' +
			'the office, or use Session Manager.',
		expected: [{kind: 'brute-force', eni: ENI.bastion, port: 22}],
		tolerated: [],
		workloads: [sshBruteForce],
	},
	{
		name: 'nat-unsolicited',
		title: 'Strangers knocking on the NAT gateway',
		description:
			"Internet hosts probe the NAT gateway's Elastic IP on RDP, VNC, Redis, SIP and friends. The public NACL admits 1024-65535 (return " +
			'traffic needs it) and NAT gateways have no security group, so the knocks are ACCEPTed at the NAT interface, then dropped by the NAT ' +
			'gateway: no onward flow. Benign; nothing to fix.',
		expected: [{kind: 'nat-unsolicited-inbound', eni: ENI.nat}],
		tolerated: [],
		workloads: [natUnsolicited],
	},
	{
		name: 'misconfigured-client',
		title: 'A client retrying a closed port',
		description:
			`${OUTSIDE.misconfiguredChecker}, a partner's health checker, polls the shop on 8443 every 15 s, on both ALB interfaces. The ALB's ` +
			'security group admits only 80 and 443, so every attempt is REJECTed, again and again. Fix: tell the partner to use 443.',
		expected: [{kind: 'repeated-rejects', src: OUTSIDE.misconfiguredChecker}],
		tolerated: [
			{kind: 'inbound-rejected', eni: ENI.albA, port: 8443},
			{kind: 'inbound-rejected', eni: ENI.albB, port: 8443},
		],
		workloads: [misconfiguredChecker],
	},
	{
		name: 'lateral-sweep',
		title: 'Lateral sweep from a compromised app server',
		description:
			`app-1 (${privateIpOf(ENI.app1)}) tries its neighbours on SMB, RDP, WinRM and SSH, a dozen a minute: too slow for any one minute ` +
			"to look like a scan. The neighbours' security groups refuse it. Fix: isolate app-1 (a security group that allows nothing), " +
			'keep its disk for forensics; open nothing for it.',
		expected: [{kind: 'port-scan', src: privateIpOf(ENI.app1)}],
		tolerated: [],
		workloads: [lateralSweep],
	},
	{
		name: 'peering-blackhole',
		title: 'No answer from a peered database',
		description:
			`app-1's reporting job connects to a PostgreSQL replica at ${OUTSIDE.replica}:5432 in a peered VPC every 15 s. The peering ` +
			'connection was deleted and its route stayed (a blackhole): the SYNs leave app-1, let out by its security group and NACL, and ' +
			'nothing ever comes back. Fix: restore the peering connection (or transit gateway attachment) and its route; no security ' +
			'group or NACL here refuses anything.',
		expected: [{kind: 'unanswered', eni: ENI.app1, port: 5432}],
		tolerated: [],
		configure: model => ({
			...withNetworkAcl(model, ACL.app, acl => ({
				...acl,
				outbound: [
					...acl.outbound,
					{number: 150, action: 'allow', protocol: 'tcp', cidr: '10.8.0.0/16', ports: port(5432)},
				],
			})),
			peeringRoutes: [{connectionId: 'pcx-0f1e2d3c4b5a69788', cidr: '10.8.0.0/16', state: 'blackhole'}],
		}),
		workloads: [replicaReporting],
	},
	{
		name: 'skipped-records',
		title: 'Flow logs skipping records',
		description:
			"Flow log capture hits an internal limit at AWS on the backup job's interface, the busiest: each minute it writes a SKIPDATA " +
			"record and about half of that interface's records are missing. Nothing in the VPC is broken, but every pane undercounts the " +
			'backup interface, and a quiet pane there proves nothing. Fix: nothing in the VPC; if it persists, capture fewer fields or ' +
			'ask AWS Support.',
		expected: [{kind: 'log-skipped', eni: ENI.backup}],
		tolerated: [],
		workloads: [],
		skippedInterface: 'backup',
	},
];

export function scenarioNamed(name: string): Scenario {
	const scenario = SCENARIOS.find(candidate => candidate.name === name);
	if (!scenario) {
		throw new RangeError(`unknown scenario "${name}": try ${SCENARIOS.map(candidate => candidate.name).join(', ')}`);
	}

	return scenario;
}

/** The VPC as a scenario leaves it. */
export function scenarioVpc(scenario: Scenario): VpcModel {
	return scenario.configure ? scenario.configure(DEFAULT_VPC) : DEFAULT_VPC;
}
