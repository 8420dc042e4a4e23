import type {ConversationTable} from './conversation-table.js';
import {ACTION_MASK} from './conversation-table.js';
import {isEmptyFilter, type Filter} from './filter.js';
import type {Interner} from './interner.js';
import type {AddressMatcher} from '../net/address.js';
import {actionCode} from './store.js';

export type RowPredicate = (table: ConversationTable, row: number) => boolean;

/**
 * The filter compiled against interned ids, for scanning every row of the window: ENIs become ids,
 * and whether an address matches is decided once per distinct address, not once per row.
 * Undefined when the filter is empty (everything matches).
 */
export function rowFilter(filter: Filter, strings: Interner): RowPredicate | undefined {
	if (isEmptyFilter(filter)) {
		return undefined;
	}

	const enis = filter.enis.map(eni => strings.find(eni));
	const actions = filter.actions.map(action => actionCode(action));
	const {protocols, ports, addresses, sources, destinations} = filter;
	const anyEnd = addressVerdicts(addresses, strings);
	const source = addressVerdicts(sources, strings);
	const destination = addressVerdicts(destinations, strings);

	const inPorts = (port: number): boolean => {
		if (port < 0) {
			return false;
		}

		for (const range of ports) {
			if (port >= range.from && port <= range.to) {
				return true;
			}
		}

		return false;
	};

	return (table, row) => (enis.length === 0 || enis.includes(table.eni[row]!))
		&& (actions.length === 0 || actions.includes(table.code[row]! & ACTION_MASK))
		&& (protocols.length === 0 || protocols.includes(table.protocol[row]!))
		&& (ports.length === 0 || inPorts(table.srcPort[row]!) || inPorts(table.dstPort[row]!))
		&& (addresses.length === 0 || anyEnd(table.src[row]!) || anyEnd(table.dst[row]!))
		&& (sources.length === 0 || source(table.src[row]!))
		&& (destinations.length === 0 || destination(table.dst[row]!));
}

/** Whether an interned address matches any of the matchers, decided once per address. */
function addressVerdicts(matchers: readonly AddressMatcher[], strings: Interner): (id: number) => boolean {
	// 0: not yet decided, 1: no match, 2: match.
	let verdicts = new Uint8Array(strings.size);
	return id => {
		if (id < 0) {
			return false;
		}

		if (id >= verdicts.length) {
			const grown = new Uint8Array(strings.size);
			grown.set(verdicts);
			verdicts = grown;
		}

		if (verdicts[id] === 0) {
			const text = strings.text(id);
			verdicts[id] = matchers.some(matcher => matcher.matches(text)) ? 2 : 1;
		}

		return verdicts[id] === 2;
	};
}
