import {FIELDS} from '../../flowlog/fields.js';
import {DEFAULT_FORMAT} from '../../flowlog/format.js';
import {type FieldMap, LineParser} from '../../flowlog/parser.js';

const parser = new LineParser(DEFAULT_FORMAT);
const cache = new WeakMap<object, FieldMap | null>();
const awsNames: ReadonlyMap<string, string> = new Map(FIELDS.map(spec => [spec.insights, spec.name]));

/**
 * A field Insights discovers on its own in a default-format flow-log message, asked for by its
 * Insights name (`interfaceId`, `srcAddr`, ...); undefined for any other message, since a custom
 * format only yields fields through `parse`. A message is parsed once, the first time any of its
 * fields is asked for: a live poller re-queries the same records many times.
 */
export function discoveredField(event: {readonly message: string}, insightsName: string): string | number | undefined {
	const name = awsNames.get(insightsName);
	if (name === undefined) {
		return undefined;
	}

	let fields = cache.get(event);
	if (fields === undefined) {
		const parsed = parser.fields(event.message);
		fields = typeof parsed === 'string' ? null : parsed;
		cache.set(event, fields);
	}

	return fields?.[name];
}
