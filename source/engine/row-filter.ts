import type {ConversationTable} from './conversation-table.js';
import {compileFilter, type Filter, type FlowFields} from './filter.js';
import type {Interner} from './interner.js';
import type {AddressMatcher} from '../net/address.js';
import {actionOf} from './store.js';

export type RowPredicate = (table: ConversationTable, row: number) => boolean;

/**
 * A table's rows as the filter reads them: ENIs and addresses by interned id. A missing value is
 * -1 there, which no filter value equals and no port range holds, so it is read as it is stored.
 */
function tableFields(strings: Interner): FlowFields<ConversationTable, number> {
	return {
		eni: (table, row) => table.eni[row]!,
		src: (table, row) => table.src[row]!,
		dst: (table, row) => table.dst[row]!,
		srcPort: (table, row) => table.srcPort[row]!,
		dstPort: (table, row) => table.dstPort[row]!,
		protocol: (table, row) => table.protocol[row]!,
		action: (table, row) => actionOf(table.code[row]!),
		eniKey(eni) {
			const id = strings.find(eni);
			return id < 0 ? undefined : id;
		},
		addressTest: matchers => addressVerdicts(matchers, strings),
	};
}

/**
 * The filter compiled against interned ids, for scanning every row of the window: ENIs become ids,
 * and whether an address matches is decided once per distinct address, not once per row.
 * Undefined when the filter is empty (everything matches).
 */
export function rowFilter(filter: Filter, strings: Interner): RowPredicate | undefined {
	return compileFilter(filter, tableFields(strings));
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
