import ipaddr from 'ipaddr.js';
import type {Filter, PortRange} from '../../engine/filter.js';
import type {AddressMatcher} from '../../net/address.js';

function cidrWithin(inner: AddressMatcher, outer: AddressMatcher): boolean {
	if (inner.family !== outer.family) {
		return false;
	}

	const [innerNetwork, innerBits] = ipaddr.parseCIDR(inner.cidr);
	const [outerNetwork, outerBits] = ipaddr.parseCIDR(outer.cidr);
	return innerBits >= outerBits && innerNetwork.match(outerNetwork, outerBits);
}

function allWithin<T>(narrow: readonly T[], wide: readonly T[], within: (inner: T, outer: T) => boolean): boolean {
	return narrow.length > 0 && narrow.every(inner => wide.some(outer => within(inner, outer)));
}

function rangeWithin(inner: PortRange, outer: PortRange): boolean {
	return inner.from >= outer.from && inner.to <= outer.to;
}

function kindIncludes<T>(wide: readonly T[], narrow: readonly T[], within: (inner: T, outer: T) => boolean): boolean {
	return wide.length === 0 || allWithin(narrow, wide, within);
}

function same<T>(inner: T, outer: T): boolean {
	return inner === outer;
}

// Keyed by every kind of Filter, so a kind added to the model fails to compile until it is compared.
const kinds: {readonly [K in keyof Filter]: (wide: Filter, narrow: Filter) => boolean} = {
	enis: (wide, narrow) => kindIncludes(wide.enis, narrow.enis, same),
	// A record whose source (or destination) is pinned inside one of the wide either-end addresses matches it too.
	addresses: (wide, narrow) => wide.addresses.length === 0
		|| allWithin(narrow.addresses, wide.addresses, cidrWithin)
		|| allWithin(narrow.sources, wide.addresses, cidrWithin)
		|| allWithin(narrow.destinations, wide.addresses, cidrWithin),
	sources: (wide, narrow) => kindIncludes(wide.sources, narrow.sources, cidrWithin),
	destinations: (wide, narrow) => kindIncludes(wide.destinations, narrow.destinations, cidrWithin),
	ports: (wide, narrow) => kindIncludes(wide.ports, narrow.ports, rangeWithin),
	protocols: (wide, narrow) => kindIncludes(wide.protocols, narrow.protocols, same),
	actions: (wide, narrow) => kindIncludes(wide.actions, narrow.actions, same),
};

/**
 * True when every record `narrow` matches is matched by `wide` as well: switching from `wide` to
 * `narrow` fetches nothing new, so no backfill is needed. Conservative: false only costs a backfill
 * query that finds nothing, never a record.
 */
export function filterIncludes(wide: Filter, narrow: Filter): boolean {
	return (Object.keys(kinds) as Array<keyof Filter>).every(kind => kinds[kind](wide, narrow));
}
