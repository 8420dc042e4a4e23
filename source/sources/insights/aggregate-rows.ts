import type {ResultField} from '@aws-sdk/client-cloudwatch-logs';
import type {ParseStats} from '../../flowlog/decoder.js';
import {fieldSpec} from '../../flowlog/fields.js';
import {formatOf} from '../../flowlog/format.js';
import {LineParser} from '../../flowlog/parser.js';
import type {AggregatedRecords} from '../../engine/store.js';
import {FIRST_START, LAST_END, RECORDS, SUM_BYTES, SUM_PACKETS} from './aggregate-plan.js';

/** A result row's fields by name. */
export function fieldsOf(row: readonly ResultField[]): Map<string, string> {
	const fields = new Map<string, string>();
	for (const {field, value} of row) {
		// Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: an entry kept without a name or a value reads as absent all the same
		if (field !== undefined && value !== undefined) {
			fields.set(field, value);
		}
	}

	return fields;
}

/** Where each total of a row goes in the line the parser reads. */
const TOTALS: ReadonlyArray<[string, string]> = [
	['bytes', SUM_BYTES],
	['packets', SUM_PACKETS],
	['start', FIRST_START],
	['end', LAST_END],
];

/**
 * Rows of the `stats` queries as "N records with these totals". Each row is written out as a
 * flow-log line of the fields it was grouped by plus its sums, and read by flowtop's one parser:
 * addresses come out canonical and numbers checked exactly as a raw record's would, and a row the
 * parser refuses is counted as malformed, not guessed at. A field the row was not grouped by is `-`.
 */
export class AggregateRowReader {
	private readonly names: readonly string[];
	private readonly columns: readonly string[];
	private readonly parser: LineParser;

	/** `grouped`: the AWS names of every field any query groups by. */
	constructor(
		grouped: readonly string[],
		private readonly stats: ParseStats,
	) {
		this.names = [...grouped, ...TOTALS.map(([name]) => name)];
		this.columns = [...grouped.map(name => fieldSpec(name)!.insights), ...TOTALS.map(([, column]) => column)];
		this.parser = new LineParser(formatOf(this.names));
	}

	read(rows: readonly ResultField[][], out: AggregatedRecords[]): void {
		for (const row of rows) {
			const fields = fieldsOf(row);
			const records = Number(fields.get(RECORDS));
			const line = this.columns.map(column => fields.get(column)?.trim() || '-').join(' ');
			const parsed = Number.isSafeInteger(records) && records > 0 ? this.parser.parse(line) : 'bad record count';
			if (typeof parsed === 'string') {
				this.stats.note(0, `aggregate row: ${parsed}`, line);
				continue;
			}

			out.push({...parsed, records});
		}
	}
}
