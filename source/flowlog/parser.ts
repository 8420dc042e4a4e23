import ipaddr from 'ipaddr.js';
import {canonicalIpv4} from '../net/address.js';
import {FLOW_DIRECTION} from '../net/direction.js';
import {fieldSpec} from './fields.js';
import {
	ACCEPT,
	FlowColumns,
	INBOUND,
	IPV6,
	OUTBOUND,
	REJECT,
	STATUS_NODATA,
	STATUS_OK,
	STATUS_SKIPDATA,
} from './flow-columns.js';
import type {FlowFormat} from './format.js';
import type {FlowRecord} from './record.js';

/**
 * Turns one flow-log line into a row of a batch of columns (or a FlowRecord), or into the reason
 * it is malformed.
 *
 * Built for millions of lines a second: it walks the line's characters once and writes each field
 * straight into its column. Numbers are read from char codes, IPv4 addresses become integers where
 * they stand, and texts (interface ids, IPv6 addresses) become dictionary codes found by hashing
 * them in place: no slice, no object per line. What each column means is decided once per format
 * rather than once per line. No regular expressions per line.
 */

// What a column feeds. Resolved once per format, switched on per token. Numeric columns come first
// so one comparison tells them apart.
enum Column {
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

function columnFor(name: string): Column {
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

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const HASH = 35;
const DASH = 45;
const ZERO = 48;
const NINE = 57;

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
function isSpace(code: number): boolean {
	return code === SPACE || code === TAB || code === CR || code === LF;
}

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

function countTokens(text: string, start: number, end: number): number {
	let count = 0;
	let inToken = false;
	for (let i = start; i < end; i++) {
		const space = isSpace(text.charCodeAt(i));
		if (!space && !inToken) {
			if (text.charCodeAt(i) === HASH) {
				break;
			}

			count++;
		}

		inToken = !space;
	}

	return count;
}

function matches(text: string, start: number, end: number, word: string): boolean {
	return end - start === word.length && text.startsWith(word, start);
}

export type FieldMap = Record<string, string | number>;

export class LineParser {
	readonly format: FlowFormat;
	private readonly columns: Column[];
	private tabText = '';
	private nextTab = -1;
	/** The row parse() and fields() read a line into: a dictionary of its own, cleared as it grows. */
	private readonly scratch = new FlowColumns(1);

	constructor(format: FlowFormat) {
		this.format = format;
		this.columns = format.fields.map(name => columnFor(name));
	}

	/**
	 * Append the record in text[start,end) to the batch, its texts coded in the batch's dictionary;
	 * or leave the batch as it was and say why the line is malformed.
	 */
	parseInto(batch: FlowColumns, text: string, start: number, end: number): string | undefined {
		const problem = this.scan(text, start, end, batch, batch.blankRow(), undefined);
		if (problem !== undefined) {
			return this.explain(problem, text, start, end);
		}

		batch.size++;
		return undefined;
	}

	/** The record in text[start,end), or the reason the line is malformed. */
	parse(text: string, start = 0, end = text.length): FlowRecord | string {
		const {scratch} = this;
		scratch.clear();
		const problem = this.scan(text, start, end, scratch, scratch.blankRow(), undefined);
		return problem === undefined ? scratch.record(0) : this.explain(problem, text, start, end);
	}

	/**
	 * Every field of the line keyed by its AWS name, numbers as numbers, `-` fields left out; or
	 * the reason the line is malformed. The same checks as parse(), for `--ndjson`.
	 */
	fields(text: string, start = 0, end = text.length): FieldMap | string {
		const out: FieldMap = {};
		const {scratch} = this;
		scratch.clear();
		const problem = this.scan(text, start, end, scratch, scratch.blankRow(), out);
		return problem === undefined ? out : this.explain(problem, text, start, end);
	}

	/**
	 * Whether text[start,end) holds a tab. Records come as lines of one big chunk, so the next tab
	 * of the chunk is found once and remembered until the lines pass it: linear in the chunk.
	 */
	private hasTab(text: string, start: number, end: number): boolean {
		if (text !== this.tabText || (this.nextTab !== -1 && this.nextTab < start)) {
			this.tabText = text;
			this.nextTab = text.indexOf('\t', start);
		}

		return this.nextTab !== -1 && this.nextTab < end;
	}

	// A line with the wrong number of fields fails on whichever value lands in the wrong column
	// first; the field count is the truer reason, and counting is only paid on the error path.
	private explain(problem: string, text: string, start: number, end: number): string {
		const count = countTokens(text, start, end);
		return count === this.columns.length || problem === 'empty line' || problem === 'comment only'
			? problem
			: `wrong field count: expected ${this.columns.length}, got ${count}`;
	}

	// One pass over the characters, filling the batch's row. `out`, when given, also receives every
	// field by name.
	private scan(
		text: string,
		start: number,
		end: number,
		batch: FlowColumns,
		row: number,
		out: FieldMap | undefined,
	): string | undefined {
		const {columns} = this;
		const names = this.format.fields;
		// A line end (\r, \n) or trailing blanks never belong to the last field.
		while (end > start && isSpace(text.charCodeAt(end - 1))) {
			end--;
		}

		const spacesOnly = !this.hasTab(text, start, end);
		let i = start;
		for (let index = 0; index < columns.length; index++) {
			while (i < end && isSpace(text.charCodeAt(i))) {
				i++;
			}

			// A token opening with `#` starts a comment (AWS's documentation annotates records so).
			if (i >= end) {
				return index === 0 ? 'empty line' : 'wrong field count';
			}

			if (text.charCodeAt(i) === HASH) {
				return index === 0 ? 'comment only' : 'wrong field count';
			}

			const column = columns[index]!;
			const tokenStart = i;
			if (column <= Column.OtherInt) {
				// Numbers are read where they stand: the digits end the token, no search, no slice.
				let value = 0;
				let code = 0;
				// biome-ignore lint/suspicious/noAssignInExpressions: the hot loop reads each character once.
				while (i < end && (code = text.charCodeAt(i)) >= ZERO && code <= NINE) {
					value = value * 10 + (code - ZERO);
					i++;
				}

				if (i < end && !isSpace(code)) {
					if (code === DASH && i === tokenStart && (i + 1 === end || isSpace(text.charCodeAt(i + 1)))) {
						i++;
						continue;
					}

					return `bad number in ${names[index]!}`;
				}

				if (i - tokenStart > 16 || value > Number.MAX_SAFE_INTEGER) {
					return `bad number in ${names[index]!}`;
				}

				if (!storeNumber(column, value, batch, row)) {
					return `bad number in ${names[index]!}`;
				}

				if ((column === Column.Start || column === Column.End) && !inTimeRange(seconds(value))) {
					return `${names[index]!} out of range (${timeRange()})`;
				}

				if (out) {
					out[names[index]!] = column === Column.Start || column === Column.End ? seconds(value) : value;
				}

				continue;
			}

			if (spacesOnly) {
				// The native search outruns a loop over char codes several times over.
				const space = text.indexOf(' ', i);
				i = space === -1 || space > end ? end : space;
			} else {
				while (i < end && !isSpace(text.charCodeAt(i))) {
					i++;
				}
			}

			if (i - tokenStart === 1 && text.charCodeAt(tokenStart) === DASH) {
				continue;
			}

			if (column <= Column.OtherIp) {
				const address = addressValue(batch, text, tokenStart, i);
				if (address < 0) {
					return `bad address in ${names[index]!}`;
				}

				storeAddress(column, address, batch, row);
				if (out) {
					out[names[index]!] = batch.addressText(address)!;
				}

				continue;
			}

			if (!storeText(column, text, tokenStart, i, batch, row)) {
				return `bad value in ${names[index]!}`;
			}

			if (out) {
				out[names[index]!] = text.slice(tokenStart, i);
			}
		}

		while (i < end && isSpace(text.charCodeAt(i))) {
			i++;
		}

		return i < end && text.charCodeAt(i) !== HASH ? 'wrong field count' : undefined;
	}
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
