import type {Direction} from '../net/direction.js';
import {canonicalIpv4, dottedQuad} from '../net/address.js';
import {TextDictionary} from './dictionary.js';
import type {Action, FlowRecord, LogStatus} from './record.js';

/**
 * A batch of records as columns: what a reader fills (the text parser row by row, straight from
 * the line's characters; add() for a record object) and the store sums with FlowStore.addColumns(),
 * with no object and no string per record. Numbers are typed arrays with a marker for absent (-1
 * for ports and protocol, which are never negative; NaN for tcp-flags, counts and times). Texts are
 * codes of the batch's dictionary, -1 when absent; addresses are IPv4 as unsigned 32-bit integers,
 * IPv6 as IPV6 plus the code of its canonical text, NO_ADDRESS when absent.
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
export const NO_TEXT = -1;
export const NO_ADDRESS = -1;
/** Address values from here up are IPv6; below it, IPv4. */
export const IPV6 = 2 ** 32;

// A dictionary is started afresh past this many texts, between batches: a stream that runs for days
// through ever new addresses keeps to a bound.
const DICTIONARY_LIMIT = 1 << 18;

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
	eni: Int32Array;
	account: Int32Array;
	vpcId: Int32Array;
	subnetId: Int32Array;
	instanceId: Int32Array;
	interfaceType: Int32Array;
	rejectReason: Int32Array;
	src: Float64Array;
	dst: Float64Array;
	pktSrc: Float64Array;
	pktDst: Float64Array;

	constructor(
		capacity = 1024,
		/** Whose codes the text columns hold. */
		readonly dictionary = new TextDictionary(),
	) {
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
		this.eni = new Int32Array(capacity);
		this.account = new Int32Array(capacity);
		this.vpcId = new Int32Array(capacity);
		this.subnetId = new Int32Array(capacity);
		this.instanceId = new Int32Array(capacity);
		this.interfaceType = new Int32Array(capacity);
		this.rejectReason = new Int32Array(capacity);
		this.src = new Float64Array(capacity);
		this.dst = new Float64Array(capacity);
		this.pktSrc = new Float64Array(capacity);
		this.pktDst = new Float64Array(capacity);
	}

	/** Empty the batch for reuse, keeping its room. */
	clear(): void {
		this.size = 0;
		this.aggregated = false;
		this.dictionary.clearIfOver(DICTIONARY_LIMIT);
	}

	/**
	 * The row after the last, every field absent and the status OK, not yet counted in `size`: the
	 * parser fills it in place and counts it only once the whole line has proved good.
	 */
	blankRow(): number {
		if (this.size === this.status.length) {
			this.grow();
		}

		const row = this.size;
		this.status[row] = STATUS_OK;
		this.action[row] = NO_ACTION;
		this.direction[row] = NO_DIRECTION;
		this.srcPort[row] = -1;
		this.dstPort[row] = -1;
		this.protocol[row] = -1;
		this.tcpFlags[row] = Number.NaN;
		this.packets[row] = Number.NaN;
		this.bytes[row] = Number.NaN;
		this.start[row] = Number.NaN;
		this.end[row] = Number.NaN;
		this.records[row] = 1;
		this.eni[row] = NO_TEXT;
		this.account[row] = NO_TEXT;
		this.vpcId[row] = NO_TEXT;
		this.subnetId[row] = NO_TEXT;
		this.instanceId[row] = NO_TEXT;
		this.interfaceType[row] = NO_TEXT;
		this.rejectReason[row] = NO_TEXT;
		this.src[row] = NO_ADDRESS;
		this.dst[row] = NO_ADDRESS;
		this.pktSrc[row] = NO_ADDRESS;
		this.pktDst[row] = NO_ADDRESS;
		return row;
	}

	/** Append one record, or a row standing for `records` records alike. */
	add(record: FlowRecord, records?: number): void {
		const row = this.blankRow();
		this.size++;
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
		this.eni[row] = this.code(record.eni);
		this.account[row] = this.code(record.account);
		this.vpcId[row] = this.code(record.vpcId);
		this.subnetId[row] = this.code(record.subnetId);
		this.instanceId[row] = this.code(record.instanceId);
		this.interfaceType[row] = this.code(record.interfaceType);
		this.rejectReason[row] = this.code(record.rejectReason);
		this.src[row] = this.address(record.src);
		this.dst[row] = this.address(record.dst);
		this.pktSrc[row] = this.address(record.pktSrc);
		this.pktDst[row] = this.address(record.pktDst);
	}

	/** A text column's value as text. */
	text(code: number): string | undefined {
		return code === NO_TEXT ? undefined : this.dictionary.text(code);
	}

	/** An address column's value as text, IPv6 in its canonical spelling. */
	addressText(value: number): string | undefined {
		return value === NO_ADDRESS ? undefined : value >= IPV6 ? this.dictionary.text(value - IPV6) : dottedQuad(value);
	}

	/**
	 * One row as a record object: for the few a reader keeps whole (the latest rejects). A row of a
	 * `stats` query says how many records it stands for.
	 */
	record(row: number): FlowRecord & {readonly records?: number} {
		const record: FlowRecord & {records?: number} = {
			status: statusOf(this.status[row]!),
			eni: this.text(this.eni[row]!),
			account: this.text(this.account[row]!),
			src: this.addressText(this.src[row]!),
			dst: this.addressText(this.dst[row]!),
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
			vpcId: this.text(this.vpcId[row]!),
			subnetId: this.text(this.subnetId[row]!),
			instanceId: this.text(this.instanceId[row]!),
			pktSrc: this.addressText(this.pktSrc[row]!),
			pktDst: this.addressText(this.pktDst[row]!),
			interfaceType: this.text(this.interfaceType[row]!),
			rejectReason: this.text(this.rejectReason[row]!),
		};
		if (this.aggregated) {
			record.records = this.records[row]!;
		}

		return record;
	}

	private code(text: string | undefined): number {
		return text === undefined ? NO_TEXT : this.dictionary.code(text, 0, text.length);
	}

	// A record's address is kept as written: a dotted quad only when it is one as the parser
	// writes it, anything else by its text.
	private address(text: string | undefined): number {
		if (text === undefined) {
			return NO_ADDRESS;
		}

		const ipv4 = canonicalIpv4(text, 0, text.length);
		return ipv4 >= 0 ? ipv4 : IPV6 + this.dictionary.code(text, 0, text.length);
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
		this.eni = grown(this.eni);
		this.account = grown(this.account);
		this.vpcId = grown(this.vpcId);
		this.subnetId = grown(this.subnetId);
		this.instanceId = grown(this.instanceId);
		this.interfaceType = grown(this.interfaceType);
		this.rejectReason = grown(this.rejectReason);
		this.src = grown(this.src);
		this.dst = grown(this.dst);
		this.pktSrc = grown(this.pktSrc);
		this.pktDst = grown(this.pktDst);
	}
}

function number(value: number): number | undefined {
	return value < 0 ? undefined : value;
}

function measure(value: number): number | undefined {
	return Number.isNaN(value) ? undefined : value;
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
