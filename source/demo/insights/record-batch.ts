import type {Column} from './column.js';
import type {FieldDictionary} from './field-dictionary.js';
import type {FieldSource} from './field-source.js';
import type {InsightsEvent} from './row.js';

/**
 * Records a query reads together, by index: one delivery of one stream, as the endpoint stores it.
 * What is the same for every record is read once; the fields of the messages come parsed, as
 * columns the store keeps between queries.
 */
export interface RecordBatch {
	readonly ingestionTime: number;
	readonly logStream: string;
	/** `account-id:log-group-name`, as Insights writes @log. */
	readonly log: string;
	timestampAt(index: number): number;
	/** The record as an event, for what the columns do not answer. */
	event(index: number): InsightsEvent;
	/** The dictionary columns are named in now: a query names every value of its run in the one it began with. */
	dictionary(): FieldDictionary;
	/** Columns of these of the records' fields through `source`, their values named in `dictionary`. */
	columns(source: FieldSource, names: readonly string[], dictionary: FieldDictionary): ReadonlyMap<string, Column>;
}
