import type {Action} from '../flowlog/record.js';
import {protocolName, protocolNumber} from '../flowlog/protocols.js';
import {addressMatcher, type AddressMatcher} from '../net/address.js';

/**
 * One filter model for flags, keys and queries: records must match every kind that is set (AND
 * across kinds) and any value within a kind (OR within a kind). Addresses and CIDRs match either
 * end of a flow, ports either port; `src:` and `dst:` pin an address to one end, which is how a
 * conversation between two hosts is narrowed to (`src:a dst:b`).
 */
export interface Filter {
	readonly enis: readonly string[];
	readonly addresses: readonly AddressMatcher[];
	readonly sources: readonly AddressMatcher[];
	readonly destinations: readonly AddressMatcher[];
	readonly ports: readonly PortRange[];
	readonly protocols: readonly number[];
	readonly actions: readonly Action[];
}

export interface PortRange {
	readonly from: number;
	readonly to: number;
}

/** The fields of a record (or of an aggregate of records) a filter looks at. */
export interface Filterable {
	readonly eni: string | undefined;
	readonly src: string | undefined;
	readonly dst: string | undefined;
	readonly srcPort: number | undefined;
	readonly dstPort: number | undefined;
	readonly protocol: number | undefined;
	readonly action: Action | undefined;
}

export const EMPTY_FILTER: Filter = {
	enis: [],
	addresses: [],
	sources: [],
	destinations: [],
	ports: [],
	protocols: [],
	actions: [],
};

export function isEmptyFilter(filter: Filter): boolean {
	return (
		filter.enis.length === 0 &&
		filter.addresses.length === 0 &&
		filter.sources.length === 0 &&
		filter.destinations.length === 0 &&
		filter.ports.length === 0 &&
		filter.protocols.length === 0 &&
		filter.actions.length === 0
	);
}

/**
 * How one shape of flow shows what a filter looks at: a record, or row `index` of a table. ENIs and
 * addresses come as keys (a record's text, a table's interned id), so a table is filtered without
 * turning a row back into text. A missing value is undefined, or a value no filter value can equal
 * (a table's -1).
 */
export interface FlowFields<F, K> {
	eni(flow: F, index: number): K | undefined;
	src(flow: F, index: number): K | undefined;
	dst(flow: F, index: number): K | undefined;
	srcPort(flow: F, index: number): number | undefined;
	dstPort(flow: F, index: number): number | undefined;
	protocol(flow: F, index: number): number | undefined;
	action(flow: F, index: number): Action | undefined;
	/** The key of an ENI id; undefined when no flow can carry it. */
	eniKey(eni: string): K | undefined;
	/** Whether the address behind a key matches any of the matchers (a table decides once per key). */
	addressTest(matchers: readonly AddressMatcher[]): (key: K) => boolean;
}

type Check<F> = (flow: F, index: number) => boolean;

function inPorts(ports: readonly PortRange[], port: number | undefined): boolean {
	if (port === undefined) {
		return false;
	}

	for (const range of ports) {
		if (port >= range.from && port <= range.to) {
			return true;
		}
	}

	return false;
}

/**
 * The one definition of what a filter means, for any shape of flow: every kind that is set must
 * match (AND), any value within a kind will do (OR); a flow that lacks a field (a `-`, a NODATA
 * record) matches no value of it. Undefined for the empty filter: everything matches.
 */
export function compileFilter<F, K>(filter: Filter, fields: FlowFields<F, K>): Check<F> | undefined {
	const checks: Array<Check<F>> = [];
	if (filter.enis.length > 0) {
		const keys = filter.enis.map(eni => fields.eniKey(eni)).filter(key => key !== undefined);
		checks.push((flow, index) => {
			const key = fields.eni(flow, index);
			return key !== undefined && keys.includes(key);
		});
	}

	if (filter.actions.length > 0) {
		checks.push((flow, index) => {
			const action = fields.action(flow, index);
			return action !== undefined && filter.actions.includes(action);
		});
	}

	if (filter.protocols.length > 0) {
		checks.push((flow, index) => {
			const protocol = fields.protocol(flow, index);
			return protocol !== undefined && filter.protocols.includes(protocol);
		});
	}

	if (filter.ports.length > 0) {
		checks.push(
			(flow, index) =>
				inPorts(filter.ports, fields.srcPort(flow, index)) || inPorts(filter.ports, fields.dstPort(flow, index)),
		);
	}

	const addressCheck = (
		matchers: readonly AddressMatcher[],
		ends: Array<(flow: F, index: number) => K | undefined>,
	) => {
		if (matchers.length === 0) {
			return;
		}

		const test = fields.addressTest(matchers);
		checks.push((flow, index) =>
			ends.some(end => {
				const key = end(flow, index);
				return key !== undefined && test(key);
			}),
		);
	};

	addressCheck(filter.addresses, [fields.src, fields.dst]);
	addressCheck(filter.sources, [fields.src]);
	addressCheck(filter.destinations, [fields.dst]);
	if (checks.length === 0) {
		return undefined;
	}

	return (flow, index) => {
		for (const check of checks) {
			if (!check(flow, index)) {
				return false;
			}
		}

		return true;
	};
}

/** A record (or an aggregate of records) read as it is: keys are the texts themselves. */
const filterableFields: FlowFields<Filterable, string> = {
	eni: flow => flow.eni,
	src: flow => flow.src,
	dst: flow => flow.dst,
	srcPort: flow => flow.srcPort,
	dstPort: flow => flow.dstPort,
	protocol: flow => flow.protocol,
	action: flow => flow.action,
	eniKey: eni => eni,
	addressTest: matchers => address => matchers.some(matcher => matcher.matches(address)),
};

/** Whether one record matches: compileFilter over records, for a test here and there rather than a scan. */
export function matchesFilter(filter: Filter, flow: Filterable): boolean {
	return compileFilter(filter, filterableFields)?.(flow, 0) ?? true;
}

export class FilterError extends Error {
	override readonly name = 'FilterError';
}

const FILTER_HELP =
	'use an ENI (eni-0abc), an address or CIDR (10.0.0.0/16), src:/dst: before one, port:22, tcp|udp|icmp, accept|reject';

export function parseEni(text: string): string {
	if (!/^eni-[\da-z]+$/i.test(text)) {
		throw new FilterError(`"${text}" is not an ENI id: ENI ids look like eni-0abc123`);
	}

	return text.toLowerCase();
}

export function parseAddress(text: string): AddressMatcher {
	const matcher = addressMatcher(text);
	if (!matcher) {
		throw new FilterError(`"${text}" is not an address or CIDR: write 10.0.0.5, 10.0.0.0/16 or 2001:db8::/32`);
	}

	return matcher;
}

export function parsePorts(text: string): PortRange[] {
	return text.split(',').map(part => {
		const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
		const from = match ? Number(match[1]) : Number.NaN;
		const to = match?.[2] === undefined ? from : Number(match[2]);
		if (!match || from > 65_535 || to > 65_535 || to < from) {
			throw new FilterError(`"${part}" is not a port: write port:22, port:80,443 or port:1024-65535`);
		}

		return {from, to};
	});
}

export function parseProtocol(text: string): number {
	const protocol = protocolNumber(text);
	if (protocol === undefined) {
		throw new FilterError(`"${text}" is not a protocol: write tcp, udp, icmp, icmpv6 or a number 0-255`);
	}

	return protocol;
}

export function parseAction(text: string): Action {
	const upper = text.toUpperCase();
	if (upper !== 'ACCEPT' && upper !== 'REJECT') {
		throw new FilterError(`"${text}" is not an action: write accept or reject`);
	}

	return upper;
}

interface MutableFilter {
	enis: string[];
	addresses: AddressMatcher[];
	sources: AddressMatcher[];
	destinations: AddressMatcher[];
	ports: PortRange[];
	protocols: number[];
	actions: Action[];
}

function addTerm(filter: MutableFilter, term: string): void {
	const colon = term.indexOf(':');
	const prefix = colon > 0 ? term.slice(0, colon).toLowerCase() : '';
	const value = term.slice(colon + 1);
	switch (prefix) {
		case 'port': {
			filter.ports.push(...parsePorts(value));
			return;
		}

		case 'proto':
		case 'protocol': {
			filter.protocols.push(parseProtocol(value));
			return;
		}

		case 'action': {
			filter.actions.push(parseAction(value));
			return;
		}

		case 'eni': {
			filter.enis.push(parseEni(value));
			return;
		}

		case 'cidr':
		case 'addr':
		case 'ip': {
			filter.addresses.push(parseAddress(value));
			return;
		}

		case 'src': {
			filter.sources.push(parseAddress(value));
			return;
		}

		case 'dst': {
			filter.destinations.push(parseAddress(value));
			return;
		}

		default:
	}

	const lower = term.toLowerCase();
	if (lower.startsWith('eni-')) {
		filter.enis.push(parseEni(term));
	} else if (lower === 'accept' || lower === 'reject') {
		filter.actions.push(parseAction(term));
	} else if (/^\d+$/.test(term)) {
		throw new FilterError(`"${term}" is ambiguous: write port:${term} for a port or proto:${term} for a protocol`);
	} else if (protocolNumber(term) !== undefined) {
		filter.protocols.push(protocolNumber(term)!);
	} else if (/^[\d.:a-f]+(?:\/\d*)?$/i.test(term) && /[.:]/.test(term)) {
		filter.addresses.push(parseAddress(term));
	} else {
		throw new FilterError(`unknown filter term "${term}": ${FILTER_HELP}`);
	}
}

/** The compact text form: `eni-0abc 10.0.0.0/16 port:22 reject`. Throws FilterError naming the bad term. */
export function parseFilter(text: string): Filter {
	const filter: MutableFilter = {
		enis: [],
		addresses: [],
		sources: [],
		destinations: [],
		ports: [],
		protocols: [],
		actions: [],
	};
	for (const term of text.trim().split(/\s+/).filter(Boolean)) {
		addTerm(filter, term);
	}

	return dedupe(filter);
}

function unique<T>(values: readonly T[], key: (value: T) => string = value => String(value)): T[] {
	const seen = new Set<string>();
	return values.filter(value => {
		const k = key(value);
		if (seen.has(k)) {
			return false;
		}

		seen.add(k);
		return true;
	});
}

function dedupe(filter: Filter): Filter {
	return {
		enis: unique(filter.enis),
		addresses: unique(filter.addresses, matcher => matcher.cidr),
		sources: unique(filter.sources, matcher => matcher.cidr),
		destinations: unique(filter.destinations, matcher => matcher.cidr),
		ports: unique(filter.ports, range => `${range.from}-${range.to}`),
		protocols: unique(filter.protocols),
		actions: unique(filter.actions),
	};
}

/** Both filters at once: kinds set in `extra` are added to (OR within a kind) those of `base`. */
export function combineFilters(base: Filter, extra: Filter): Filter {
	return dedupe({
		enis: [...base.enis, ...extra.enis],
		addresses: [...base.addresses, ...extra.addresses],
		sources: [...base.sources, ...extra.sources],
		destinations: [...base.destinations, ...extra.destinations],
		ports: [...base.ports, ...extra.ports],
		protocols: [...base.protocols, ...extra.protocols],
		actions: [...base.actions, ...extra.actions],
	});
}

function portText(range: PortRange): string {
	return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

/** The text form of a filter; parseFilter(formatFilter(f)) gives f back. */
export function formatFilter(filter: Filter): string {
	const terms: string[] = [
		...filter.enis,
		...filter.addresses.map(matcher => matcher.text),
		...filter.sources.map(matcher => `src:${matcher.text}`),
		...filter.destinations.map(matcher => `dst:${matcher.text}`),
	];
	if (filter.ports.length > 0) {
		terms.push(`port:${filter.ports.map(range => portText(range)).join(',')}`);
	}

	terms.push(
		...filter.protocols.map(protocol =>
			protocolNumber(protocolName(protocol)) === protocol ? protocolName(protocol).toLowerCase() : `proto:${protocol}`,
		),
	);
	terms.push(...filter.actions.map(action => action.toLowerCase()));
	return terms.join(' ');
}
