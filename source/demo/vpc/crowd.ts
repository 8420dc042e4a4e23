import {TCP} from '../../vpc/packet.js';
import {CaptureWindow} from './capture-window.js';
import {type Connection, observeConnection} from './connection.js';
import type {SimulatedRecord} from './flow-record.js';
import {ephemeralPort, type Internet, randomIpv4} from './internet.js';
import type {Random} from './random.js';
import type {Vpc} from './vpc.js';
import {WorkloadContext} from './workload.js';

/** Connections per window that go through the VPC for real; the crowd re-uses their verdicts. */
const SAMPLES = 48;
const LOAD_BALANCERS = ['alb-a', 'alb-b'];
const ADDRESS_FIELDS = ['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr'] as const;
const PORT_FIELDS = ['srcport', 'dstport'] as const;

interface Sample {
	readonly connection: Connection;
	readonly records: readonly SimulatedRecord[];
}

export interface CrowdWindow {
	readonly healthy: Vpc;
	/** The VPC as the scenario in force at a moment leaves it, and that scenario's name. */
	readonly vpcAt: (ms: number) => {readonly vpc: Vpc; readonly scenario: string};
	readonly internet: Internet;
	readonly random: Random;
	readonly windowStart: number;
	readonly windowEnd: number;
}

/**
 * The crowd a busy VPC's load balancers serve: HTTPS connections from the internet to the ALB
 * nodes, each from an address not seen before, as internet-facing traffic has (a distinct client
 * on nearly every record). `--demo --rate N` fills each window with it up to N records a second.
 *
 * Routing, security groups and NACLs are evaluated for real on a sample of connections per window,
 * under the scenario in force at each; the rest of the crowd copies a sample's records with its own
 * address, port and time. Every client of the crowd is a stranger on the internet, so whatever the
 * rules say to one of them they say to all: copying the verdict is what evaluating would give.
 */
export function crowdRecords(window: CrowdWindow, count: number): SimulatedRecord[] {
	const {random, windowStart, windowEnd} = window;
	const samples = sampleConnections(window).filter(sample => sample.records.length > 0);
	const records: SimulatedRecord[] = [];
	while (records.length < count && samples.length > 0) {
		const sample = random.pick(samples);
		const {connection} = sample;
		const address = randomIpv4(random);
		const port = ephemeralPort('linux', random);
		const latest = windowEnd - connection.durationMs - 1000;
		const shift = Math.floor(random.int(windowStart, latest) / 1000) - Math.floor(connection.at / 1000);
		const client = (connection.client as {address: string}).address;
		for (const record of sample.records) {
			if (records.length === count) {
				break;
			}

			const values = {...record.values};
			for (const field of ADDRESS_FIELDS) {
				if (values[field] === client) {
					values[field] = address;
				}
			}

			for (const field of PORT_FIELDS) {
				if (values[field] === connection.clientPort) {
					values[field] = port;
				}
			}

			values.start = Number(values.start) + shift;
			values.end = Number(values.end) + shift;
			records.push({eni: record.eni, values, truth: record.truth});
		}
	}

	return records;
}

function sampleConnections(window: CrowdWindow): Sample[] {
	const {healthy, internet, random, windowStart, windowEnd} = window;
	const context = new WorkloadContext('crowd', healthy, internet, random, windowStart, windowEnd, 1);
	return Array.from({length: SAMPLES}, () => {
		const connection = context.connect({
			client: {address: randomIpv4(random)},
			clientOs: 'linux',
			server: context.eni(random.pick(LOAD_BALANCERS)),
			protocol: TCP,
			serverPort: 443,
			durationMs: random.int(60, 4000),
			requestBytes: random.int(300, 2500),
			responseBytes: random.int(1500, 40_000),
		});
		const {vpc, scenario} = window.vpcAt(connection.at);
		const capture = new CaptureWindow(healthy, windowStart, windowEnd);
		for (const flow of observeConnection(vpc, connection).flows) {
			capture.add(flow, scenario);
		}

		return {connection, records: capture.records()};
	});
}
