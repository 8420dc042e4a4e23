import type {Direction} from '../net/direction.js';

export type Action = 'ACCEPT' | 'REJECT';
export type LogStatus = 'OK' | 'NODATA' | 'SKIPDATA';

/**
 * One flow-log record, reduced to what the engine and the diagnosis read. Anything the record's
 * format does not carry, or carries as `-`, is undefined. The full field map of a line (for
 * `--ndjson`) comes from the parser's `fields()`, not from here.
 */
export interface FlowRecord {
	status: LogStatus;
	eni: string | undefined;
	account: string | undefined;
	src: string | undefined;
	dst: string | undefined;
	srcPort: number | undefined;
	dstPort: number | undefined;
	protocol: number | undefined;
	packets: number | undefined;
	bytes: number | undefined;
	/** Unix seconds. */
	start: number | undefined;
	/** Unix seconds. */
	end: number | undefined;
	action: Action | undefined;
	/** v5 `flow-direction`; otherwise the engine infers it from the interface's own address. */
	direction: Direction | undefined;
	tcpFlags: number | undefined;
	vpcId: string | undefined;
	subnetId: string | undefined;
	instanceId: string | undefined;
	pktSrc: string | undefined;
	pktDst: string | undefined;
	/** v11 `interface-type` (`nat_gateway`, ...), when the format carries it. */
	interfaceType: string | undefined;
	/** v8 `reject-reason` of a REJECT: `BPA` when VPC Block Public Access refused it, not a security group or NACL. */
	rejectReason: string | undefined;
}

export function emptyRecord(): FlowRecord {
	return {
		status: 'OK',
		eni: undefined,
		account: undefined,
		src: undefined,
		dst: undefined,
		srcPort: undefined,
		dstPort: undefined,
		protocol: undefined,
		packets: undefined,
		bytes: undefined,
		start: undefined,
		end: undefined,
		action: undefined,
		direction: undefined,
		tcpFlags: undefined,
		vpcId: undefined,
		subnetId: undefined,
		instanceId: undefined,
		pktSrc: undefined,
		pktDst: undefined,
		interfaceType: undefined,
		rejectReason: undefined,
	};
}
