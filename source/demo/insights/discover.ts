import {FIELDS} from '../../flowlog/fields.js';
import {DEFAULT_FORMAT} from '../../flowlog/format.js';
import {type FieldMap, LineParser} from '../../flowlog/parser.js';

const parser = new LineParser(DEFAULT_FORMAT);
const awsNames: ReadonlyMap<string, string> = new Map(FIELDS.map(spec => [spec.insights, spec.name]));
const insightsNames: ReadonlyMap<string, string> = new Map(FIELDS.map(spec => [spec.name, spec.insights]));

/** The Insights names of the fields discovered in a default-format message; every other name a message never holds. */
export const DISCOVERED_NAMES: readonly string[] = DEFAULT_FORMAT.fields.map(name => insightsNames.get(name)!);

/** What a row has read of its message: undefined until a discovered field is first asked for, null for a message that is not a default-format record. */
export interface Discovered {
	fields?: FieldMap | null;
}

/**
 * A field Insights discovers on its own in a default-format flow-log message, asked for by its
 * Insights name (`interfaceId`, `srcAddr`, ...); undefined for any other message, since a custom
 * format only yields fields through `parse`. A message is parsed once per row, the first time any
 * of its fields is asked for, and only then: most queries never ask.
 */
export function discoveredField(
	message: string,
	insightsName: string,
	discovered: Discovered,
): string | number | undefined {
	const name = awsNames.get(insightsName);
	if (name === undefined) {
		return undefined;
	}

	if (discovered.fields === undefined) {
		const parsed = parser.fields(message);
		discovered.fields = typeof parsed === 'string' ? null : parsed;
	}

	return discovered.fields?.[name];
}
