import type {Finding} from '../diagnosis/finding.js';
import {EMPTY_FILTER, FilterError, parseFilter, type Filter} from '../engine/filter.js';
import type {Action} from '../flowlog/record.js';
import {addressMatcher, ipv4ToInt, type AddressMatcher} from '../net/address.js';

/**
 * What enter on a row narrows every pane to, built from the row's own values. Never through the
 * filter's text parser: a record the flow-log parser accepted (an ENI id of another shape, an
 * address written `010.000.000.001`) must narrow the view, not crash it.
 */

interface DrillValues {
	readonly eni?: string | undefined;
	/** Either end. */
	readonly address?: string | undefined;
	readonly src?: string | undefined;
	readonly dst?: string | undefined;
	readonly port?: number | undefined;
	readonly protocol?: number | undefined;
	readonly action?: Action;
}

function dottedQuad(value: number): string {
	return [24, 16, 8, 0].map(shift => (value >>> shift) & 0xff).join('.');
}

/** The one address `text`, whatever way of writing it the record used. */
function exactly(text: string): AddressMatcher {
	const ipv4 = ipv4ToInt(text);
	const matcher = addressMatcher(ipv4 >= 0 ? dottedQuad(ipv4) : text);
	if (matcher) {
		return matcher;
	}

	const family = text.includes(':') ? 6 : 4;
	return {text, family, cidr: `${text}/${family === 4 ? 32 : 128}`, matches: address => address === text};
}

function some<T>(value: T | undefined): T[] {
	return value === undefined ? [] : [value];
}

export function drillTo(values: DrillValues): Filter {
	return {
		...EMPTY_FILTER,
		enis: some(values.eni),
		addresses: some(values.address).map(address => exactly(address)),
		sources: some(values.src).map(address => exactly(address)),
		destinations: some(values.dst).map(address => exactly(address)),
		ports: some(values.port).map(port => ({from: port, to: port})),
		protocols: some(values.protocol),
		actions: some(values.action),
	};
}

/**
 * A finding's evidence as a filter. Its text form comes from the diagnosis; one the filter parser
 * refuses (an ENI id it does not know the shape of) narrows to the finding's interface instead.
 */
export function drillToFinding(finding: Finding): Filter {
	try {
		return parseFilter(finding.filter);
	} catch (error) {
		if (error instanceof FilterError) {
			return drillTo({eni: finding.eni, src: finding.src, dst: finding.dst, port: finding.port});
		}

		throw error;
	}
}
