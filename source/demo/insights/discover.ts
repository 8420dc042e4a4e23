import {fieldSpec} from '../../flowlog/fields.js';
import {DEFAULT_FORMAT} from '../../flowlog/format.js';
import {LineParser} from '../../flowlog/parser.js';

export type DiscoveredFields = Readonly<Record<string, string | number>>;

const parser = new LineParser(DEFAULT_FORMAT);
const cache = new WeakMap<object, DiscoveredFields | null>();

/**
 * The fields Insights discovers on its own in a default-format flow-log message, under their
 * Insights names (`interfaceId`, `srcAddr`, ...), or undefined for any other message: a custom
 * format only yields fields through `parse`. Cached per event, as a live poller re-queries the
 * same records many times.
 */
export function discoverFlowLogFields(event: {readonly message: string}): DiscoveredFields | undefined {
	let fields = cache.get(event);
	if (fields === undefined) {
		const parsed = parser.fields(event.message);
		if (typeof parsed === 'string') {
			fields = null;
		} else {
			const named: Record<string, string | number> = {};
			for (const [name, value] of Object.entries(parsed)) {
				named[fieldSpec(name)!.insights] = value;
			}

			fields = named;
		}

		cache.set(event, fields);
	}

	return fields ?? undefined;
}
