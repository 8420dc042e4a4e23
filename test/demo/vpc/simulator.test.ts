import {describe, expect, it} from 'vitest';
import {ENI, S3_PREFIX} from '../../../source/demo/vpc/default-vpc.js';
import {inCidr} from '../../../source/vpc/address.js';
import {CAPTURE_WINDOW_MS} from '../../../source/demo/vpc/simulator.js';
import {BASELINE_WORKLOADS} from '../../../source/demo/vpc/baseline-traffic.js';
import {DEFAULT_VPC} from '../../../source/demo/vpc/default-vpc.js';
import {Internet} from '../../../source/demo/vpc/internet.js';
import {Random} from '../../../source/demo/vpc/random.js';
import {Vpc} from '../../../source/demo/vpc/vpc.js';
import {WorkloadContext} from '../../../source/demo/vpc/workload.js';
import type {FlowTruth, SimulatedRecord} from '../../../source/demo/vpc/flow-record.js';
import {history, isNoise, MINUTE, recordsOf, simulator} from './simulate.js';

const at = (hh: number, mm: number) => Date.UTC(2026, 2, 1, hh, mm, 0);

describe("the simulator's clock", () => {
	it('returns a capture window only once it has closed', () => {
		const {clock, simulation} = simulator();
		expect(simulation.step()).toEqual([]);
		clock.advance(39_999);
		expect(simulation.step()).toEqual([]);
		expect(simulation.nextWindowEnd()).toBe(at(9, 1));
		clock.advance(1);
		const batches = simulation.step();
		expect(batches.map(batch => [batch.windowStart, batch.windowEnd])).toEqual([[at(9, 0), at(9, 1)]]);
		expect(simulation.step()).toEqual([]);
	});

	it('pre-fills the recent past in the first step, window after window', () => {
		const batches = history('healthy', 15);
		expect(batches).toHaveLength(15);
		expect(batches[0]!.windowStart).toBe(at(8, 45));
		expect(batches.at(-1)!.windowEnd).toBe(at(9, 0));
		for (const [i, batch] of batches.entries()) {
			expect(batch.windowEnd - batch.windowStart).toBe(CAPTURE_WINDOW_MS);
			expect(batch.windowStart).toBe(batches[0]!.windowStart + i * CAPTURE_WINDOW_MS);
		}
	});

	it("keeps every record's start and end inside its window", () => {
		for (const batch of history('healthy', 5)) {
			for (const {values} of batch.records) {
				expect(values.start).toBeGreaterThanOrEqual(batch.windowStart / 1000);
				expect(values.end).toBeGreaterThanOrEqual(values.start as number);
				expect(values.end).toBeLessThan(batch.windowEnd / 1000);
			}
		}
	});

	it('catches up on several windows at once when the clock jumps', () => {
		const {clock, simulation} = simulator();
		clock.advance(5 * MINUTE);
		expect(simulation.step().map(batch => batch.windowStart)).toEqual([
			at(9, 0),
			at(9, 1),
			at(9, 2),
			at(9, 3),
			at(9, 4),
		]);
	});
});

describe('determinism', () => {
	it('gives the same records for the same seed', () => {
		expect(history('port-scan', 3)).toEqual(history('port-scan', 3));
	});

	it('gives other records for another seed', () => {
		expect(history('healthy', 3, {seed: 1})).not.toEqual(history('healthy', 3, {seed: 2}));
	});

	it('does not depend on how the time is stepped through', () => {
		const {clock, simulation} = simulator();
		const stepped = [];
		for (let minute = 0; minute < 4; minute++) {
			clock.advance(MINUTE);
			stepped.push(...simulation.step());
		}

		const {clock: other, simulation: atOnce} = simulator();
		other.advance(4 * MINUTE);
		expect(atOnce.step()).toEqual(stepped);
	});
});

describe('the healthy VPC', () => {
	const batches = history('healthy', 15);
	const records = recordsOf(batches);

	it('logs a few hundred records a minute', () => {
		const perMinute = records.length / batches.length;
		expect(perMinute).toBeGreaterThan(150);
		expect(perMinute).toBeLessThan(600);
		expect(recordsOf(history('healthy', 15, {rate: 0.5})).length).toBeLessThan(records.length * 0.8);
	});

	it("rejects only everyday noise: late replies at the app servers' security group, and strangers at the public interfaces", () => {
		const refused = records.filter(
			(record): record is SimulatedRecord & {truth: FlowTruth} =>
				record.truth.kind === 'flow' && record.values.action === 'REJECT',
		);
		const late = refused.filter(record => record.truth.leg === 'late-reply');
		const scans = refused.filter(record => record.truth.workload === 'internet-background');
		expect(late.length).toBeGreaterThan(0);
		expect(scans.length).toBeGreaterThan(10);
		expect(late.length + scans.length).toBe(refused.length);
		for (const record of late) {
			expect([ENI.app1, ENI.app2]).toContain(record.eni);
			expect(['app-to-payments', 'dns']).toContain(record.truth.workload);
			expect(record.truth.rejectedBy).toMatchObject({layer: 'security-group', direction: 'inbound'});
			expect(record.values).toMatchObject({'flow-direction': 'ingress', packets: 1});
			expect([443, 53]).toContain(record.values.srcport);
		}

		for (const record of scans) {
			expect([ENI.albA, ENI.albB, ENI.bastion, ENI.nat]).toContain(record.eni);
			expect(record.truth.leg).toBe('request');
			expect(record.values['flow-direction']).toBe('ingress');
			expect(String(record.values.srcaddr)).not.toMatch(/^10\./);
		}
	});

	it('ends about one payment API call in a hundred with a late FIN or RST, and a DNS answer now and then comes late', () => {
		const vpc = new Vpc(DEFAULT_VPC);
		const internet = new Internet(42);
		const lateShare = (name: string) => {
			const workload = BASELINE_WORKLOADS.find(candidate => candidate.name === name)!;
			const connections = Array.from({length: 400}, (_, window) =>
				workload.generate(
					new WorkloadContext(
						name,
						vpc,
						internet,
						Random.stream(42, window),
						window * MINUTE,
						(window + 1) * MINUTE,
						1,
					),
				),
			).flat();
			return connections.filter(connection => connection.lateReply).length / connections.length;
		};
		expect(lateShare('app-to-payments')).toBeGreaterThan(0.005);
		expect(lateShare('app-to-payments')).toBeLessThan(0.02);
		expect(lateShare('dns')).toBeGreaterThan(0.01);
		expect(lateShare('dns')).toBeLessThan(0.06);
	});

	it("logs a late reply as one packet, after the connection's own records, refused coming in", () => {
		const late = records.filter(
			(record): record is SimulatedRecord & {truth: FlowTruth} =>
				record.truth.kind === 'flow' && record.truth.leg === 'late-reply' && record.eni !== ENI.nat,
		);
		expect(late.length).toBeGreaterThan(0);
		for (const record of late) {
			expect(record.values).toMatchObject({action: 'REJECT', packets: 1});
			expect(record.values['tcp-flags']).toEqual(record.values.protocol === 6 ? expect.toBeOneOf([1, 4]) : 0);
			const response = records.find(
				other =>
					other.truth.kind === 'flow' &&
					other.truth.leg === 'response' &&
					other.eni === record.eni &&
					other.truth.connections.includes(record.truth.connections[0]!),
			);
			expect(response!.values.end as number).toBeLessThanOrEqual(record.values.start as number);
		}
	});

	it('logs NODATA now and then, only for interfaces idle in that window', () => {
		const noData = batches.flatMap(batch =>
			batch.records.filter(record => record.values['log-status'] === 'NODATA').map(record => ({batch, record})),
		);
		expect(noData.length).toBeGreaterThan(0);
		expect(noData.length).toBeLessThan(batches.length * 3);
		for (const {batch, record} of noData) {
			expect(batch.records.filter(other => other.eni === record.eni)).toEqual([record]);
			expect(record.truth).toEqual({kind: 'nodata', scenario: 'healthy'});
			expect(record.values['interface-id']).toBe(record.eni);
			expect([record.values.action, record.values.srcaddr, record.values.packets]).toEqual([
				undefined,
				undefined,
				undefined,
			]);
		}
	});

	it('opens connections from realistic ephemeral ports: Linux for instances, the full range for the NAT gateway', () => {
		const requests = records.filter(record => record.truth.kind === 'flow' && record.truth.leg === 'request');
		const instanceClients = requests.filter(
			record =>
				record.values['flow-direction'] === 'egress' &&
				record.values['interface-type'] === 'interface' &&
				record.values.srcport !== 0,
		);
		expect(instanceClients.length).toBeGreaterThan(100);
		for (const record of instanceClients) {
			expect(record.values.srcport).toBeGreaterThanOrEqual(32_768);
			expect(record.values.srcport).toBeLessThanOrEqual(60_999);
		}

		const natPorts = requests
			.filter(record => record.eni === ENI.nat && record.values['flow-direction'] === 'egress')
			.map(record => record.values.srcport as number);
		expect(natPorts.length).toBeGreaterThan(20);
		expect(Math.min(...natPorts)).toBeGreaterThanOrEqual(1024);
		expect(natPorts.some(port => port < 32_768)).toBe(true);
	});

	it('has one heavy talker: the backup job moves most of the bytes', () => {
		const bytes = (list: typeof records) =>
			list.reduce((sum, record) => sum + ((record.values.bytes as number | undefined) ?? 0), 0);
		expect(bytes(records.filter(record => record.eni === ENI.backup))).toBeGreaterThan(bytes(records) * 0.4);
		const s3 = records.filter(record => record.eni === ENI.backup && inCidr(String(record.values.dstaddr), S3_PREFIX));
		// Through the S3 gateway endpoint: traffic-path 7 and the service named.
		expect(s3[0]!.values).toMatchObject({'traffic-path': 7, 'pkt-dst-aws-service': 'S3'});
	});

	it('sends customers to the load balancer over IPv6 as well', () => {
		expect(records.some(record => record.eni === ENI.albA && record.values.type === 'IPv6')).toBe(true);
	});
});

describe('switching scenarios', () => {
	it('changes what connections meet from the moment of the switch', () => {
		const {clock, simulation} = simulator({historyMs: 5 * MINUTE});
		clock.advance(40_000); // 9:01:00
		simulation.setScenario('sg-missing-rule');
		expect(simulation.scenario.name).toBe('sg-missing-rule');
		clock.advance(5 * MINUTE);
		const batches = simulation.step();
		const before = recordsOf(batches.filter(batch => batch.windowEnd <= at(9, 1)));
		const after = recordsOf(batches.filter(batch => batch.windowStart >= at(9, 1)));
		expect(before.length).toBeGreaterThan(0);
		expect(before.some(record => record.values.action === 'REJECT' && !isNoise(record))).toBe(false);
		expect(after.filter(record => record.values.action === 'REJECT').length).toBeGreaterThan(5);
		expect(new Set(after.map(record => record.truth.scenario))).toEqual(new Set(['sg-missing-rule']));
		expect(simulation.expectedFindings()).toEqual([
			{kind: 'inbound-rejected', eni: ENI.db, direction: 'inbound', port: 5432},
		]);
	});

	it('switches mid-window: connections that began earlier met the old rules', () => {
		const {clock, simulation} = simulator();
		clock.advance(10_000); // 9:00:30
		simulation.setScenario('sg-missing-rule');
		clock.advance(MINUTE);
		const [batch] = simulation.step();
		const switchedAt = Date.UTC(2026, 2, 1, 9, 0, 30) / 1000;
		for (const record of batch!.records) {
			if (record.truth.kind === 'flow' && record.values.action === 'REJECT' && !isNoise(record)) {
				expect(record.values.start).toBeGreaterThanOrEqual(switchedAt);
			}
		}
	});

	it('keeps the baseline traffic itself the same: only its fate changes', () => {
		const requestsTo = (scenario: string) =>
			recordsOf(history(scenario, 3))
				.filter(record => record.eni === ENI.db && record.truth.kind === 'flow' && record.truth.leg === 'request')
				.map(record => [record.values.srcaddr, record.values.srcport, record.values.start]);
		expect(requestsTo('sg-missing-rule')).toEqual(requestsTo('healthy'));
	});

	it('refuses an unknown scenario, naming the known ones', () => {
		expect(() => simulator().simulation.setScenario('meltdown')).toThrow(/unknown scenario "meltdown".*healthy/);
	});
});

describe('interfaces', () => {
	const {simulation} = simulator();
	const interfaces = simulation.interfaces();

	it('describe every interface that logs, with its CloudWatch Logs stream', () => {
		const recorded = new Set(recordsOf(history('healthy', 10)).map(record => record.eni));
		expect(new Set(interfaces.map(info => info.eni))).toEqual(recorded);
		for (const info of interfaces) {
			expect(info.eni).toMatch(/^eni-[\da-f]{17}$/);
			expect(info.logStream).toBe(`${info.eni}-all`);
		}
	});

	it('leave instance-id out for requester-managed interfaces', () => {
		const byName = new Map(interfaces.map(info => [info.name, info]));
		expect(byName.get('nat')).toMatchObject({
			kind: 'nat-gateway',
			interfaceType: 'nat_gateway',
			publicIp: '44.207.13.85',
		});
		expect(byName.get('nat')?.instanceId).toBeUndefined();
		expect(byName.get('alb-a')?.instanceId).toBeUndefined();
		expect(byName.get('web-1')?.instanceId).toMatch(/^i-[\da-f]{17}$/);
	});
});
