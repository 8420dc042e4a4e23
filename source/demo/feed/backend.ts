import {type Endpoint, type EndpointLimits, startEndpoint} from '../endpoint/endpoint.js';
import {REGION} from '../endpoint/account.js';
import type {FlowFormat} from '../../flowlog/format.js';
import type {Timing} from '../../clock.js';
import {VpcSimulator} from '../vpc/simulator.js';
import {DEMO_FORMAT} from './demo-format.js';
import {DemoFeed, type DeliveryDelay} from './feed.js';

export interface DemoBackendOptions {
	/** The demo's time: the simulator, the endpoint and the feed all read and wait on it. */
	readonly timing: Timing;
	readonly scenario?: string | undefined;
	readonly seed?: number | undefined;
	/** `--rate`: records a second in all, a crowd of internet clients on top of the scenario's traffic. */
	readonly rate?: number | undefined;
	/** History delivered before the first poll: the window, so the panes are full from the start. */
	readonly historyMs: number;
	readonly format?: FlowFormat | undefined;
	readonly delivery?: DeliveryDelay | undefined;
	/** 0 picks a free port. */
	readonly port?: number;
	readonly limits?: Partial<EndpointLimits> | undefined;
	/** Its EC2 API refuses every call, as for a caller without the ec2:Describe* permissions. */
	readonly ec2Denied?: boolean | undefined;
}

/** What the demo runs behind the poller: a local CloudWatch Logs endpoint fed by a simulated VPC, which also answers EC2's describe calls. */
export interface DemoBackend {
	readonly endpoint: Endpoint;
	readonly simulator: VpcSimulator;
	readonly feed: DemoFeed;
	readonly region: string;
	/** Stops the feed and the endpoint. */
	close(): Promise<void>;
}

const BUSY_RETENTION_SLACK_MS = 5 * 60_000;

/** The fixed credentials the demo's clients sign with: the endpoint accepts any. */
export const DEMO_CREDENTIALS = {accessKeyId: 'flowtop-demo', secretAccessKey: 'flowtop-demo'};

export async function startDemoBackend(options: DemoBackendOptions): Promise<DemoBackend> {
	const {timing} = options;
	const simulator = new VpcSimulator({
		clock: timing.now,
		seed: options.seed,
		scenario: options.scenario,
		historyMs: options.historyMs,
		recordsPerSecond: options.rate,
	});
	const endpoint = await startEndpoint({
		clock: timing.now,
		port: options.port ?? 0,
		// Queries run on their own, as the service's do: what a poller waits between calls, they run.
		limits: {runsUnpolled: true, ...options.limits},
		ec2: {model: () => simulator.configuration(), denied: () => options.ec2Denied ?? false},
	});
	const feed = new DemoFeed({
		store: endpoint.store,
		simulator,
		clock: timing.now,
		format: options.format ?? DEMO_FORMAT,
		delivery: options.delivery,
		seed: options.seed,
		// A busy VPC keeps the window and a few minutes more: two hours of 2,000 records a second would not fit.
		...(options.rate === undefined ? {} : {retentionMs: options.historyMs + BUSY_RETENTION_SLACK_MS}),
	});
	const stop = new AbortController();
	// run() delivers the history before its first wait, so it is in the store when this returns.
	const feeding = feed.run(timing, stop.signal);
	return {
		endpoint,
		simulator,
		feed,
		region: REGION,
		async close() {
			stop.abort();
			await feeding;
			await endpoint.close();
		},
	};
}
