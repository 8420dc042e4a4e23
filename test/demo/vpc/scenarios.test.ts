import {describe, expect, it} from 'vitest';
import {ACL, DEFAULT_VPC, ENI, SG} from '../../../source/demo/vpc/default-vpc.js';
import type {FlowTruth, SimulatedRecord} from '../../../source/demo/vpc/flow-record.js';
import {OUTSIDE} from '../../../source/demo/vpc/internet.js';
import type {FindingKind} from '../../../source/diagnosis/finding.js';
import {type ExpectedFinding, SCENARIOS} from '../../../source/demo/vpc/scenarios.js';
import type {CaptureBatch} from '../../../source/demo/vpc/simulator.js';
import {history, isNoise, recordsOf} from './simulate.js';

type FlowRecordOf = SimulatedRecord & {truth: FlowTruth};

const flows = (records: readonly SimulatedRecord[]) =>
	records.filter((record): record is FlowRecordOf => record.truth.kind === 'flow');
const rejects = (records: readonly SimulatedRecord[]) =>
	flows(records).filter(record => record.values.action === 'REJECT');
/** What the incident refuses: the rejects left once the everyday noise under every scenario is set aside. */
const incidentRejects = (records: readonly SimulatedRecord[]) => rejects(records).filter(record => !isNoise(record));
const isPrivate = (address: unknown) => String(address).startsWith('10.');
const sameConnection = (a: FlowRecordOf, b: FlowRecordOf) =>
	a.truth.connections.some(id => b.truth.connections.includes(id));

const runs = new Map<string, CaptureBatch[]>(SCENARIOS.map(scenario => [scenario.name, history(scenario.name, 6)]));
const batchesOf = (name: string): CaptureBatch[] => runs.get(name)!;
const recordsIn = (name: string) => recordsOf(batchesOf(name));

/**
 * Whether the records bear a finding out, checked from the records and their ground truth: an
 * independent reading of what design.md says each kind means.
 */
function witnessed(
	finding: ExpectedFinding,
	records: readonly SimulatedRecord[],
	batches: readonly CaptureBatch[],
): boolean {
	const all = flows(records);
	const direction = finding.direction === 'outbound' ? 'egress' : 'ingress';
	switch (finding.kind) {
		case 'nacl-return-blocked': {
			return all.some(
				record =>
					record.eni === finding.eni &&
					record.values.action === 'REJECT' &&
					record.truth.leg === 'response' &&
					record.values['flow-direction'] === direction &&
					record.truth.service.port === finding.port &&
					record.truth.rejectedBy?.layer === 'network-acl' &&
					all.some(
						request =>
							request.eni === finding.eni &&
							request.truth.leg === 'request' &&
							request.values.action === 'ACCEPT' &&
							sameConnection(request, record),
					),
			);
		}

		case 'inbound-rejected':
		case 'outbound-rejected': {
			const wanted = finding.kind === 'inbound-rejected' ? 'ingress' : 'egress';
			const requests = all.filter(
				record =>
					record.eni === finding.eni &&
					record.values['flow-direction'] === wanted &&
					record.truth.leg === 'request' &&
					(finding.port === undefined || record.values.dstport === finding.port),
			);
			// Refused, and never let through for the same client and port.
			const refusedClients = new Set(rejects(requests).map(record => record.values.srcaddr));
			return (
				refusedClients.size > 0 &&
				!requests.some(record => record.values.action === 'ACCEPT' && refusedClients.has(record.values.srcaddr))
			);
		}

		case 'port-scan': {
			const probes = all.filter(record => record.values.srcaddr === finding.src && record.truth.leg === 'request');
			const targetsOf = (list: readonly FlowRecordOf[]) =>
				new Set(list.map(record => `${String(record.values.dstaddr)}:${String(record.values.dstport)}`));
			const refusedTargets = targetsOf(rejects(probes));
			const refusedPorts = new Set(rejects(probes).map(record => record.values.dstport));
			const slowSweep = refusedTargets.size >= 20 && refusedPorts.size >= 3;
			return (
				slowSweep ||
				batches.some(batch => {
					const probes = flows(batch.records).filter(
						record =>
							record.eni === finding.eni && record.values.srcaddr === finding.src && record.truth.leg === 'request',
					);
					const ports = new Set(probes.map(record => record.values.dstport));
					return ports.size >= 100 && rejects(probes).length > probes.length * 0.9;
				})
			);
		}

		case 'brute-force': {
			const attempts = (list: readonly SimulatedRecord[]) =>
				flows(list).filter(
					record =>
						record.eni === finding.eni && record.values.dstport === finding.port && record.truth.leg === 'request',
				).length;
			return attempts(records) > 10 * Math.max(1, attempts(recordsIn('healthy')));
		}

		case 'nat-unsolicited-inbound': {
			const nat = DEFAULT_VPC.interfaces.find(eni => eni.id === finding.eni)!;
			const arrivals = all.filter(
				record =>
					record.eni === finding.eni &&
					record.values.action === 'ACCEPT' &&
					record.values['flow-direction'] === 'ingress' &&
					!isPrivate(record.values.srcaddr) &&
					record.values['pkt-dstaddr'] === nat.privateIp,
			);
			// Answers to the NAT gateway's own requests go on to an instance; unsolicited packets go nowhere.
			const stranded = arrivals.filter(
				arrival => !all.some(other => other !== arrival && other.eni === finding.eni && sameConnection(other, arrival)),
			);
			return stranded.length >= 10;
		}

		case 'repeated-rejects': {
			const refused = rejects(records).filter(record => record.values.srcaddr === finding.src);
			return refused.length >= 10 && new Set(refused.map(record => record.eni)).size >= 2;
		}

		case 'unanswered': {
			const requests = all.filter(
				record =>
					record.eni === finding.eni &&
					record.truth.leg === 'request' &&
					record.values['flow-direction'] === 'egress' &&
					record.values.dstport === finding.port &&
					record.values.action === 'ACCEPT',
			);
			// Some destination on that port got three tries or more, and not one of them an answer.
			const destinations = new Set(requests.map(request => request.values.dstaddr));
			return [...destinations].some(destination => {
				const tries = requests.filter(request => request.values.dstaddr === destination);
				return (
					tries.length >= 3 &&
					!all.some(
						other =>
							other.eni === finding.eni &&
							other.truth.leg === 'response' &&
							tries.some(request => sameConnection(request, other)),
					)
				);
			});
		}

		case 'log-skipped': {
			return records.some(record => record.eni === finding.eni && record.values['log-status'] === 'SKIPDATA');
		}

		case 'interface-silent': {
			const traffic = all.filter(record => record.eni === finding.eni);
			const lastTraffic = Math.max(...traffic.map(record => Number(record.values.end)));
			return (
				traffic.length > 0 &&
				records.some(
					record =>
						record.eni === finding.eni &&
						record.values['log-status'] === 'NODATA' &&
						Number(record.values.start) >= lastTraffic,
				)
			);
		}
	}
}

describe('the scenario catalog', () => {
	it('covers every finding kind, and healthy expects none', () => {
		const kinds = new Set(SCENARIOS.flatMap(scenario => scenario.expected.map(finding => finding.kind)));
		const all: FindingKind[] = [
			'nacl-return-blocked',
			'inbound-rejected',
			'outbound-rejected',
			'port-scan',
			'brute-force',
			'nat-unsolicited-inbound',
			'repeated-rejects',
			'unanswered',
			'log-skipped',
		];
		expect([...kinds].sort()).toEqual(all.sort());
		expect(SCENARIOS.find(scenario => scenario.name === 'healthy')?.expected).toEqual([]);
	});

	it('names only interfaces of the VPC', () => {
		const enis = new Set(DEFAULT_VPC.interfaces.map(eni => eni.id));
		for (const finding of SCENARIOS.flatMap(scenario => [...scenario.expected, ...scenario.tolerated])) {
			if (finding.eni !== undefined) {
				expect(enis).toContain(finding.eni);
			}
		}
	});

	for (const scenario of SCENARIOS.filter(candidate => candidate.expected.length > 0)) {
		it(`${scenario.name}: the records bear out every expected finding`, () => {
			for (const finding of scenario.expected) {
				expect({finding, witnessed: witnessed(finding, recordsIn(scenario.name), batchesOf(scenario.name))}).toEqual({
					finding,
					witnessed: true,
				});
			}
		});
	}

	it('healthy: no record bears out any finding of the other scenarios', () => {
		for (const finding of SCENARIOS.flatMap(scenario => scenario.expected)) {
			if (finding.kind !== 'brute-force') {
				expect({finding, witnessed: witnessed(finding, recordsIn('healthy'), batchesOf('healthy'))}).toEqual({
					finding,
					witnessed: false,
				});
			}
		}
	});
});

describe('nacl-return-outbound', () => {
	const refused = incidentRejects(recordsIn('nacl-return-outbound'));

	it("rejects exactly the responses leaving the database interface, at the data subnet's NACL", () => {
		expect(refused.length).toBeGreaterThan(20);
		for (const record of refused) {
			expect(record.eni).toBe(ENI.db);
			expect(record.values).toMatchObject({'flow-direction': 'egress', srcport: 5432, 'tcp-flags': 18});
			expect(record.truth).toMatchObject({leg: 'response', service: {port: 5432}});
			expect(record.truth.rejectedBy).toMatchObject({
				layer: 'network-acl',
				aclId: ACL.data,
				direction: 'outbound',
				rule: '*',
			});
		}
	});

	it("ACCEPTs each of those connections' requests on the same interface", () => {
		const records = flows(recordsIn('nacl-return-outbound'));
		for (const response of refused) {
			const request = records.find(
				record => record.eni === ENI.db && record.truth.leg === 'request' && sameConnection(record, response),
			);
			expect(request?.values).toMatchObject({
				action: 'ACCEPT',
				'flow-direction': 'ingress',
				dstport: 5432,
				'tcp-flags': 2,
			});
		}
	});
});

describe('nacl-return-inbound', () => {
	it("rejects exactly the app tier's answers entering the web servers", () => {
		const refused = incidentRejects(recordsIn('nacl-return-inbound'));
		expect(new Set(refused.map(record => record.eni))).toEqual(new Set([ENI.web1, ENI.web2]));
		for (const record of refused) {
			expect(record.values).toMatchObject({'flow-direction': 'ingress', srcport: 8080});
			expect(record.truth.rejectedBy).toMatchObject({
				layer: 'network-acl',
				aclId: ACL.web,
				direction: 'inbound',
				rule: '*',
			});
		}
	});

	it('still serves the ALB: port 80 has its own rule', () => {
		const fromAlb = flows(recordsIn('nacl-return-inbound')).filter(
			record => record.eni === ENI.web1 && record.values.dstport === 80,
		);
		expect(fromAlb.length).toBeGreaterThan(0);
		expect(rejects(fromAlb)).toEqual([]);
	});
});

describe('sg-missing-rule', () => {
	const records = flows(recordsIn('sg-missing-rule'));

	it("rejects the app tier's requests once, at the database, by its security group", () => {
		const refused = incidentRejects(records);
		expect(refused.length).toBeGreaterThan(20);
		for (const record of refused) {
			expect(record.eni).toBe(ENI.db);
			expect(record.values).toMatchObject({'flow-direction': 'ingress', dstport: 5432});
			expect([ENI.app1, ENI.app2].map(id => DEFAULT_VPC.interfaces.find(eni => eni.id === id)!.privateIp)).toContain(
				record.values.srcaddr,
			);
			expect(record.truth.rejectedBy).toMatchObject({layer: 'security-group', groupIds: [SG.db]});
			// The client logged the request leaving, and nothing came back.
			const onClient = records.filter(other => other.eni !== ENI.db && sameConnection(other, record));
			expect(onClient.map(other => [other.values['flow-direction'], other.values.action])).toEqual([
				['egress', 'ACCEPT'],
			]);
		}
	});

	it('leaves the backup job, which has its own rule, alone', () => {
		expect(
			records.some(
				record =>
					record.eni === ENI.db && record.truth.workload === 'backup-from-db' && record.values.action === 'ACCEPT',
			),
		).toBe(true);
	});
});

describe('sg-egress-missing', () => {
	it('rejects HTTPS leaving the app servers, by their security group, whether to the NAT gateway or the endpoint', () => {
		const refused = incidentRejects(recordsIn('sg-egress-missing'));
		expect(new Set(refused.map(record => record.eni))).toEqual(new Set([ENI.app1, ENI.app2]));
		expect(new Set(refused.map(record => record.truth.workload))).toEqual(
			new Set(['app-to-payments', 'app-to-secrets']),
		);
		for (const record of refused) {
			expect(record.values).toMatchObject({'flow-direction': 'egress', dstport: 443});
			expect(record.truth.rejectedBy).toMatchObject({layer: 'security-group', direction: 'outbound'});
		}
	});
});

describe('port-scan', () => {
	const probes = flows(recordsIn('port-scan')).filter(record => record.truth.workload === 'port-scan');

	it('probes the bastion from one address and one source port, REJECTed by the NACL below 1024 and the security group above', () => {
		const requests = probes.filter(record => record.truth.leg === 'request');
		expect(new Set(requests.map(record => `${record.eni} ${record.values.srcaddr}`))).toEqual(
			new Set([`${ENI.bastion} ${OUTSIDE.scanner}`]),
		);
		const layers = (low: boolean) =>
			new Set(
				rejects(requests)
					.filter(record => (record.values.dstport as number) < 1024 === low)
					.map(record => record.truth.rejectedBy?.layer),
			);
		expect(layers(true)).toContain('network-acl');
		expect(layers(false)).toEqual(new Set(['security-group']));
	});

	it('gets an answer only from SSH', () => {
		const answered = probes.filter(record => record.truth.leg === 'response');
		expect(new Set(answered.map(record => record.values.srcport))).toEqual(new Set([22]));
	});
});

describe('nat-unsolicited', () => {
	it('ACCEPTs the knocks at the NAT interface and sends nothing on', () => {
		const knocks = flows(recordsIn('nat-unsolicited')).filter(record => record.truth.workload === 'nat-unsolicited');
		expect(knocks.length).toBeGreaterThan(50);
		for (const knock of knocks) {
			expect(knock.eni).toBe(ENI.nat);
			expect(knock.values).toMatchObject({
				action: 'ACCEPT',
				'flow-direction': 'ingress',
				dstaddr: '10.0.0.220',
				'pkt-dstaddr': '10.0.0.220',
			});
			expect(knock.values['instance-id']).toBeUndefined();
		}
	});

	it('rejects none of the knocks', () => {
		expect(incidentRejects(recordsIn('nat-unsolicited'))).toEqual([]);
	});
});

describe('ssh-brute-force', () => {
	it('ACCEPTs every attempt: the surge is the only sign', () => {
		expect(incidentRejects(recordsIn('ssh-brute-force'))).toEqual([]);
		const attempts = flows(recordsIn('ssh-brute-force')).filter(
			record => record.truth.workload === 'ssh-brute-force' && record.truth.leg === 'request',
		);
		expect(new Set(attempts.map(record => record.values.srcaddr)).size).toBe(25);
	});
});

describe('misconfigured-client', () => {
	it("rejects only the checker, on both load balancer interfaces, by the ALB's security group", () => {
		const refused = incidentRejects(recordsIn('misconfigured-client'));
		expect(new Set(refused.map(record => `${record.eni} ${record.values.srcaddr} ${record.values.dstport}`))).toEqual(
			new Set([`${ENI.albA} ${OUTSIDE.misconfiguredChecker} 8443`, `${ENI.albB} ${OUTSIDE.misconfiguredChecker} 8443`]),
		);
		expect(new Set(refused.map(record => record.truth.rejectedBy?.layer))).toEqual(new Set(['security-group']));
	});
});

describe('NAT gateway records in every scenario', () => {
	it('carry the instance and the remote host in pkt-* while srcaddr/dstaddr show the NAT interface', () => {
		const natFlows = flows(recordsIn('healthy')).filter(record => record.eni === ENI.nat);
		const forwarded = natFlows.filter(
			record =>
				record.values['pkt-srcaddr'] !== record.values.srcaddr ||
				record.values['pkt-dstaddr'] !== record.values.dstaddr,
		);
		expect(forwarded.length).toBeGreaterThan(natFlows.length / 3);
		for (const record of forwarded) {
			// Either the instance's request arriving (dstaddr is the NAT, pkt-dstaddr the remote host) or the answer leaving for the instance.
			const toNat = record.values.dstaddr === '10.0.0.220';
			expect(toNat ? isPrivate(record.values['pkt-dstaddr']) : isPrivate(record.values['pkt-srcaddr'])).toBe(false);
			expect(record.values['interface-type']).toBe('nat_gateway');
		}
	});
});

describe('peering-blackhole', () => {
	const records = flows(recordsIn('peering-blackhole'));
	const tries = records.filter(record => record.truth.workload === 'replica-reporting');

	it('lets the SYNs out of app-1 over the peering route, retried, and nothing ever answers', () => {
		expect(tries.length).toBeGreaterThan(10);
		for (const record of tries) {
			expect(record.eni).toBe(ENI.app1);
			expect(record.truth).toMatchObject({leg: 'request', outcome: 'unanswered'});
			expect(record.values).toMatchObject({
				action: 'ACCEPT',
				'flow-direction': 'egress',
				dstaddr: OUTSIDE.replica,
				dstport: 5432,
				'tcp-flags': 2,
				packets: 3,
				'traffic-path': 4,
			});
		}

		expect(records.some(record => record.values.srcaddr === OUTSIDE.replica)).toBe(false);
		expect(incidentRejects(recordsIn('peering-blackhole'))).toEqual([]);
	});
});

describe('skipped-records', () => {
	it("writes a SKIPDATA record for the backup interface every minute, and about half of that interface's records are gone", () => {
		const batches = batchesOf('skipped-records');
		for (const batch of batches) {
			expect(
				batch.records.filter(record => record.values['log-status'] === 'SKIPDATA').map(record => record.eni),
			).toEqual([ENI.backup]);
		}

		const backup = (name: string) => recordsIn(name).filter(record => record.eni === ENI.backup).length;
		expect(backup('skipped-records')).toBeLessThan(backup('healthy') * 0.8);
		expect(backup('skipped-records')).toBeGreaterThan(backup('healthy') * 0.2);
	});
});
