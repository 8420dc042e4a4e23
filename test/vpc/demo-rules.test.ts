import type {EC2Client} from '@aws-sdk/client-ec2';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DEMO_CREDENTIALS} from '../../source/demo/feed/backend.js';
import {type Endpoint, startEndpoint} from '../../source/demo/endpoint/endpoint.js';
import {ENI, S3_LIST, SG} from '../../source/demo/vpc/default-vpc.js';
import type {Check} from '../../source/demo/vpc/evaluation.js';
import type {SimulatedRecord} from '../../source/demo/vpc/flow-record.js';
import {SCENARIOS, scenarioNamed, scenarioVpc} from '../../source/demo/vpc/scenarios.js';
import type {VpcModel} from '../../source/demo/vpc/vpc.js';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import type {Evidence, Finding} from '../../source/diagnosis/finding.js';
import {DEFAULT_FORMAT} from '../../source/flowlog/format.js';
import type {VpcConfiguration} from '../../source/vpc/configuration.js';
import {createEc2Client} from '../../source/vpc/ec2-client.js';
import {loadVpcConfiguration} from '../../source/vpc/ec2-loader.js';
import {explainFindings} from '../../source/vpc/explain-findings.js';
import {explainRejectedFlow} from '../../source/vpc/rule-explanation.js';
import {history, recordsOf} from '../demo/vpc/simulate.js';
import {formatStore, range, reject, V8_FORMAT} from '../diagnosis/flows.js';
import {storeOf} from '../diagnosis/simulated.js';

const SEEDS = [1, 2, 3];
const MINUTES = 5;

let model: VpcModel;
let endpoint: Endpoint;
let client: EC2Client;

beforeAll(async () => {
	endpoint = await startEndpoint({ec2: {model: () => model}});
	client = createEc2Client({endpoint: endpoint.url, credentials: DEMO_CREDENTIALS});
});

afterAll(async () => {
	client.destroy();
	await endpoint.close();
});

/** The scenario's VPC as flowtop reads it: through the demo's EC2 API and the SDK's EC2 client. */
async function configurationOf(scenario: string): Promise<VpcConfiguration> {
	model = scenarioVpc(scenarioNamed(scenario));
	return loadVpcConfiguration(client);
}

/** The check that refused the records behind a piece of evidence, as the simulator decided it. */
function refusedBy(records: readonly SimulatedRecord[], evidence: Evidence): Check | undefined {
	const record = records.find(
		candidate =>
			candidate.eni === evidence.eni &&
			candidate.values.srcaddr === evidence.src &&
			candidate.values.dstaddr === evidence.dst &&
			candidate.values.srcport === evidence.srcPort &&
			candidate.values.dstport === evidence.dstPort &&
			candidate.values.protocol === evidence.protocol &&
			candidate.values.action === 'REJECT',
	);
	return record?.truth.kind === 'flow' ? record.truth.rejectedBy : undefined;
}

function ruleOfTruth(check: Check): Pick<NonNullable<Finding['rule']>, 'layer' | 'resource' | 'entry'> {
	return check.layer === 'network-acl'
		? {layer: 'network-acl', resource: check.aclId, entry: check.rule}
		: {layer: 'security-group', resource: check.groupIds[0]};
}

describe("the demo's configuration through the EC2 API", () => {
	it('gives every interface its addresses, kind, name, groups and subnet NACL', async () => {
		const configuration = await configurationOf('healthy');
		expect(configuration.interface(ENI.web1)).toMatchObject({
			kind: 'instance',
			name: 'web-1',
			addresses: ['10.0.10.11'],
			securityGroupIds: [SG.web],
		});
		expect(configuration.interface(ENI.albA)).toMatchObject({
			kind: 'load-balancer',
			addresses: ['10.0.0.45', '2600:1f18:6a3:c200:8f1e:44b2:9c07:1a3d'],
		});
		expect(configuration.interface(ENI.nat)?.kind).toBe('nat-gateway');
		expect(configuration.interface(ENI.db)?.kind).toBe('database');
		expect(configuration.interface(ENI.secretsEndpoint)?.kind).toBe('vpc-endpoint');
		const subnet = configuration.subnet(configuration.interface(ENI.db)!.subnetId);
		expect(subnet).toMatchObject({name: 'data-a', cidrs: ['10.0.30.0/24']});
		expect(configuration.networkAcl(subnet!.aclId)?.outbound).toEqual([
			{number: 100, action: 'allow', protocol: 'tcp', ports: {from: 1024, to: 65_535}, cidr: '10.0.20.0/24'},
		]);
		expect(configuration.securityGroup(SG.db)?.inbound.map(rule => rule.peer)).toEqual([
			{group: SG.app},
			{group: SG.backup},
		]);
	});
});

describe('a security group rule that names a prefix list, through the EC2 API', () => {
	it("is read with the list's name and ranges, and lets through what goes to them", async () => {
		const configuration = await configurationOf('healthy');
		expect(configuration.securityGroup(SG.backup)?.outbound).toContainEqual(
			expect.objectContaining({protocol: 'tcp', ports: {from: 443, to: 443}, peer: {prefixList: S3_LIST}}),
		);
		const backup = configuration.interface(ENI.backup)!.addresses[0]!;
		const upload = {eni: ENI.backup, src: backup, dst: '52.216.8.3', srcPort: 40_000, protocol: 6};
		expect(explainRejectedFlow(configuration, {...upload, dstPort: 443}, 'request')?.verdict).toBe('allows');
		expect(explainRejectedFlow(configuration, {...upload, dst: '52.218.0.1', dstPort: 443}, 'request')).toMatchObject({
			verdict: 'refuses',
			layer: 'security-group',
			allows: 'TCP 443 to pl-63a5400a (com.amazonaws.us-east-1.s3)',
		});
	});
});

describe.each(SCENARIOS.filter(scenario => scenario.name !== 'healthy'))(
	'the $name scenario',
	{timeout: 30_000},
	scenario => {
		it.each(SEEDS)(
			'names, for every refused finding, the entry the simulated VPC refused it with (seed %i)',
			async seed => {
				const configuration = await configurationOf(scenario.name);
				const records = recordsOf(history(scenario.name, MINUTES, {seed}));
				const findings = explainFindings(diagnose(storeOf(records, DEFAULT_FORMAT)), configuration);
				for (const finding of findings.filter(candidate => candidate.sweep === undefined)) {
					const rejected = finding.evidence.filter(evidence => evidence.action === 'REJECT');
					// A late reply was refused as untracked, not by an entry: the benign note names none.
					const lateReply = finding.kind === 'nacl-return-blocked' && finding.severity === 'info';
					if (rejected.length === 0 || lateReply) {
						expect(finding.rule).toBeUndefined();
						continue;
					}

					const truths = rejected
						.map(evidence => refusedBy(records, evidence))
						.filter(check => check !== undefined)
						.map(check => ruleOfTruth(check));
					expect(truths.length).toBeGreaterThan(0);
					expect({summary: finding.summary, rule: finding.rule}).toMatchObject({
						summary: finding.summary,
						rule: {verdict: 'refuses'},
					});
					expect(truths).toContainEqual({
						layer: finding.rule!.layer,
						resource: finding.rule!.resource,
						...(finding.rule!.entry === undefined ? {} : {entry: finding.rule!.entry}),
					});
				}
			},
		);
	},
);

type TruthRule = ReturnType<typeof ruleOfTruth>;

/** The entries of the simulated VPC that refused a sweep's distinct targets, with how many each, most first. */
function refusalsBy(records: readonly SimulatedRecord[], src: string): Array<[TruthRule, number]> {
	const targets = new Map<string, Check>();
	for (const record of records) {
		const {values, truth} = record;
		if (values.srcaddr === src && values.action === 'REJECT' && truth.kind === 'flow' && truth.rejectedBy) {
			targets.set(`${record.eni} ${values.dstaddr} ${values.protocol} ${values.dstport}`, truth.rejectedBy);
		}
	}

	const counts = new Map<string, [TruthRule, number]>();
	for (const check of targets.values()) {
		const rule = ruleOfTruth(check);
		const key = JSON.stringify(rule);
		counts.set(key, [rule, (counts.get(key)?.[1] ?? 0) + 1]);
	}

	return [...counts.values()].sort((a, b) => b[1] - a[1]);
}

/** How the advice names an entry and the share of the sweep it refused. */
function namedShare({layer, resource, entry}: TruthRule, count: number, tried: number): RegExp {
	const share = `${count} of ${tried} `;
	if (layer === 'network-acl') {
		const decided = entry === '*' ? 'the final deny \\(\\*\\) drops' : `rule ${entry} denies`;
		return new RegExp(`NACL ${resource} of [^:]+: ${decided} ${share}`);
	}

	return new RegExp(`refused by security groups? [^:]*${resource}[^:]*: no (in|out)bound rule for ${share}`, 'i');
}

describe.each(['port-scan', 'lateral-sweep'])('the sweep of the %s scenario', scenario => {
	it.each(SEEDS)('is counted by the entries that refused it (seed %i)', {timeout: 30_000}, async seed => {
		const configuration = await configurationOf(scenario);
		const records = recordsOf(history(scenario, MINUTES, {seed}));
		const scans = explainFindings(diagnose(storeOf(records, DEFAULT_FORMAT)), configuration).filter(
			finding => finding.kind === 'port-scan',
		);
		expect(scans.length).toBeGreaterThan(0);
		for (const scan of scans) {
			const refusals = refusalsBy(records, scan.src!);
			const tried = refusals.reduce((sum, [, count]) => sum + count, 0) + scan.sweep!.answered.length;
			for (const [rule, count] of refusals) {
				expect(scan.advice).toMatch(namedShare(rule, count, tried));
			}

			expect(scan.rule).toMatchObject({verdict: 'refuses', ...refusals[0]![0]});
		}
	});
});

describe('flows logged before the configuration changed', () => {
	it('are said to be allowed by the configuration as it is now, not blamed on a rule', async () => {
		const records = recordsOf(history('sg-missing-rule', MINUTES, {seed: 1}));
		const configuration = await configurationOf('healthy');
		const findings = explainFindings(diagnose(storeOf(records, DEFAULT_FORMAT)), configuration);
		const database = findings.find(finding => finding.kind === 'inbound-rejected' && finding.eni === ENI.db);
		expect(database?.rule).toMatchObject({verdict: 'allows', direction: 'inbound'});
		expect(database?.advice).toMatch(
			/now lets TCP 5432 from 10\.0\.20\.2\d \(app-\d\) through at eni-05e8acdcbbefd1fa0: its rules changed after these flows were logged/,
		);
	});
});

describe('flows the records say Block Public Access refused', () => {
	it('keep their Block Public Access advice: no security group or NACL entry is named for them', async () => {
		const refused = range(4).map(minute =>
			reject(ENI.bastion, `45.33.7.9:${50_000 + minute}`, '10.0.0.10:3389', {
				minute,
				direction: 'ingress',
				rejectReason: 'BPA',
			}),
		);
		const configuration = await configurationOf('healthy');
		const [finding, ...others] = explainFindings(diagnose(formatStore(refused, V8_FORMAT)), configuration);
		expect(others).toEqual([]);
		expect(finding).toMatchObject({kind: 'inbound-rejected', rejectReason: 'BPA', name: 'bastion'});
		expect(finding!.rule).toBeUndefined();
		expect(finding!.advice).toMatch(/^VPC Block Public Access refuses TCP 3389 from 45\.33\.7\.9/);
	});
});
