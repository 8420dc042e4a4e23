import ipaddr from 'ipaddr.js';
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

// What a column feeds. Resolved once per format, switched on per token.
const enum Column {
	Version,
	Account,
	Eni,
	Src,
	Dst,
	SrcPort,
	DstPort,
	Protocol,
	Packets,
	Bytes,
	Start,
	End,
	Action,
	Status,
	Direction,
	TcpFlags,
	VpcId,
	SubnetId,
	InstanceId,
	PktSrc,
	PktDst,
	InterfaceType,
	OtherInt,
	OtherIp,
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
const HASH = 35;
const DASH = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

// AWS writes Unix seconds; a few exporters write milliseconds. Anything past this is milliseconds
// (1e11 seconds is the year 5138).
const MILLISECONDS_THRESHOLD = 1e11;

function isSpace(code: number): boolean {
	return code === SPACE || code === TAB || code === CR;
}

/** Non-negative decimal integer in text[start,end), or -1 when it is not one. */
function parseUnsigned(text: string, start: number, end: number): number {
	if (end - start > 16) {
		return -1;
	}

	let value = 0;
	for (let i = start; i < end; i++) {
		const code = text.charCodeAt(i);
		if (code < ZERO || code > NINE) {
			return -1;
		}

		value = value * 10 + (code - ZERO);
	}

	return value;
}

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
			if (++digits > 3) {
				return false;
			}

			value = value * 10 + (code - ZERO);
		} else {
			return false;
		}
	}

	return octets === 3 && digits > 0 && value <= 255;
}

/** The address in text[start,end), or undefined when it is neither IPv4 nor IPv6. */
function address(text: string, start: number, end: number): string | undefined {
	if (isIpv4(text, start, end)) {
		return text.slice(start, end);
	}

	const candidate = text.slice(start, end);
	return candidate.includes(':') && ipaddr.IPv6.isValid(candidate) ? candidate : undefined;
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

	// A line with the wrong number of fields fails on whichever value lands in the wrong column
	// first; the field count is the truer reason, and counting is only paid on the error path.
	private explain(problem: string, text: string, start: number, end: number): string {
		const count = countTokens(text, start, end);
		return count === this.columns.length || problem === 'empty line'
			? problem
			: `wrong field count: expected ${this.columns.length}, got ${count}`;
	}

	// One pass over the characters. `out`, when given, also receives every field by name.
	private scan(text: string, start: number, end: number, record: FlowRecord, out: FieldMap | undefined): string | undefined {
		const {columns} = this;
		const names = this.format.fields;
		let index = 0;
		let i = start;
		for (;;) {
			while (i < end && isSpace(text.charCodeAt(i))) {
				i++;
			}

			// A token opening with `#` starts a comment (AWS's documentation annotates records so).
			if (i >= end || text.charCodeAt(i) === HASH) {
				break;
			}

			const tokenStart = i;
			while (i < end && !isSpace(text.charCodeAt(i))) {
				i++;
			}

			if (index >= columns.length) {
				return 'wrong field count';
			}

			const column = columns[index]!;
			const name = names[index]!;
			index++;
			if (i - tokenStart === 1 && text.charCodeAt(tokenStart) === DASH) {
				continue;
			}

			switch (column) {
				case Column.Version:
				case Column.SrcPort:
				case Column.DstPort:
				case Column.Protocol:
				case Column.Packets:
				case Column.Bytes:
				case Column.Start:
				case Column.End:
				case Column.TcpFlags:
				case Column.OtherInt: {
					let value = parseUnsigned(text, tokenStart, i);
					if (value < 0) {
						return `bad number in ${name}`;
					}

					switch (column) {
						case Column.SrcPort: {
							if (value > 65_535) {
								return `bad number in ${name}`;
							}

							record.srcPort = value;
							break;
						}

						case Column.DstPort: {
							if (value > 65_535) {
								return `bad number in ${name}`;
							}

							record.dstPort = value;
							break;
						}

						case Column.Protocol: {
							if (value > 255) {
								return `bad number in ${name}`;
							}

							record.protocol = value;
							break;
						}

						case Column.Packets: {
							record.packets = value;
							break;
						}

						case Column.Bytes: {
							record.bytes = value;
							break;
						}

						case Column.Start: {
							value = value > MILLISECONDS_THRESHOLD ? Math.floor(value / 1000) : value;
							record.start = value;
							break;
						}

						case Column.End: {
							value = value > MILLISECONDS_THRESHOLD ? Math.floor(value / 1000) : value;
							record.end = value;
							break;
						}

						case Column.TcpFlags: {
							record.tcpFlags = value;
							break;
						}

						default:
					}

					if (out) {
						out[name] = value;
					}

					break;
				}

				case Column.Src:
				case Column.Dst:
				case Column.PktSrc:
				case Column.PktDst:
				case Column.OtherIp: {
					const value = address(text, tokenStart, i);
					if (value === undefined) {
						return `bad address in ${name}`;
					}

					if (column === Column.Src) {
						record.src = value;
					} else if (column === Column.Dst) {
						record.dst = value;
					} else if (column === Column.PktSrc) {
						record.pktSrc = value;
					} else if (column === Column.PktDst) {
						record.pktDst = value;
					}

					if (out) {
						out[name] = value;
					}

					break;
				}

				case Column.Action: {
					if (matches(text, tokenStart, i, 'ACCEPT')) {
						record.action = 'ACCEPT';
					} else if (matches(text, tokenStart, i, 'REJECT')) {
						record.action = 'REJECT';
					} else {
						return `bad value in ${name}`;
					}

					if (out) {
						out[name] = record.action;
					}

					break;
				}

				case Column.Status: {
					if (matches(text, tokenStart, i, 'OK')) {
						record.status = 'OK';
					} else if (matches(text, tokenStart, i, 'NODATA')) {
						record.status = 'NODATA';
					} else if (matches(text, tokenStart, i, 'SKIPDATA')) {
						record.status = 'SKIPDATA';
					} else {
						return `bad value in ${name}`;
					}

					if (out) {
						out[name] = record.status;
					}

					break;
				}

				case Column.Direction: {
					if (matches(text, tokenStart, i, 'ingress')) {
						record.direction = 'ingress';
					} else if (matches(text, tokenStart, i, 'egress')) {
						record.direction = 'egress';
					} else {
						return `bad value in ${name}`;
					}

					if (out) {
						out[name] = record.direction;
					}

					break;
				}

				default: {
					const value = text.slice(tokenStart, i);
					switch (column) {
						case Column.Account: {
							record.account = value;
							break;
						}

						case Column.Eni: {
							record.eni = value;
							break;
						}

						case Column.VpcId: {
							record.vpcId = value;
							break;
						}

						case Column.SubnetId: {
							record.subnetId = value;
							break;
						}

						case Column.InstanceId: {
							record.instanceId = value;
							break;
						}

						case Column.InterfaceType: {
							record.interfaceType = value;
							break;
						}

						default:
					}

					if (out) {
						out[name] = value;
					}
				}
			}
		}

		if (index !== columns.length) {
			return index === 0 ? 'empty line' : 'wrong field count';
		}

		return undefined;
	}
}
