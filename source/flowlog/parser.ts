import ipaddr from 'ipaddr.js';
import {FLOW_DIRECTION} from '../net/direction.js';
import {fieldSpec} from './fields.js';
import type {FlowFormat} from './format.js';
import {emptyRecord, type FlowRecord} from './record.js';

/**
 * Turns one flow-log line into a FlowRecord, or into the reason it is malformed.
 *
 * Built for a million lines a second: it walks the line's characters once, parses numbers from
 * char codes without slicing, slices only the strings the record keeps, and decides what each
 * column means once per format rather than once per line. No regular expressions per line.
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
const DOT = 46;
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

/**
 * A dotted quad as AWS writes it: no leading zeros. `010.000.000.001` is refused rather than
 * guessed at, since some readers take a leading zero for octal (010 = 8).
 */
function isIpv4(text: string, start: number, end: number): boolean {
	let octets = 0;
	let digits = 0;
	let value = 0;
	for (let i = start; i < end; i++) {
		const code = text.charCodeAt(i);
		if (code === DOT) {
			if (digits === 0 || value > 255) {
				return false;
			}

			octets++;
			digits = 0;
			value = 0;
		} else if (code >= ZERO && code <= NINE) {
			if (++digits > 3 || (digits === 2 && value === 0)) {
				return false;
			}

			value = value * 10 + (code - ZERO);
		} else {
			return false;
		}
	}

	return octets === 3 && digits > 0 && value <= 255;
}

/**
 * The address in text[start,end) in its one canonical spelling (IPv6 as RFC 5952 writes it, so
 * `FE80:0:0:0:0:0:0:2` and `fe80::2` are one talker), or undefined when it is neither IPv4 nor IPv6.
 */
function address(text: string, start: number, end: number): string | undefined {
	if (isIpv4(text, start, end)) {
		return text.slice(start, end);
	}

	const candidate = text.slice(start, end);
	if (!candidate.includes(':') || candidate.includes('%')) {
		return undefined;
	}

	try {
		return ipaddr.IPv6.parse(candidate).toRFC5952String();
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
	/** The last address text() read, canonical: what fields() reports for it. */
	private lastAddress = '';

	constructor(format: FlowFormat) {
		this.format = format;
		this.columns = format.fields.map(name => columnFor(name));
	}

	/** The record in text[start,end), or the reason the line is malformed. */
	parse(text: string, start = 0, end = text.length): FlowRecord | string {
		const record = emptyRecord();
		const problem = this.scan(text, start, end, record, undefined);
		return problem === undefined ? record : this.explain(problem, text, start, end);
	}

	/**
	 * Every field of the line keyed by its AWS name, numbers as numbers, `-` fields left out; or
	 * the reason the line is malformed. The same checks as parse(), for `--ndjson`.
	 */
	fields(text: string, start = 0, end = text.length): FieldMap | string {
		const out: FieldMap = {};
		const problem = this.scan(text, start, end, emptyRecord(), out);
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

	// One pass over the characters. `out`, when given, also receives every field by name.
	private scan(
		text: string,
		start: number,
		end: number,
		record: FlowRecord,
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

				const problem = this.number(column, value, record);
				if (problem) {
					return `${problem} ${names[index]!}`;
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

			const problem = this.text(column, text, tokenStart, i, record);
			if (problem) {
				return `${problem} ${names[index]!}`;
			}

			if (out) {
				out[names[index]!] =
					column >= Column.Src && column <= Column.OtherIp ? this.lastAddress : text.slice(tokenStart, i);
			}
		}

		while (i < end && isSpace(text.charCodeAt(i))) {
			i++;
		}

		return i < end && text.charCodeAt(i) !== HASH ? 'wrong field count' : undefined;
	}

	/** Store a numeric column; the problem word when the value is out of range. */
	private number(column: Column, value: number, record: FlowRecord): string | undefined {
		switch (column) {
			case Column.SrcPort: {
				if (value > 65_535) {
					return 'bad number in';
				}

				record.srcPort = value;
				return undefined;
			}

			case Column.DstPort: {
				if (value > 65_535) {
					return 'bad number in';
				}

				record.dstPort = value;
				return undefined;
			}

			case Column.Protocol: {
				if (value > 255) {
					return 'bad number in';
				}

				record.protocol = value;
				return undefined;
			}

			case Column.Packets: {
				record.packets = value;
				return undefined;
			}

			case Column.Bytes: {
				record.bytes = value;
				return undefined;
			}

			case Column.Start: {
				record.start = seconds(value);
				return undefined;
			}

			case Column.End: {
				record.end = seconds(value);
				return undefined;
			}

			case Column.TcpFlags: {
				record.tcpFlags = value;
				return undefined;
			}

			default: {
				return undefined;
			}
		}
	}

	/** Store a text column from text[start,end); the problem word when the value is not valid. */
	private text(column: Column, text: string, start: number, end: number, record: FlowRecord): string | undefined {
		switch (column) {
			case Column.Src:
			case Column.Dst:
			case Column.PktSrc:
			case Column.PktDst:
			case Column.OtherIp: {
				const value = address(text, start, end);
				if (value === undefined) {
					return 'bad address in';
				}

				this.lastAddress = value;
				if (column === Column.Src) {
					record.src = value;
				} else if (column === Column.Dst) {
					record.dst = value;
				} else if (column === Column.PktSrc) {
					record.pktSrc = value;
				} else if (column === Column.PktDst) {
					record.pktDst = value;
				}

				return undefined;
			}

			case Column.Action: {
				if (matches(text, start, end, 'ACCEPT')) {
					record.action = 'ACCEPT';
				} else if (matches(text, start, end, 'REJECT')) {
					record.action = 'REJECT';
				} else {
					return 'bad value in';
				}

				return undefined;
			}

			case Column.Status: {
				if (matches(text, start, end, 'OK')) {
					record.status = 'OK';
				} else if (matches(text, start, end, 'NODATA')) {
					record.status = 'NODATA';
				} else if (matches(text, start, end, 'SKIPDATA')) {
					record.status = 'SKIPDATA';
				} else {
					return 'bad value in';
				}

				return undefined;
			}

			case Column.Direction: {
				if (matches(text, start, end, FLOW_DIRECTION.inbound)) {
					record.direction = 'inbound';
				} else if (matches(text, start, end, FLOW_DIRECTION.outbound)) {
					record.direction = 'outbound';
				} else {
					return 'bad value in';
				}

				return undefined;
			}

			case Column.Account: {
				record.account = text.slice(start, end);
				return undefined;
			}

			case Column.Eni: {
				record.eni = text.slice(start, end);
				return undefined;
			}

			case Column.VpcId: {
				record.vpcId = text.slice(start, end);
				return undefined;
			}

			case Column.SubnetId: {
				record.subnetId = text.slice(start, end);
				return undefined;
			}

			case Column.InstanceId: {
				record.instanceId = text.slice(start, end);
				return undefined;
			}

			case Column.InterfaceType: {
				record.interfaceType = text.slice(start, end);
				return undefined;
			}

			case Column.RejectReason: {
				record.rejectReason = text.slice(start, end);
				return undefined;
			}

			default: {
				return undefined;
			}
		}
	}
}
