import type {Filter} from '../../engine/filter.js';
import {fieldSpec} from '../../flowlog/fields.js';
import type {FlowFormat} from '../../flowlog/format.js';
import {exactCondition, pushdownCondition} from './pushdown.js';

/** Raw records, so every message goes through flowtop's one parser whatever the format. */
export const RECORD_FIELDS = '@timestamp, @message, @ptr, @ingestionTime';

export interface QuerySpec {
	readonly format: FlowFormat;
	readonly filter: Filter;
	/** Filters whose records were fetched already (a backfill after the filter widened): left out exactly. */
	readonly exclude?: readonly Filter[];
}

// A column AWS added after the catalog was written keeps its header name, camel-cased as Insights would.
function insightsName(field: string): string {
	return fieldSpec(field)?.insights ?? field.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `parse` for a custom format: one wildcard per column, named as Insights names the default format's. */
export function parseCommand(format: FlowFormat): string {
	const pattern = format.fields.map(() => '*').join(' ');
	return `parse @message "${pattern}" as ${format.fields.map(field => insightsName(field)).join(', ')}`;
}

/**
 * The Logs Insights query for one poll: raw records, with the filter pushed down as far as the
 * format allows, and for a backfill the filters already fetched left out. Undefined when nothing
 * can be left to fetch (an excluded filter takes in every record).
 *
 *   default format:  fields @timestamp, @message, @ptr, @ingestionTime | filter ...
 *   custom format:   parse @message "* * ..." as version, accountId, ... | filter ... | display @timestamp, ...
 *
 * A custom format is parsed only when a condition reads its fields: parsing costs the service time
 * per record and buys nothing when every record comes back anyway. `display` then keeps the parsed
 * columns out of the results, which would otherwise multiply the bytes of every page.
 */
export function buildQuery({format, filter, exclude = []}: QuerySpec): string | undefined {
	const conditions: string[] = [];
	const wanted = pushdownCondition(filter, format);
	if (wanted !== undefined) {
		conditions.push(wanted);
	}

	for (const fetched of exclude) {
		const condition = exactCondition(fetched, format);
		if (condition === true) {
			return undefined;
		}

		// A filter on a field the format lacks matched nothing, so there is nothing of it to leave out.
		if (condition !== false) {
			conditions.push(`not (${condition})`);
		}
	}

	const filters = conditions.map(condition => `filter ${condition}`);
	if (format.isDefault || filters.length === 0) {
		return [`fields ${RECORD_FIELDS}`, ...filters].join('\n| ');
	}

	return [parseCommand(format), ...filters, `display ${RECORD_FIELDS}`].join('\n| ');
}
