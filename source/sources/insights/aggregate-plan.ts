import {fieldSpec} from '../../flowlog/fields.js';
import {LOGIN_PORTS, SERVICE_PORTS} from '../../flowlog/protocols.js';
import type {FlowFormat} from '../../flowlog/format.js';
import {PRIVATE_RANGES} from '../../net/address.js';
import {type IngestionWindow, ingestedIn} from './query.js';

/**
 * The Logs Insights `stats` queries of an aggregate poll, built from the log group's format.
 *
 * What the panes and the diagnosis read must be exactly what raw mode would read from the same
 * records, while the rows that come back follow what is shown rather than the traffic (a busy
 * VPC has a distinct client on nearly every record, so a full group-by is as big as the records).
 * The records of the window are split into parts that do not overlap, so each record is counted
 * once, and every part keeps only the detail something reads:
 *
 * - detail: every REJECT record and every NODATA/SKIPDATA record, by minute and by every field
 *   the store keys on, ports included. The rejected pane, the rejected totals and the rules that
 *   read refusals (blocked responses, scans, brute force on refused ports) see them whole;
 * - accepted requests to a login port, by source: brute force is told by how many sources try;
 * - the rest (accepted, OK), in up to four parts by whether each address is kept: an address is
 *   kept when it is among the top sources, destinations or pairs by bytes, packets or records over
 *   the whole window (one query each, sorted and cut on the service), or when it appears in a
 *   refused record (so a refused response still finds its accepted request). A part groups by the
 *   addresses it keeps, never by the others;
 * - each part of the rest is split once more by which port is the lower: the lower one is kept,
 *   the other folded, which is what the store does to an accepted flow's ephemeral client port;
 * - the rest on interfaces that may be NAT gateways (gatewaysQuery) keeps every address: what
 *   knocks on one is strangers no list ranks.
 *
 * Why that is exact: every record of a kept address keeps that address, so every source,
 * destination and pair the lists show sums over all of its records, and the true top N of each
 * list are all kept (the top queries found them). Totals, protocols, actions and the trend sum
 * over every part. Where a list goes past N, an entry may be missing, never wrong.
 *
 * Every part but the top lists is a sum over records, so a part too big for one query's rows is
 * split by time like a raw query (query-runner.ts): the store sums the rows of both halves alike.
 *
 * The first poll asks over the whole window. A poll after it asks the parts over only what reached
 * CloudWatch since (the windows never overlap, so a late record is added once, to the sum it
 * belongs to), keeping the same addresses by name, and the store adds the rows to its sums. The top
 * lists are asked again over the whole window now and then, since a top N of a window is not the
 * sum of its polls' top Ns; aggregate-follower.ts says when, and when the window is read again.
 * Insights bills the bytes each query scans over its whole time range, whatever it filters: a poll
 * of what is new still reaches back a lateness horizon, as a raw poll does, but ten times over.
 */

/** The Insights names of the fields an aggregate query reads. */
export interface AggregateFields {
	/** `parse @message "..." as ...` and a pipe for a custom format; empty where Insights discovers the fields. */
	readonly prefix: string;
	readonly eni: string;
	readonly src: string;
	readonly dst: string;
	readonly srcPort: string;
	readonly dstPort: string;
	readonly protocol: string;
	readonly packets: string;
	readonly bytes: string;
	readonly start: string;
	readonly end: string;
	readonly action: string;
	readonly status: string;
	/** Fields grouped on besides: flow-direction, tcp-flags, and what is constant per interface (subnet, VPC, ...). */
	readonly extra: readonly string[];
	/**
	 * pkt-srcaddr and pkt-dstaddr, where the format has them: grouped on where a NAT gateway may be,
	 * so that the store counts the records translated on an interface as it does from raw records.
	 */
	readonly translation: readonly string[];
	/** interface-type, where the format has it: it names a NAT gateway's interfaces. */
	readonly interfaceType: string | undefined;
	/** The AWS names of every field some query groups by. */
	readonly grouped: readonly string[];
}

const REQUIRED = [
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
] as const;

/** Where the packet's own addresses differ from the record's, the interface translated them: a NAT gateway. */
const TRANSLATION = ['pkt-srcaddr', 'pkt-dstaddr'] as const;

/** The required fields the rows are grouped by, the rest being summed. */
const GROUPED = ['interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'action', 'log-status'];

/**
 * Grouped on when the format has them: they split no conversation the store keeps whole (direction
 * and the interface's own subnet, VPC, instance, type and account are one per conversation, and the
 * store ORs tcp-flags, which Insights cannot), so they add few rows.
 */
const EXTRA = [
	'flow-direction',
	'tcp-flags',
	'account-id',
	'vpc-id',
	'subnet-id',
	'instance-id',
	'interface-type',
] as const;

function insightsName(name: string): string {
	return fieldSpec(name)!.insights;
}

/** The fields of `format` as Insights names them, or why the format cannot be aggregated. */
export function aggregateFields(format: FlowFormat): AggregateFields | string {
	const missing = REQUIRED.filter(name => !format.fields.includes(name));
	if (missing.length > 0) {
		return `the log format has no ${missing.join(', ')}`;
	}

	const prefix = format.isDefault
		? ''
		: `parse @message "${format.fields.map(() => '*').join(' ')}" as ${format.fields.map(name => insightsName(name)).join(', ')} | `;
	const [eni, src, dst, srcPort, dstPort, protocol, packets, bytes, start, end, action, status] = REQUIRED.map(name =>
		insightsName(name),
	) as [string, string, string, string, string, string, string, string, string, string, string, string];
	const extra = EXTRA.filter(name => format.fields.includes(name));
	const translation = TRANSLATION.filter(name => format.fields.includes(name));
	return {
		prefix,
		eni,
		src,
		dst,
		srcPort,
		dstPort,
		protocol,
		packets,
		bytes,
		start,
		end,
		action,
		status,
		extra: extra.map(name => insightsName(name)),
		translation: translation.map(name => insightsName(name)),
		interfaceType: format.fields.includes('interface-type') ? insightsName('interface-type') : undefined,
		grouped: [...GROUPED, ...extra, ...translation],
	};
}

/** The names of the aggregates in every result row. */
export const SUM_BYTES = 'sumBytes';
export const SUM_PACKETS = 'sumPackets';
export const RECORDS = 'records';
/** Records of a count that carry an @ingestionTime: all of them where the endpoint gives one. */
export const INGESTED = 'ingested';
export const FIRST_START = 'firstStart';
export const LAST_END = 'lastEnd';

export type TopGrouping = 'pair' | 'src' | 'dst';
export type TopMetric = 'bytes' | 'packets' | 'records';

export interface PlannedQuery {
	readonly name: string;
	readonly query: string;
	/** A top list stops at its own `limit` by design: its time range is never split, as a top N of halves is not the top N of the whole. */
	readonly ranked: boolean;
}

/** Entries past N fetched per top list: the service orders ties as it likes, the lists by text. */
const TIE_MARGIN = 5;
/**
 * Addresses kept by name: each rest query lists them twice (`in` and `not in`), and a query
 * string may be 10,000 characters long.
 */
export const MAX_KEPT = 200;

function sums(fields: AggregateFields): string {
	return `sum(${fields.bytes}) as ${SUM_BYTES}, sum(${fields.packets}) as ${SUM_PACKETS}, count(*) as ${RECORDS}`;
}

function timeSpan(fields: AggregateFields): string {
	return `min(${fields.start}) as ${FIRST_START}, max(${fields.end}) as ${LAST_END}`;
}

const METRIC_COLUMN: Record<TopMetric, string> = {bytes: SUM_BYTES, packets: SUM_PACKETS, records: RECORDS};

/** The top `top` sources, destinations and pairs of the window by bytes, packets and records: nine queries. */
export function topQueries(fields: AggregateFields, top: number): PlannedQuery[] {
	const groupings: Record<TopGrouping, string> = {
		pair: `${fields.src}, ${fields.dst}`,
		src: fields.src,
		dst: fields.dst,
	};
	const limit = top + TIE_MARGIN;
	return (['pair', 'src', 'dst'] as const).flatMap(grouping =>
		(['bytes', 'packets', 'records'] as const).map(metric => ({
			// Stryker disable next-line StringLiteral: names are read only in `cut`, which a ranked query is never in
			name: `top ${grouping} by ${metric}`,
			query: `${fields.prefix}filter ${fields.status} = "OK" | stats ${sums(fields)} by ${groupings[grouping]} | sort ${METRIC_COLUMN[metric]} desc | limit ${limit}`,
			ranked: true,
		})),
	);
}

/**
 * How many records the window holds, what auto mode's first poll is chosen by, and how many of them
 * carry an @ingestionTime, which says whether later polls can ask for only what is new.
 */
export function countQuery(): PlannedQuery {
	// Stryker disable next-line StringLiteral,BooleanLiteral: countRecords reads neither its name nor whether it is cut
	return {
		name: 'records in the window',
		query: `stats count(*) as ${RECORDS}, count(@ingestionTime) as ${INGESTED}`,
		ranked: true,
	};
}

/** The name of the largest delay in a delay query's row. */
export const LARGEST_DELAY = 'largestDelay';

/**
 * The largest `@ingestionTime - @timestamp` of the records: how late they reach CloudWatch, which
 * says how far back a poll of what is new must reach (lateness.ts). Sums carry no record's times.
 */
export function delayQuery(): PlannedQuery {
	// Stryker disable next-line StringLiteral: a one-row query is never cut, and only `cut` reads names
	return {
		name: 'how late records arrive',
		query: `fields toMillis(@ingestionTime) - toMillis(@timestamp) as delay | stats max(delay) as ${LARGEST_DELAY}`,
		ranked: true,
	};
}

/**
 * How many records the parts of a poll cover between them (every flow-log record: a line without a
 * log-status is in none), counted again to check that a poll read them all.
 */
export function partsCountQuery(fields: AggregateFields): PlannedQuery {
	// Stryker disable next-line StringLiteral: a count is never cut, and only `cut` reads names
	return {
		name: 'records of the parts',
		query: `${fields.prefix}filter ispresent(${fields.status}) | stats count(*) as ${RECORDS}`,
		ranked: true,
	};
}

/**
 * How many messages of the window are no record of the format: nothing in them where log-status
 * should be, once the fields are read (discovered, or through the format's `parse`). No part takes
 * them; most of the window so is a wrong `--format`, or a group that holds no flow logs.
 */
export function unreadQuery(fields: AggregateFields): PlannedQuery {
	// Stryker disable next-line StringLiteral: a count is never cut, and only `cut` reads names
	return {
		name: 'messages that are no record of the format',
		query: `${fields.prefix}filter not ispresent(${fields.status}) | stats count(*) as ${RECORDS}`,
		ranked: true,
	};
}

/** One such message, to say why it is none. */
export function unreadSampleQuery(fields: AggregateFields): PlannedQuery {
	// Stryker disable next-line StringLiteral: one row is never cut, and only `cut` reads names
	return {
		name: 'a message that is no record of the format',
		query: `${fields.prefix}filter not ispresent(${fields.status}) | fields @message | limit 1`,
		ranked: true,
	};
}

/**
 * The interfaces that may be NAT gateways, from what the records say: those interface-type calls
 * one, and those that translated an address (pkt-* differs from srcaddr/dstaddr). Their accepted
 * records keep every address (restQueries), since what a NAT gateway is knocked on by is strangers
 * no top list ranks. Undefined for a format with neither field: there only the VPC's configuration
 * can name them.
 */
export function gatewaysQuery(fields: AggregateFields): PlannedQuery | undefined {
	const [pktSrc, pktDst] = fields.translation;
	const tests = [
		...(fields.interfaceType ? [`${fields.interfaceType} = "nat_gateway"`] : []),
		// A record without the packet's address (NODATA) has `-` there, which translates nothing.
		...(pktSrc ? [`(${pktSrc} != "-" and ${pktSrc} != ${fields.src})`] : []),
		...(pktDst ? [`(${pktDst} != "-" and ${pktDst} != ${fields.dst})`] : []),
	];
	if (tests.length === 0) {
		return undefined;
	}

	// Stryker disable next-line StringLiteral: a list of interfaces is never cut, and only `cut` reads names
	return {
		name: 'interfaces that may be NAT gateways',
		query: `${fields.prefix}filter ${tests.join(' or ')} | stats count(*) as ${RECORDS} by ${fields.eni}`,
		ranked: true,
	};
}

/** The two forwardingQueries, by what each counts. */
export interface ForwardingQueries {
	/** Accepted requests from inside hosts to inside addresses (the interface's own among them), by interface and service. */
	readonly fromInside: PlannedQuery;
	/** Accepted requests to the internet, by interface and service. */
	readonly toOutside: PlannedQuery;
}

/**
 * Where no field says which interfaces translate (the default format), what names the NAT gateways
 * in the records is the diagnosis's forwarding signature (nat-gateway.ts): an interface that takes
 * requests for a service from inside hosts and sends requests for that same service to the
 * internet. These two count both per interface and service, so the poll can name every interface
 * the diagnosis could call a NAT gateway (aggregate-poll.ts), and more: a request is one whose
 * destination port is its service, as servicePortOf says; inside and outside go by the private
 * ranges alone, without the interface's own address or the VPC's blocks, which only rows know.
 */
export function forwardingQueries(fields: AggregateFields): ForwardingQueries {
	const known = (port: string) => `${port} in [${SERVICE_PORTS.join(', ')}]`;
	const [toKnown, fromKnown] = [known(fields.dstPort), known(fields.srcPort)];
	const lower = `${fields.dstPort} <= ${fields.srcPort}`;
	const request = `((${toKnown} and not (${fromKnown})) or (${toKnown} and ${fromKnown} and ${lower}) or (not (${toKnown}) and not (${fromKnown}) and ${lower}))`;
	const inside = (field: string) =>
		`(${PRIVATE_RANGES.map(cidr => `isIpInSubnet(${field}, ${JSON.stringify(cidr)})`).join(' or ')})`;
	const counted = (name: string, test: string): PlannedQuery => ({
		name,
		query: `${fields.prefix}filter ${ACCEPTED(fields)} and ${request} and ${test} | stats count(*) as ${RECORDS} by ${fields.eni}, ${fields.protocol}, ${fields.dstPort}`,
		ranked: true,
	});
	return {
		fromInside: counted('requests from inside hosts', `${inside(fields.src)} and ${inside(fields.dst)}`),
		toOutside: counted('requests to the internet', `not ${inside(fields.dst)}`),
	};
}

/**
 * The query over what reached CloudWatch in `window` only. The filter comes first, before any
 * `parse`: the service drops a record before it parses it, and so does the demo's endpoint, which
 * passes over whole deliveries it refuses.
 */
export function ingestedInWindow(planned: PlannedQuery, window: IngestionWindow): PlannedQuery {
	return {...planned, query: `${ingestedIn(window)} | ${planned.query}`};
}

/**
 * How many accepted OK records have one of `addresses` at either end: run over what earlier polls
 * took, it says whether an address newly refused had accepted records those polls folded.
 */
export function acceptedOfQuery(fields: AggregateFields, addresses: readonly string[]): PlannedQuery {
	return {
		// Stryker disable next-line StringLiteral: a count is never cut, and only `cut` reads names
		name: 'accepted records of newly refused addresses',
		query: `${fields.prefix}filter ${ACCEPTED(fields)} and (${fields.src} in ${list(addresses)} or ${fields.dst} in ${list(addresses)}) | stats count(*) as ${RECORDS}`,
		ranked: true,
	};
}

/** Where the detail part and the rest part meet: a record is in exactly one of them. */
function detailCondition(fields: AggregateFields): string {
	return `${fields.action} = "REJECT" or ${fields.status} != "OK"`;
}

const ACCEPTED = (fields: AggregateFields) => `${fields.action} != "REJECT" and ${fields.status} = "OK"`;

/** Accepted requests to a login port: what brute force is told by, from every source by name. */
function loginCondition(fields: AggregateFields): string {
	// Stryker disable next-line MethodExpression,ArrowFunction,ArithmeticOperator: the order of the list changes nothing it matches; sorted for a query text that reads well
	return `${fields.dstPort} in [${[...LOGIN_PORTS].sort((a, b) => a - b).join(', ')}]`;
}

/**
 * Accepted requests to a login port, by source: a brute force is many sources, or one, trying
 * again and again, and the rule counts them. The client port is not grouped by: the store folds it.
 * The packet's own addresses are, as in the detail part.
 */
export function loginQuery(fields: AggregateFields): PlannedQuery {
	const by = [
		'bin(1m)',
		fields.eni,
		fields.src,
		fields.dst,
		fields.dstPort,
		fields.protocol,
		fields.action,
		fields.status,
		...fields.extra,
		...fields.translation,
	];
	return {
		name: 'accepted requests to login ports',
		query: `${fields.prefix}filter ${ACCEPTED(fields)} and ${loginCondition(fields)} | stats ${sums(fields)}, ${timeSpan(fields)} by ${by.join(', ')}`,
		ranked: false,
	};
}

/**
 * Every refused or not-OK record of the window, by minute and every field the store keys on, and
 * the packet's own addresses: a record's, so they add no rows, and what a NAT gateway translated.
 */
export function detailQuery(fields: AggregateFields): PlannedQuery {
	const by = [
		'bin(1m)',
		fields.eni,
		fields.src,
		fields.dst,
		fields.srcPort,
		fields.dstPort,
		fields.protocol,
		fields.action,
		fields.status,
		...fields.extra,
		...fields.translation,
	];
	return {
		name: 'refused and not-OK records',
		query: `${fields.prefix}filter ${detailCondition(fields)} | stats ${sums(fields)}, ${timeSpan(fields)} by ${by.join(', ')}`,
		ranked: false,
	};
}

function list(addresses: readonly string[]): string {
	return `[${addresses.map(address => JSON.stringify(address)).join(', ')}]`;
}

/** Records on none of the `gateways` interfaces, which have parts of their own (restQueries); nothing to test where there are none. */
function offGateways(fields: AggregateFields, gateways: readonly string[]): string[] {
	return gateways.length > 0 ? [`${fields.eni} not in ${list(gateways)}`] : [];
}

/** Which port a part keeps: the lower one, at the source or at the destination. */
function portSplit(fields: AggregateFields, lowSrc: boolean): {condition: string; port: string; name: string} {
	// The complement of `srcPort <= dstPort` rather than `>`: a record without ports lands in one part still.
	const lower = `${fields.srcPort} <= ${fields.dstPort}`;
	return lowSrc
		? {condition: lower, port: fields.srcPort, name: 'source port'}
		: {condition: `not (${lower})`, port: fields.dstPort, name: 'destination port'};
}

/**
 * The accepted OK records of the window in parts that do not overlap: by whether each address is
 * kept (among `kept`, or in one of the `focus` CIDRs: what the view's filter names), only the kept
 * ones being grouped by, and by which port is the lower (only it is). The records of the `gateways`
 * interfaces (NAT gateways, or maybe: gatewaysQuery) have two parts of their own that keep every
 * address and the packet's own (the login part keeps them already): the strangers that knock on a NAT gateway
 * are what no list ranks, and whether it translated is what says it is one.
 */
export function restQueries(
	fields: AggregateFields,
	kept: readonly string[],
	focus: readonly string[] = [],
	gateways: readonly string[] = [],
): PlannedQuery[] {
	const keeping = kept.length > 0 || focus.length > 0;
	const inKept = (field: string, keep: boolean) => {
		if (focus.length === 0) {
			return `${field} ${keep ? 'in' : 'not in'} ${list(kept)}`;
		}

		const tests = [
			...(kept.length > 0 ? [`${field} in ${list(kept)}`] : []),
			...focus.map(cidr => `isIpInSubnet(${field}, ${JSON.stringify(cidr)})`),
		];
		return `${keep ? '' : 'not '}(${tests.join(' or ')})`;
	};
	const part = (name: string, conditions: readonly string[], by: readonly string[]): PlannedQuery => ({
		name,
		query: `${fields.prefix}filter ${conditions.join(' and ')} | stats ${sums(fields)}, ${timeSpan(fields)} by ${by.join(', ')}`,
		ranked: false,
	});
	const sides = keeping
		? ([true, false] as const).flatMap(src => ([true, false] as const).map(dst => [src, dst] as const))
		: [[false, false] as const];
	const parts = sides.flatMap(([keepSrc, keepDst]) =>
		([true, false] as const).map(lowSrc => {
			const split = portSplit(fields, lowSrc);
			const conditions = [ACCEPTED(fields), `not (${loginCondition(fields)})`, ...offGateways(fields, gateways)];
			if (keeping) {
				conditions.push(inKept(fields.src, keepSrc), inKept(fields.dst, keepDst));
			}

			conditions.push(split.condition);
			const by = [
				'bin(1m)',
				fields.eni,
				...(keepSrc ? [fields.src] : []),
				...(keepDst ? [fields.dst] : []),
				split.port,
				fields.protocol,
				fields.action,
				fields.status,
				...fields.extra,
			];
			const sides = `${keepSrc ? 'kept' : 'other'} sources to ${keepDst ? 'kept' : 'other'} destinations`;
			return part(`accepted, ${sides}, ${split.name}`, conditions, by);
		}),
	);
	const gatewayParts =
		gateways.length === 0
			? []
			: ([true, false] as const).map(lowSrc => {
					const split = portSplit(fields, lowSrc);
					const by = [
						'bin(1m)',
						fields.eni,
						fields.src,
						fields.dst,
						split.port,
						fields.protocol,
						fields.action,
						fields.status,
						...fields.extra,
						...fields.translation,
					];
					return part(
						`accepted, on NAT gateways, ${split.name}`,
						[
							ACCEPTED(fields),
							`not (${loginCondition(fields)})`,
							`${fields.eni} in ${list(gateways)}`,
							split.condition,
						],
						by,
					);
				});
	return [...parts, ...gatewayParts];
}
