import ipaddr from 'ipaddr.js';
import {canonicalIpv4} from '../net/address.js';
import {FLOW_DIRECTION} from '../net/direction.js';
import {fieldSpec} from './fields.js';
import {
	ACCEPT,
	type FlowColumns,
	INBOUND,
	IPV6,
	OUTBOUND,
	REJECT,
	STATUS_NODATA,
	STATUS_OK,
	STATUS_SKIPDATA,
} from './flow-columns.js';
import type {FieldMap} from './parser.js';

/**
 * What each field of a record may hold and where its value goes in a batch of columns: the one
 * set of checks every reader applies, the text parser to the characters of a line and the Parquet
 * reader to a column's typed values, so a value is refused for the same reason whichever form it
 * came in. Field names (and so the reasons) come from the format; the catalog is fields.ts.
 */

// What a column feeds. Resolved once per format, switched on per token. Numeric columns come first
// so one comparison tells them apart.
export enum Column {
	Version,
	SrcPort,
	DstPort,
	Protocol,
	Packets,
	Bytes,
	Start,
	End,
	TcpFlags,
	OtherInt,
	Src,
	Dst,
	PktSrc,
	PktDst,
	OtherIp,
	Account,
	Eni,
	Action,
	Status,
	Direction,
	VpcId,
	SubnetId,
	InstanceId,
	InterfaceType,
	RejectReason,
	OtherString,
}

const columnOfField: Record<string, Column> = {
	version: Column.Version,
	'account-id': Column.Account,
	'interface-id': Column.Eni,
	srcaddr: Column.Src,
	dstaddr: Column.Dst,
	srcport: Column.SrcPort,
	dstport: Column.DstPort,
	protocol: Column.Protocol,
	packets: Column.Packets,
	bytes: Column.Bytes,
	start: Column.Start,
	end: Column.End,
	action: Column.Action,
	'log-status': Column.Status,
	'flow-direction': Column.Direction,
	'tcp-flags': Column.TcpFlags,
	'vpc-id': Column.VpcId,
	'subnet-id': Column.SubnetId,
	'instance-id': Column.InstanceId,
	'pkt-srcaddr': Column.PktSrc,
	'pkt-dstaddr': Column.PktDst,
	'interface-type': Column.InterfaceType,
	'reject-reason': Column.RejectReason,
};

export function columnFor(name: string): Column {
	const column = columnOfField[name];
	if (column !== undefined) {
		return column;
	}

	switch (fieldSpec(name)?.type) {
		case 'int': {
			return Column.OtherInt;
		}

		case 'ip': {
			return Column.OtherIp;
		}

		default: {
			return Column.OtherString;
		}
	}
}

// AWS writes Unix seconds; a few exporters write milliseconds. Anything past this is milliseconds
// (1e11 seconds is the year 5138).
const MILLISECONDS_THRESHOLD = 1e11;
// A time before 2000 or after tomorrow is a broken exporter, not a flow: AWS's own examples date
// from 2014, and one record from 1970 or 5138 would stretch the time axis over millennia of empty
// minutes, or slide a live window past every real record. Tomorrow allows for a skewed clock.
const EARLIEST_SECONDS = Date.UTC(2000, 0, 1) / 1000;
const DAY_SECONDS = 86_400;
// Read from the clock again only when a time passes it, so a line pays nothing and a follow
// that runs for weeks keeps up.
let latestSeconds = 0;
function seconds(value: number): number {
	return value > MILLISECONDS_THRESHOLD ? Math.floor(value / 1000) : value;
}

function inTimeRange(seconds: number): boolean {
	if (seconds >= latestSeconds) {
		latestSeconds = Math.floor(Date.now() / 1000) + DAY_SECONDS;
	}

	return seconds >= EARLIEST_SECONDS && seconds < latestSeconds;
}

function timeRange(): string {
	return `accepted 2000-01-01 to ${new Date(latestSeconds * 1000).toISOString().slice(0, 10)}, a day past this machine's clock; Unix seconds or milliseconds`;
}

/** An IPv6 address in the one spelling RFC 5952 gives it, so `FE80:0:0:0:0:0:0:2` and `fe80::2` are one talker. */
function canonicalIpv6(spelling: string): string | undefined {
	if (!spelling.includes(':') || spelling.includes('%')) {
		return undefined;
	}

	try {
		return ipaddr.IPv6.parse(spelling).toRFC5952String();
	} catch {
		return undefined;
	}
}

function matches(text: string, start: number, end: number, word: string): boolean {
	return end - start === word.length && text.startsWith(word, start);
}

export function badNumber(name: string): string {
	return `bad number in ${name}`;
}

function isTime(column: Column): boolean {
	return column === Column.Start || column === Column.End;
}

/**
 * Store a whole number read for a numeric column (`out`, when given, gets it by name), or say
 * why the field refuses it.
 */
export function takeNumber(
	column: Column,
	name: string,
	value: number,
	batch: FlowColumns,
	row: number,
	out: FieldMap | undefined,
): string | undefined {
	if (value > Number.MAX_SAFE_INTEGER || !storeNumber(column, value, batch, row)) {
		return badNumber(name);
	}

	if (isTime(column) && !inTimeRange(seconds(value))) {
		return `${name} out of range (${timeRange()})`;
	}

	if (out) {
		out[name] = isTime(column) ? seconds(value) : value;
	}

	return undefined;
}

/** Store text[start,end) as an address column's value, or say why the field refuses it. */
export function takeAddress(
	column: Column,
	name: string,
	text: string,
	start: number,
	end: number,
	batch: FlowColumns,
	row: number,
	out: FieldMap | undefined,
): string | undefined {
	const address = addressValue(batch, text, start, end);
	if (address < 0) {
		return `bad address in ${name}`;
	}

	storeAddress(column, address, batch, row);
	if (out) {
		out[name] = batch.addressText(address)!;
	}

	return undefined;
}

/** Store text[start,end) as a text column's value, or say why the field refuses it. */
export function takeText(
	column: Column,
	name: string,
	text: string,
	start: number,
	end: number,
	batch: FlowColumns,
	row: number,
	out: FieldMap | undefined,
): string | undefined {
	if (!storeText(column, text, start, end, batch, row)) {
		return `bad value in ${name}`;
	}

	if (out) {
		out[name] = text.slice(start, end);
	}

	return undefined;
}

/** text[start,end) as an address column holds it, or -1 when it is neither IPv4 nor IPv6. */
function addressValue(batch: FlowColumns, text: string, start: number, end: number): number {
	const ipv4 = canonicalIpv4(text, start, end);
	if (ipv4 >= 0) {
		return ipv4;
	}

	const code = batch.dictionary.canonicalCode(text, start, end, canonicalIpv6);
	return code < 0 ? -1 : IPV6 + code;
}

/** Store a numeric column; false when the value is out of its range. */
function storeNumber(column: Column, value: number, batch: FlowColumns, row: number): boolean {
	switch (column) {
		case Column.SrcPort: {
			batch.srcPort[row] = value;
			return value <= 65_535;
		}

		case Column.DstPort: {
			batch.dstPort[row] = value;
			return value <= 65_535;
		}

		case Column.Protocol: {
			batch.protocol[row] = value;
			return value <= 255;
		}

		case Column.Packets: {
			batch.packets[row] = value;
			return true;
		}

		case Column.Bytes: {
			batch.bytes[row] = value;
			return true;
		}

		case Column.Start: {
			batch.start[row] = seconds(value);
			return true;
		}

		case Column.End: {
			batch.end[row] = seconds(value);
			return true;
		}

		case Column.TcpFlags: {
			batch.tcpFlags[row] = value;
			return true;
		}

		default: {
			return true;
		}
	}
}

function storeAddress(column: Column, address: number, batch: FlowColumns, row: number): void {
	switch (column) {
		case Column.Src: {
			batch.src[row] = address;
			break;
		}

		case Column.Dst: {
			batch.dst[row] = address;
			break;
		}

		case Column.PktSrc: {
			batch.pktSrc[row] = address;
			break;
		}

		case Column.PktDst: {
			batch.pktDst[row] = address;
			break;
		}

		default: {
			break;
		}
	}
}

/** Store a text column from text[start,end); false when the value is not one the field takes. */
function storeText(column: Column, text: string, start: number, end: number, batch: FlowColumns, row: number): boolean {
	switch (column) {
		case Column.Action: {
			if (matches(text, start, end, 'ACCEPT')) {
				batch.action[row] = ACCEPT;
			} else if (matches(text, start, end, 'REJECT')) {
				batch.action[row] = REJECT;
			} else {
				return false;
			}

			return true;
		}

		case Column.Status: {
			if (matches(text, start, end, 'OK')) {
				batch.status[row] = STATUS_OK;
			} else if (matches(text, start, end, 'NODATA')) {
				batch.status[row] = STATUS_NODATA;
			} else if (matches(text, start, end, 'SKIPDATA')) {
				batch.status[row] = STATUS_SKIPDATA;
			} else {
				return false;
			}

			return true;
		}

		case Column.Direction: {
			if (matches(text, start, end, FLOW_DIRECTION.inbound)) {
				batch.direction[row] = INBOUND;
			} else if (matches(text, start, end, FLOW_DIRECTION.outbound)) {
				batch.direction[row] = OUTBOUND;
			} else {
				return false;
			}

			return true;
		}

		case Column.Account: {
			batch.account[row] = batch.dictionary.code(text, start, end);
			return true;
		}

		case Column.Eni: {
			batch.eni[row] = batch.dictionary.code(text, start, end);
			return true;
		}

		case Column.VpcId: {
			batch.vpcId[row] = batch.dictionary.code(text, start, end);
			return true;
		}

		case Column.SubnetId: {
			batch.subnetId[row] = batch.dictionary.code(text, start, end);
			return true;
		}

		case Column.InstanceId: {
			batch.instanceId[row] = batch.dictionary.code(text, start, end);
			return true;
		}

		case Column.InterfaceType: {
			batch.interfaceType[row] = batch.dictionary.code(text, start, end);
			return true;
		}

		case Column.RejectReason: {
			batch.rejectReason[row] = batch.dictionary.code(text, start, end);
			return true;
		}

		default: {
			return true;
		}
	}
}
