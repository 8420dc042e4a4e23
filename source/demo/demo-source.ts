import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import type {ModeSetting} from '../sources/insights/query-mode.js';
import {realTiming, ScaledClock, type Timing} from '../clock.js';
import type {Config, SourceConfig} from '../config.js';
import {debugWriter} from '../debug-log.js';
import type {Filter} from '../engine/filter.js';
import {FlowLogDecoder, type ParseStats} from '../flowlog/decoder.js';
import type {FlowFormat} from '../flowlog/format.js';
import {createLogsClient, type LogsClientOptions} from '../sources/insights/client.js';
import {InsightsPoller} from '../sources/insights/poller.js';
import type {RecordSource, SourceListener} from '../sources/source.js';
import type {EndpointLimits} from './endpoint/endpoint.js';
import {type DemoBackend, DEMO_CREDENTIALS, startDemoBackend} from './feed/backend.js';
import {DEMO_FORMAT} from './feed/demo-format.js';
import {DEMO_LOG_GROUP, type DeliveryDelay} from './feed/feed.js';
import {scenarioNamed, SCENARIOS} from './vpc/scenarios.js';

export interface DemoScenarioInfo {
	readonly name: string;
	readonly title: string;
	readonly description: string;
}

export interface DemoSourceOptions {
	readonly scenario?: string | undefined;
	readonly seed?: number | undefined;
	/** `--rate`: records a second in all. */
	readonly rate?: number | undefined;
	/** How many times faster than the wall the demo's time runs. */
	readonly speed?: number;
	/** The view's window: also how much history is there at the start. Infinity counts as 15 minutes. */
	readonly windowMs: number;
	/** The format the simulated flow log writes (and the poller parses); the demo's custom v5 by default. */
	readonly format?: FlowFormat | undefined;
	/** The demo's time; wall time sped up by `speed` unless a test drives it. */
	readonly timing?: Timing;
	readonly delivery?: DeliveryDelay | undefined;
	readonly intervalMs?: number;
	readonly limits?: Partial<EndpointLimits> | undefined;
	readonly random?: (() => number) | undefined;
	/** Its EC2 API refuses every call, as for a caller without the ec2:Describe* permissions. */
	readonly ec2Denied?: boolean | undefined;
	/** `--mode`: raw records unless told. */
	readonly mode?: ModeSetting | undefined;
	/** Aggregate mode: the entries of each list that are exact (`--top` with `--once`). */
	readonly top?: number | undefined;
	/** The view's filter to begin with (`--filter`). */
	readonly filter?: Filter | undefined;
	/** `--debug`: the poller's lines about each poll. */
	readonly debug?: ((line: string) => void) | undefined;
	/** `--budget`: what the demo's polls may cost, priced as the real service would charge. */
	readonly budget?: {readonly dollarsPerHour: number; readonly pricePerGb: number} | undefined;
}

const DEFAULT_HISTORY_MS = 15 * 60_000;
const DEFAULT_INTERVAL_MS = 5000;
/** However fast the demo runs, no more than two polls a second of wall time. */
const MIN_WALL_INTERVAL_MS = 500;

export const DEMO_SCENARIOS: readonly DemoScenarioInfo[] = SCENARIOS.map(({name, title, description}) => ({
	name,
	title,
	description,
}));

/** The demo's timing: wall time, sped up. */
export function demoTiming(speed: number): Timing {
	return realTiming(new ScaledClock(speed, Date.now()).now, speed);
}

/**
 * `--demo`: a simulated VPC behind a local CloudWatch Logs endpoint, watched through the very same
 * Insights poller and SDK client as a real log group. Also what the live view's scenario key drives.
 */
export class DemoSource implements RecordSource {
	readonly label = DEMO_LOG_GROUP;
	readonly scenarios = DEMO_SCENARIOS;
	private readonly decoder: FlowLogDecoder;
	private readonly timing: Timing;
	private scenario: string;
	private backend: DemoBackend | undefined;
	private poller: InsightsPoller | undefined;
	private filter: Filter | undefined;
	private natGateways: readonly string[] | undefined;
	private client: CloudWatchLogsClient | undefined;
	private starting: Promise<void> | undefined;
	private stopping: Promise<void> | undefined;
	private announceAccess: ((access: LogsClientOptions) => void) | undefined;
	private readonly access = new Promise<LogsClientOptions>(resolve => {
		this.announceAccess = resolve;
	});

	/** The demo as the flags describe it. */
	static fromConfig(config: Config, source: Extract<SourceConfig, {kind: 'demo'}>): DemoSource {
		return new DemoSource({
			scenario: source.scenario,
			seed: source.seed,
			rate: source.rate,
			speed: source.speed,
			windowMs: config.windowSeconds * 1000,
			format: config.format,
			mode: config.queryMode,
			top: config.mode === 'once' ? config.top : undefined,
			filter: config.filter,
			debug: debugWriter(config.debugLog),
			budget: {dollarsPerHour: config.budgetPerHour, pricePerGb: config.pricePerGb},
		});
	}

	constructor(private readonly options: DemoSourceOptions) {
		this.filter = options.filter;
		this.decoder = new FlowLogDecoder(options.format ?? DEMO_FORMAT);
		this.timing = options.timing ?? demoTiming(options.speed ?? 1);
		this.scenario = scenarioNamed(options.scenario ?? 'healthy').name;
	}

	get stats(): ParseStats {
		return this.decoder.stats;
	}

	/** How to reach the demo's AWS APIs (CloudWatch Logs and EC2), once it has started. */
	async awsAccess(): Promise<LogsClientOptions> {
		return this.access;
	}

	/** The endpoint the poller reads, once started: what `--serve` would print. */
	get endpointUrl(): string | undefined {
		return this.backend?.endpoint.url;
	}

	current(): string {
		return this.scenario;
	}

	/** Break the simulated VPC another way, from now on. Throws RangeError for an unknown name. */
	setScenario(name: string): void {
		this.scenario = scenarioNamed(name).name;
		this.backend?.simulator.setScenario(name);
	}

	/** The view's filter, for the poller: it may not exist yet, and takes the latest when it does. */
	filterChanged(filter: Filter): void {
		this.filter = filter;
		this.poller?.filterChanged(filter);
	}

	/** The NAT gateways the simulated VPC's configuration names, for the poller, as the filter. */
	natGatewaysKnown(enis: readonly string[]): void {
		this.natGateways = enis;
		this.poller?.natGatewaysKnown(enis);
	}

	start(listener: SourceListener): void {
		listener.status({kind: 'starting'});
		this.starting ??= this.boot(listener).catch((error: unknown) => {
			listener.status({kind: 'error', message: `the demo could not start: ${(error as Error).message}`});
		});
	}

	/** Safe to call more than once (the UI and the signal path both stop the source): one shutdown, shared. */
	async stop(): Promise<void> {
		this.stopping ??= this.shutdown();
		return this.stopping;
	}

	private async shutdown(): Promise<void> {
		await this.starting;
		await this.poller?.stop();
		this.client?.destroy();
		await this.backend?.close();
	}

	/** `--demo --once`: the window as the poller finds it at the start. Throws a Problem as `--once` does. */
	async pollOnce(listener: SourceListener): Promise<InsightsPoller> {
		const poller = await this.prepare();
		await poller.pollOnce(listener);
		return poller;
	}

	private async boot(listener: SourceListener): Promise<void> {
		const poller = await this.prepare();
		if (!this.stopping) {
			poller.start(listener);
		}
	}

	private async prepare(): Promise<InsightsPoller> {
		const {options, timing} = this;
		const historyMs = Number.isFinite(options.windowMs) ? options.windowMs : DEFAULT_HISTORY_MS;
		this.backend = await startDemoBackend({
			timing,
			scenario: this.scenario,
			seed: options.seed,
			rate: options.rate,
			historyMs,
			format: this.decoder.format,
			delivery: options.delivery,
			limits: options.limits,
			ec2Denied: options.ec2Denied,
		});
		const {endpoint, region} = this.backend;
		const access = {endpoint: endpoint.url, region, credentials: DEMO_CREDENTIALS};
		this.announceAccess?.(access);
		this.client = createLogsClient(access);
		const speed = options.speed ?? 1;
		this.poller = new InsightsPoller({
			client: this.client,
			logGroups: [DEMO_LOG_GROUP],
			decoder: this.decoder,
			timing,
			intervalMs: options.intervalMs ?? Math.max(DEFAULT_INTERVAL_MS, speed * MIN_WALL_INTERVAL_MS),
			windowMs: historyMs,
			context: {logGroups: [DEMO_LOG_GROUP], endpoint: endpoint.url, region, profile: undefined},
			random: options.random,
			...(options.mode === undefined ? {} : {mode: options.mode}),
			...(options.top === undefined ? {} : {top: options.top}),
			...(this.filter === undefined ? {} : {filter: this.filter}),
			...(this.natGateways === undefined ? {} : {natGateways: Promise.resolve(this.natGateways)}),
			debug: options.debug,
			budget: options.budget,
		});
		return this.poller;
	}
}
