import {FlowStore} from '../../source/engine/store.js';
import {DEFAULT_FORMAT, type FlowFormat, formatLine, formatOf} from '../../source/flowlog/format.js';
import {records} from '../helpers/lines.js';

/** Hand-written records for the rule tests: one line each, read like the flow log they stand for. */

export const T = 1_700_000_040;

/** What a v5-and-later record adds: flow-direction, subnet-id, pkt-* and interface-type. */
export interface Extras {
	readonly direction?: 'ingress' | 'egress';
	readonly subnet?: string;
	readonly pktSrc?: string;
	readonly pktDst?: string;
	readonly interfaceType?: string;
	/** OR of the TCP flags: FIN 1, SYN 2, RST 4, SYN-ACK 18. */
	readonly tcpFlags?: number;
	/** v8 `reject-reason`: `BPA` when VPC Block Public Access refused the flow. */
	readonly rejectReason?: string;
}

export interface Options extends Extras {
	/** Minutes after T; each record lasts a few seconds within its minute. */
	readonly minute?: number;
	/** 6 unless told: 17 UDP, 1 ICMP, 58 ICMPv6. */
	readonly protocol?: number;
	readonly packets?: number;
	readonly bytes?: number;
}

export interface Flow {
	readonly values: Record<string, string | number | undefined>;
}

/** A v5 custom format with the fields the rules can use when they are there. */
export const V5_FORMAT = formatOf([
	'version',
	'account-id',
	'interface-id',
	'srcaddr',
	'dstaddr',
	'srcport',
	'dstport',
	'protocol',
	'packets',
	'bytes',
	'start',
	'end',
	'action',
	'log-status',
	'vpc-id',
	'subnet-id',
	'instance-id',
	'tcp-flags',
	'type',
	'pkt-srcaddr',
	'pkt-dstaddr',
	'flow-direction',
	'traffic-path',
	'interface-type',
]);

/** The v5 fields and v8 `reject-reason`, as a flow log with Block Public Access in its format has them. */
export const V8_FORMAT = formatOf([...V5_FORMAT.fields, 'reject-reason']);

/** `10.0.0.5:443`, `[2001:db8::5]:22`. */
function endpoint(text: string): [string, number] {
	const match = /^\[(.+)]:(\d+)$/.exec(text) ?? /^(.+):(\d+)$/.exec(text);
	if (!match) {
		throw new Error(`write an endpoint as address:port, not ${text}`);
	}

	return [match[1]!, Number(match[2])];
}

function flow(action: 'ACCEPT' | 'REJECT', eni: string, from: string, to: string, options: Options): Flow {
	const [src, srcPort] = endpoint(from);
	const [dst, dstPort] = endpoint(to);
	const start = T + (options.minute ?? 0) * 60;
	return {
		values: {
			'account-id': '123456789012',
			'interface-id': eni,
			srcaddr: src,
			dstaddr: dst,
			srcport: srcPort,
			dstport: dstPort,
			protocol: options.protocol ?? 6,
			packets: options.packets ?? 3,
			bytes: options.bytes ?? 180,
			start,
			end: start + 5,
			action,
			'log-status': 'OK',
			'vpc-id': 'vpc-0abc',
			'subnet-id': options.subnet,
			type: src.includes(':') ? 'IPv6' : 'IPv4',
			'pkt-srcaddr': options.pktSrc ?? src,
			'pkt-dstaddr': options.pktDst ?? dst,
			'flow-direction': options.direction,
			'interface-type': options.interfaceType,
			'tcp-flags': options.tcpFlags,
			'reject-reason': options.rejectReason,
		},
	};
}

export function accept(eni: string, from: string, to: string, options: Options = {}): Flow {
	return flow('ACCEPT', eni, from, to, options);
}

export function reject(eni: string, from: string, to: string, options: Options = {}): Flow {
	return flow('REJECT', eni, from, to, options);
}

/** A NODATA (no traffic) or SKIPDATA (records dropped) record of an interface for one capture window. */
export function status(logStatus: 'NODATA' | 'SKIPDATA', eni: string, minute: number): Flow {
	const start = T + minute * 60;
	return {values: {'account-id': '123456789012', 'interface-id': eni, start, end: start + 59, 'log-status': logStatus}};
}

/** The flows as default-format (v2) lines, read into a store. */
export function v2Store(flows: readonly Flow[], store = new FlowStore()): FlowStore {
	store.add(records(flows.map(({values}) => formatLine({...values, version: 2}, DEFAULT_FORMAT))));
	return store;
}

/** The flows as v5 custom-format lines (version 11 with interface-type), read into a store. */
export function v5Store(flows: readonly Flow[]): FlowStore {
	return formatStore(flows, V5_FORMAT);
}

/** The flows as lines of `format` (version 11), read into a store. */
export function formatStore(flows: readonly Flow[], format: FlowFormat, store = new FlowStore()): FlowStore {
	store.add(
		records(
			flows.map(({values}) => formatLine({...values, version: 11}, format)),
			format,
		),
	);
	return store;
}

/** `count` minutes later than `minute`: the same record retried, one per minute. */
export function everyMinute(count: number, make: (minute: number) => Flow | Flow[]): Flow[] {
	return range(count).flatMap(minute => make(minute));
}

/** `count` numbers from `first` on: client ports, minutes. */
export function range(count: number, first = 0): number[] {
	return Array.from({length: count}, (_, index) => first + index);
}

/** The record with some of its fields left out (`-` in the log). */
export function without(flow: Flow, ...fields: string[]): Flow {
	return {values: {...flow.values, ...Object.fromEntries(fields.map(field => [field, undefined]))}};
}

/** The record `seconds` into its minute. */
export function later(flow: Flow, seconds: number): Flow {
	const start = Number(flow.values.start) + seconds;
	return {values: {...flow.values, start, end: start + 5}};
}
