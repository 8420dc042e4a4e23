import {asyncBufferFromFile, parquetMetadataAsync, parquetScan, parquetSchema} from 'hyparquet';
import {compressors} from 'hyparquet-compressors';
import {isFieldName} from '../flowlog/fields.js';
import type {ValueColumns} from '../flowlog/value-parser.js';

/**
 * Flow logs that VPC delivers to S3 as Apache Parquet, read as tables of typed columns for the
 * value parser: no text form, no object per row. Only the columns that are flow-log fields are
 * read, and one row group at a time, so memory follows a row group, not the file. Loaded only for
 * Parquet input: the reader and its codecs are not part of start-up.
 */

/** The rows of one row group: a column per field of the table, in the table's field order. */
export interface RowGroup {
	readonly columns: ValueColumns;
	readonly rows: number;
}

export interface ParquetTable {
	/** The flow-log fields of the file's columns, in the file's order. */
	readonly fields: readonly string[];
	/** Each row group, decoded when asked for. */
	readonly groups: AsyncIterable<RowGroup>;
}

/** Parquet names a column after its field with underscores: `log_status` is `log-status`. */
function fieldOf(column: string): string | undefined {
	const name = column.replaceAll('_', '-');
	return isFieldName(name) ? name : undefined;
}

export async function openParquetTable(path: string): Promise<ParquetTable> {
	const file = await asyncBufferFromFile(path);
	const metadata = await parquetMetadataAsync(file);
	const columns = parquetSchema(metadata)
		.children.filter(child => child.children.length === 0)
		.map(child => child.element.name);
	const fields = columns.flatMap(column => {
		const field = fieldOf(column);
		return field ? [{column, field}] : [];
	});
	if (fields.length === 0) {
		throw new Error(`no column of ${path} is a flow-log field (${columns.join(', ')})`);
	}

	const scan = await parquetScan({file, metadata, compressors, columns: fields.map(({column}) => column)});
	async function* groups(): AsyncGenerator<RowGroup> {
		for (const {rowStart, rowEnd} of scan.ranges) {
			yield {
				columns: await Promise.all(fields.map(async ({column}) => scan.readColumn({column, rowStart, rowEnd}))),
				rows: rowEnd - rowStart,
			};
		}
	}

	return {fields: fields.map(({field}) => field), groups: groups()};
}
