import {formatFilter, parseFilter} from '../engine/filter.js';
import type {InterfaceProfile} from '../engine/interfaces.js';
import {isPortProtocol, protocolName, serviceName} from '../flowlog/protocols.js';

/** `TCP 5432`, or `ICMP` for a protocol without ports. */
export function portLabel(protocol: number, port: number | undefined): string {
	return isPortProtocol(protocol) && port !== undefined ? `${protocolName(protocol)} ${port}` : protocolName(protocol);
}

/** `TCP 5432 (PostgreSQL)` when the port has a well-known name. */
export function serviceLabel(protocol: number, port: number | undefined): string {
	const name = port === undefined || !isPortProtocol(protocol) ? undefined : serviceName(port);
	return name === undefined ? portLabel(protocol, port) : `${portLabel(protocol, port)} (${name})`;
}

/**
 * `22`, `53/udp` or `ICMP`: what answered on one host, in nmap's notation, TCP's port bare as
 * it is for most of what a sweep finds.
 */
export function targetPort(protocol: number, port: number): string {
	if (!isPortProtocol(protocol)) {
		return protocolName(protocol);
	}

	return protocol === 6 ? String(port) : `${port}/${protocolName(protocol).toLowerCase()}`;
}

/** `10.0.0.10:22`, `[2600:1f18::10]:53/udp` or `10.0.0.10 (ICMP)`. */
export function targetText(host: string, protocol: number, port: number): string {
	if (!isPortProtocol(protocol)) {
		return `${host} (${protocolName(protocol)})`;
	}

	return `${host.includes(':') ? `[${host}]` : host}:${targetPort(protocol, port)}`;
}

/** The subnet by id when the records carry subnet-id, else by the interface in it. */
export function subnetOf(profile: InterfaceProfile | undefined, eni: string): string {
	return profile?.subnetId ?? `the subnet of ${eni}`;
}

export function plural(count: number, word: string, many = `${word}s`): string {
	return `${count} ${count === 1 ? word : many}`;
}

/** `09:41`, UTC: flow-log times are UTC and so is the console's. */
export function clockTime(seconds: number): string {
	return new Date(seconds * 1000).toISOString().slice(11, 16);
}

/** `42%`, or `<1%` for a share that is not nothing. */
export function percent(share: number): string {
	return share > 0 && share < 0.01 ? '<1%' : `${Math.round(share * 100)}%`;
}

/** `a, b and c`, or `a, b and 4 more` past `max`. */
export function listOf(items: readonly string[], max = 3): string {
	if (items.length <= 1) {
		return items[0] ?? '';
	}

	const shown = items.length > max ? items.slice(0, max - 1) : items.slice(0, -1);
	const last = items.length > max ? `${items.length - shown.length} more` : items.at(-1)!;
	return `${shown.join(', ')} and ${last}`;
}

/**
 * Filter terms in the engine's canonical text form, so pressing enter narrows to exactly them.
 * A term a finding lacks is undefined, which join() writes as nothing. A finding works it out in a
 * getter, when read: `--once` never prints it, and parsing the terms of the bench file's 4,667
 * findings took about a tenth of its diagnosis.
 */
export function filterText(terms: ReadonlyArray<string | undefined>): string {
	return formatFilter(parseFilter(terms.join(' ')));
}

/** The filter term for a protocol; filterText() turns it into the name (`tcp`) where there is one. */
export function protocolTerm(protocol: number): string {
	return `proto:${protocol}`;
}

/** The filter term for a set of ports, or undefined when there are none. */
export function portsTerm(ports: readonly number[]): string | undefined {
	return ports.length === 0 ? undefined : `port:${[...ports].sort((a, b) => a - b).join(',')}`;
}
