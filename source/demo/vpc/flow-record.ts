import type {FieldValues} from '../../flowlog/format.js';
import type {Outcome} from './connection.js';
import type {Check, RecordLeg} from './evaluation.js';
import {interfaceType, type NetworkInterface, type Vpc} from './vpc.js';

/** Ground truth for a traffic record: why it says what it says. Kept beside the record, never in it. */
export interface FlowTruth {
	readonly kind: 'flow';
	/** The scenario in force when the connection began. */
	readonly scenario: string;
	/** The traffic generator that asked for the connection (`alb-to-web`, `port-scan`, ...). */
	readonly workload: string;
	/** Connections aggregated into this record (AWS merges equal 5-tuples within a window). */
	readonly connections: readonly string[];
	readonly leg: RecordLeg;
	readonly outcome: Outcome;
	/** What the connection was for: protocol and the server's port (0 for ICMP). */
	readonly service: {readonly protocol: number; readonly port: number};
	/** The checks on this interface's side, in order; for a REJECT the last one is `rejectedBy`. */
	readonly checks: readonly Check[];
	readonly rejectedBy?: Check;
}

export interface NoDataTruth {
	readonly kind: 'nodata' | 'skipdata';
	readonly scenario: string;
}

export type RecordTruth = FlowTruth | NoDataTruth;

/** One flow-log record: the field values (by AWS field name), its interface and its ground truth. */
export interface SimulatedRecord {
	/** Every field up to v5 plus `interface-type`; absent ones undefined. No `version`: see flowLine. */
	readonly values: FieldValues;
	readonly eni: string;
	readonly truth: RecordTruth;
}

/** The fields that describe the interface rather than the traffic. */
export function interfaceValues(vpc: Vpc, eni: NetworkInterface): Record<string, string | undefined> {
	const subnet = vpc.subnetOf(eni);
	return {
		'account-id': vpc.model.accountId,
		'interface-id': eni.id,
		'vpc-id': vpc.model.id,
		'subnet-id': subnet.id,
		'instance-id': eni.instanceId,
		region: vpc.model.region,
		'az-id': subnet.azId,
		'interface-type': interfaceType(eni.kind),
	};
}

export function noDataValues(
	vpc: Vpc,
	eni: NetworkInterface,
	windowStart: number,
	windowEnd: number,
	status: 'NODATA' | 'SKIPDATA' = 'NODATA',
): FieldValues {
	return {
		...interfaceValues(vpc, eni),
		start: Math.floor(windowStart / 1000),
		// The last whole second inside the window.
		end: Math.ceil(windowEnd / 1000) - 1,
		'log-status': status,
	};
}
