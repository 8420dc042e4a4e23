import type {Direction} from '../net/direction.js';
import type {Action, FlowRecord, LogStatus} from './record.js';

/**
 * A batch of records as columns: what a reader fills (the text parser through add(), a columnar
 * file format column by column) and the store sums with FlowStore.addColumns(), with no object
 * per record. Numbers are typed arrays with a marker for absent (-1 for ports and protocol, which
 * are never negative; NaN for tcp-flags, counts and times); texts are strings, undefined when absent.
 */

export const STATUS_OK = 0;
export const STATUS_NODATA = 1;
export const STATUS_SKIPDATA = 2;
export const NO_ACTION = 0;
export const ACCEPT = 1;
export const REJECT = 2;
export const NO_DIRECTION = 0;
export const INBOUND = 1;
export const OUTBOUND = 2;

const TEXTS = [
	'eni',
	'account',
	'src',
	'dst',
	'vpcId',
	'subnetId',
	'instanceId',
	'pktSrc',
	'pktDst',
	'interfaceType',
	'rejectReason',
] as const;

export class FlowColumns {
	size = 0;
	/** Rows were added as `stats` rows, each standing for `records` records: record() says how many. */
	private aggregated = false;
	status: Uint8Array;
	action: Uint8Array;
	direction: Uint8Array;
	srcPort: Int32Array;
	dstPort: Int32Array;
	protocol: Int32Array;
	tcpFlags: Float64Array;
	packets: Float64Array;
	bytes: Float64Array;
	/** Unix seconds. */
	start: Float64Array;
	end: Float64Array;
	/** Records the row stands for: 1 for a record read, N for a row of a Logs Insights `stats` query. */
	records: Float64Array;
	readonly eni: Array<string | undefined> = [];
	readonly account: Array<string | undefined> = [];
	readonly src: Array<string | undefined> = [];
	readonly dst: Array<string | undefined> = [];
	readonly vpcId: Array<string | undefined> = [];
	readonly subnetId: Array<string | undefined> = [];
	readonly instanceId: Array<string | undefined> = [];
	readonly pktSrc: Array<string | undefined> = [];
	readonly pktDst: Array<string | undefined> = [];
	readonly interfaceType: Array<string | undefined> = [];
	readonly rejectReason: Array<string | undefined> = [];

	constructor(capacity = 1024) {
		this.status = new Uint8Array(capacity);
		this.action = new Uint8Array(capacity);
		this.direction = new Uint8Array(capacity);
		this.srcPort = new Int32Array(capacity);
		this.dstPort = new Int32Array(capacity);
		this.protocol = new Int32Array(capacity);
		this.tcpFlags = new Float64Array(capacity);
		this.packets = new Float64Array(capacity);
		this.bytes = new Float64Array(capacity);
		this.start = new Float64Array(capacity);
		this.end = new Float64Array(capacity);
		this.records = new Float64Array(capacity);
	}

	/** Empty the batch for reuse, keeping its room. */
	clear(): void {
		this.size = 0;
		this.aggregated = false;
		for (const name of TEXTS) {
			this[name].length = 0;
		}
	}

	/** Append one record, or a row standing for `records` records alike. */
	add(record: FlowRecord, records?: number): void {
		if (this.size === this.status.length) {
			this.grow();
		}

		const row = this.size++;
		this.status[row] =
			record.status === 'OK' ? STATUS_OK : record.status === 'NODATA' ? STATUS_NODATA : STATUS_SKIPDATA;
		this.action[row] = record.action === 'ACCEPT' ? ACCEPT : record.action === 'REJECT' ? REJECT : NO_ACTION;
		this.direction[row] =
			record.direction === 'inbound' ? INBOUND : record.direction === 'outbound' ? OUTBOUND : NO_DIRECTION;
		this.srcPort[row] = record.srcPort ?? -1;
		this.dstPort[row] = record.dstPort ?? -1;
		this.protocol[row] = record.protocol ?? -1;
		this.tcpFlags[row] = record.tcpFlags ?? Number.NaN;
		this.packets[row] = record.packets ?? Number.NaN;
		this.bytes[row] = record.bytes ?? Number.NaN;
		this.start[row] = record.start ?? Number.NaN;
		this.end[row] = record.end ?? Number.NaN;
		this.records[row] = records ?? 1;
		this.aggregated ||= records !== undefined;
		this.eni[row] = record.eni;
		this.account[row] = record.account;
		this.src[row] = record.src;
		this.dst[row] = record.dst;
		this.vpcId[row] = record.vpcId;
		this.subnetId[row] = record.subnetId;
		this.instanceId[row] = record.instanceId;
		this.pktSrc[row] = record.pktSrc;
		this.pktDst[row] = record.pktDst;
		this.interfaceType[row] = record.interfaceType;
		this.rejectReason[row] = record.rejectReason;
	}

	/**
	 * One row as a record object: for the few a reader keeps whole (the latest rejects). A row of a
	 * `stats` query says how many records it stands for.
	 */
	record(row: number): FlowRecord & {readonly records?: number} {
		const number = (value: number) => (value < 0 ? undefined : value);
		const measure = (value: number) => (Number.isNaN(value) ? undefined : value);
		return {
			status: statusOf(this.status[row]!),
			eni: this.eni[row],
			account: this.account[row],
			src: this.src[row],
			dst: this.dst[row],
			srcPort: number(this.srcPort[row]!),
			dstPort: number(this.dstPort[row]!),
			protocol: number(this.protocol[row]!),
			packets: measure(this.packets[row]!),
			bytes: measure(this.bytes[row]!),
			start: measure(this.start[row]!),
			end: measure(this.end[row]!),
			action: actionOf(this.action[row]!),
			direction: directionOf(this.direction[row]!),
			tcpFlags: measure(this.tcpFlags[row]!),
			vpcId: this.vpcId[row],
			subnetId: this.subnetId[row],
			instanceId: this.instanceId[row],
			pktSrc: this.pktSrc[row],
			pktDst: this.pktDst[row],
			interfaceType: this.interfaceType[row],
			rejectReason: this.rejectReason[row],
			...(this.aggregated ? {records: this.records[row]!} : {}),
		};
	}

	private grow(): void {
		const capacity = this.status.length * 2;
		const grown = <T extends Uint8Array | Int32Array | Float64Array>(column: T): T => {
			const next = new (column.constructor as new (length: number) => T)(capacity);
			next.set(column);
			return next;
		};

		this.status = grown(this.status);
		this.action = grown(this.action);
		this.direction = grown(this.direction);
		this.srcPort = grown(this.srcPort);
		this.dstPort = grown(this.dstPort);
		this.protocol = grown(this.protocol);
		this.tcpFlags = grown(this.tcpFlags);
		this.packets = grown(this.packets);
		this.bytes = grown(this.bytes);
		this.start = grown(this.start);
		this.end = grown(this.end);
		this.records = grown(this.records);
	}
}

function statusOf(code: number): LogStatus {
	return code === STATUS_OK ? 'OK' : code === STATUS_NODATA ? 'NODATA' : 'SKIPDATA';
}

function actionOf(code: number): Action | undefined {
	return code === ACCEPT ? 'ACCEPT' : code === REJECT ? 'REJECT' : undefined;
}

function directionOf(code: number): Direction | undefined {
	return code === INBOUND ? 'inbound' : code === OUTBOUND ? 'outbound' : undefined;
}
