import type {Clock} from '../../clock.js';
import {BASELINE_WORKLOADS} from './baseline-traffic.js';
import {CaptureWindow} from './capture-window.js';
import {observeConnection} from './connection.js';
import {crowdRecords} from './crowd.js';
import {noDataValues, type SimulatedRecord} from './flow-record.js';
import {Internet} from './internet.js';
import {hashName, Random} from './random.js';
import {type ExpectedFinding, type Scenario, SCENARIOS, scenarioNamed, scenarioVpc} from './scenarios.js';
import {type InterfaceKind, interfaceType, Vpc, type VpcModel} from './vpc.js';
import {type Workload, WorkloadContext} from './workload.js';

/** Nitro instances capture in windows of 60 s (or less): every window here is exactly that. */
export const CAPTURE_WINDOW_MS = 60_000;

export interface SimulatorOptions {
	readonly clock: Clock;
	/** Same seed, same clock readings, same scenario switches: same records. Default 1. */
	readonly seed?: number | undefined;
	/** Default `healthy`. */
	readonly scenario?: string | undefined;
	/**
	 * Pre-fill: windows that closed up to this long before the simulator was made come out of the
	 * first step(), so a UI has minutes of history within a second. Default 0.
	 */
	readonly historyMs?: number;
	/** Multiplier on baseline traffic volume (incident traffic is left as it is). Default 1. */
	readonly rate?: number;
	/**
	 * A busy VPC: each window carries this many records a second in all, the crowd of internet
	 * clients (crowd.ts) filling what the workloads leave. Unset: the workloads alone.
	 */
	readonly recordsPerSecond?: number | undefined;
	/** Chance that an idle interface logs a NODATA record for a window. Default 0.5. */
	readonly noDataProbability?: number;
}

/** The records of one closed capture window. */
export interface CaptureBatch {
	readonly windowStart: number;
	readonly windowEnd: number;
	/** By interface, then by first packet time. */
	readonly records: readonly SimulatedRecord[];
}

/** An interface as the demo's CloudWatch Logs side needs it: one log stream each. */
export interface InterfaceInfo {
	readonly eni: string;
	readonly name: string;
	readonly kind: InterfaceKind;
	readonly interfaceType: string;
	readonly description: string;
	readonly subnetId: string;
	readonly subnetName: string;
	readonly az: string;
	readonly azId: string;
	readonly privateIp: string;
	readonly ipv6?: string;
	readonly publicIp?: string;
	readonly instanceId?: string;
	readonly securityGroups: readonly string[];
	/** CloudWatch Logs stream AWS writes this interface's records to (`<eni>-all` for ALL traffic). */
	readonly logStream: string;
}

interface ScenarioChange {
	readonly from: number;
	readonly scenario: Scenario;
}

interface BoundWorkload {
	readonly workload: Workload;
	/** Only generates while this scenario is in force; baseline workloads always do. */
	readonly scenario?: Scenario | undefined;
}

const WORKLOADS: readonly BoundWorkload[] = [
	...BASELINE_WORKLOADS.map(workload => ({workload})),
	...SCENARIOS.flatMap(scenario => scenario.workloads.map(workload => ({workload, scenario}))),
];

function windowStartOf(ms: number): number {
	return Math.floor(ms / CAPTURE_WINDOW_MS) * CAPTURE_WINDOW_MS;
}

/**
 * A simulated VPC producing flow-log records. Driven by a Clock: step() closes every capture
 * window that has ended and returns its records. What a connection meets depends on the scenario
 * in force when it starts; setScenario() takes effect from the clock's present.
 */
export class VpcSimulator {
	private readonly clock: Clock;
	private readonly seed: number;
	private readonly rate: number;
	private readonly recordsPerSecond: number | undefined;
	private readonly noDataProbability: number;
	private readonly internet: Internet;
	private readonly vpcs = new Map<string, Vpc>();
	private readonly timeline: ScenarioChange[];
	private readonly healthy: Vpc;
	private cursor: number;

	constructor(options: SimulatorOptions) {
		this.clock = options.clock;
		this.seed = options.seed ?? 1;
		this.rate = options.rate ?? 1;
		this.recordsPerSecond = options.recordsPerSecond;
		this.noDataProbability = options.noDataProbability ?? 0.5;
		this.internet = new Internet(this.seed);
		this.timeline = [{from: Number.NEGATIVE_INFINITY, scenario: scenarioNamed(options.scenario ?? 'healthy')}];
		this.healthy = this.vpcFor(scenarioNamed('healthy'));
		this.cursor = windowStartOf(this.clock() - (options.historyMs ?? 0));
	}

	/** The scenario in force now. */
	get scenario(): Scenario {
		return this.scenarioAt(this.clock());
	}

	/** The VPC's configuration as the scenario in force now leaves it: what its EC2 API answers. */
	configuration(): VpcModel {
		return this.vpcFor(this.scenario).model;
	}

	/** What a correct diagnosis of the current scenario reports. */
	expectedFindings(): readonly ExpectedFinding[] {
		return this.scenario.expected;
	}

	/** Switch scenario from now on; windows already returned stay as they were. */
	setScenario(name: string): void {
		const scenario = scenarioNamed(name);
		const now = this.clock();
		// A later switch replaces any made for a moment still to come (a test stepping ahead of its clock).
		while (this.timeline.length > 1 && this.timeline.at(-1)!.from >= now) {
			this.timeline.pop();
		}

		this.timeline.push({from: now, scenario});
	}

	/** When the next capture window closes, and step() will have a batch for it. */
	nextWindowEnd(): number {
		return this.cursor + CAPTURE_WINDOW_MS;
	}

	/** Close every capture window that ends by `untilMs` (default: now), oldest first. */
	step(untilMs: number = this.clock()): CaptureBatch[] {
		const batches: CaptureBatch[] = [];
		while (this.cursor + CAPTURE_WINDOW_MS <= untilMs) {
			batches.push(this.captureWindow(this.cursor));
			this.cursor += CAPTURE_WINDOW_MS;
		}

		return batches;
	}

	interfaces(): InterfaceInfo[] {
		return this.healthy.model.interfaces.map(eni => {
			const subnet = this.healthy.subnetOf(eni);
			return {
				eni: eni.id,
				name: eni.name,
				kind: eni.kind,
				interfaceType: interfaceType(eni.kind),
				description: eni.description,
				subnetId: subnet.id,
				subnetName: subnet.name,
				az: subnet.az,
				azId: subnet.azId,
				privateIp: eni.privateIp,
				...(eni.ipv6 ? {ipv6: eni.ipv6} : {}),
				...(eni.publicIp ? {publicIp: eni.publicIp} : {}),
				...(eni.instanceId ? {instanceId: eni.instanceId} : {}),
				securityGroups: eni.securityGroups,
				logStream: `${eni.id}-all`,
			};
		});
	}

	private scenarioAt(ms: number): Scenario {
		let current = this.timeline[0]!.scenario;
		for (const change of this.timeline) {
			if (change.from <= ms) {
				current = change.scenario;
			}
		}

		return current;
	}

	private vpcFor(scenario: Scenario): Vpc {
		let vpc = this.vpcs.get(scenario.name);
		if (!vpc) {
			vpc = new Vpc(scenarioVpc(scenario));
			this.vpcs.set(scenario.name, vpc);
		}

		return vpc;
	}

	private inForceDuring(scenario: Scenario, start: number, end: number): boolean {
		return this.timeline.some((change, i) => {
			const until = this.timeline[i + 1]?.from ?? Number.POSITIVE_INFINITY;
			return change.scenario === scenario && change.from < end && until > start;
		});
	}

	private captureWindow(start: number): CaptureBatch {
		const end = start + CAPTURE_WINDOW_MS;
		const index = start / CAPTURE_WINDOW_MS;
		const capture = new CaptureWindow(this.healthy, start, end);
		for (const {workload, scenario} of WORKLOADS) {
			if (scenario && !this.inForceDuring(scenario, start, end)) {
				continue;
			}

			const random = Random.stream(this.seed, index, hashName(workload.name));
			const rate = scenario ? 1 : this.rate;
			const context = new WorkloadContext(workload.name, this.healthy, this.internet, random, start, end, rate);
			for (const connection of workload.generate(context)) {
				const inForce = this.scenarioAt(connection.at);
				if (scenario && inForce !== scenario) {
					continue;
				}

				for (const flow of observeConnection(this.vpcFor(inForce), connection).flows) {
					capture.add(flow, inForce.name);
				}
			}
		}

		const skipped = this.scenarioAt(start);
		let records = capture.records();
		const active = capture.active();
		if (skipped.skippedInterface) {
			const eni = this.healthy.interface(skipped.skippedInterface);
			const lost = Random.stream(this.seed, index, hashName('skipdata'));
			records = records.filter(record => record.eni !== eni.id || lost.chance(0.5));
			records.push({
				eni: eni.id,
				values: noDataValues(this.healthy, eni, start, end, 'SKIPDATA'),
				truth: {kind: 'skipdata', scenario: skipped.name},
			});
		}

		const random = Random.stream(this.seed, index, hashName('nodata'));
		for (const eni of this.healthy.model.interfaces) {
			if (!active.has(eni.id) && random.chance(this.noDataProbability)) {
				records.push({
					eni: eni.id,
					values: noDataValues(this.healthy, eni, start, end),
					truth: {kind: 'nodata', scenario: this.scenarioAt(start).name},
				});
			}
		}

		const wanted =
			this.recordsPerSecond === undefined
				? 0
				: Math.round((this.recordsPerSecond * CAPTURE_WINDOW_MS) / 1000) - records.length;
		if (wanted > 0) {
			const crowd = {
				healthy: this.healthy,
				vpcAt: (ms: number) => {
					const scenario = this.scenarioAt(ms);
					return {vpc: this.vpcFor(scenario), scenario: scenario.name};
				},
				internet: this.internet,
				random: Random.stream(this.seed, index, hashName('crowd')),
				windowStart: start,
				windowEnd: end,
			};
			for (const record of crowdRecords(crowd, wanted)) {
				records.push(record);
			}
		}

		records.sort((a, b) => (a.eni < b.eni ? -1 : a.eni > b.eni ? 1 : 0));
		return {windowStart: start, windowEnd: end, records};
	}
}
