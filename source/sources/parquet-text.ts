import {asyncBufferFromFile, parquetMetadataAsync, parquetRead} from 'hyparquet';
import {compressors} from 'hyparquet-compressors';
import {isFieldName} from '../flowlog/fields.js';

/**
 * Flow logs that VPC delivers to S3 as Apache Parquet, read as the text form of the same records:
 * a header line that names the fields of the file's columns (as an S3 text object opens), then one
 * line per row. The records then go through the one parser every other source uses, so a Parquet
 * file reports what its text form does, malformed values included. Loaded only for Parquet input:
 * the reader and its codecs are not part of start-up.
 */

/** Parquet names a column after its field with underscores: `log_status` is `log-status`. */
function fieldOf(column: string): string | undefined {
	const name = column.replaceAll('_', '-');
	return isFieldName(name) ? name : undefined;
}

/**
 * A value as one token of a line: `-` where the record has none, as AWS writes it in text. A
 * value with blanks in it would split into several fields, so they are made visible instead, and
 * the parser refuses the value as it would any other malformed one.
 */
function token(value: unknown): string {
	if (value === null || value === undefined) {
		return '-';
	}

	const text = String(value);
	return /\s/.test(text) ? text.replaceAll(/\s/g, '\uFFFD') : text === '' ? '-' : text;
}

/**
 * One Parquet file as flow-log text, a row group at a time: the header line first. Columns that
 * are no flow-log field (a partition column written into the file) are left out.
 */
export async function* parquetText(path: string): AsyncGenerator<string> {
	const file = await asyncBufferFromFile(path);
	const metadata = await parquetMetadataAsync(file);
	const columns = metadata.schema
		.slice(1)
		.filter(element => element.num_children === undefined)
		.map(element => element.name);
	const fields = columns.flatMap(column => {
		const field = fieldOf(column);
		return field ? [{column, field}] : [];
	});
	if (fields.length === 0) {
		throw new Error(`no column of ${path} is a flow-log field (${columns.join(', ')})`);
	}

	yield `${fields.map(({field}) => field).join(' ')}\n`;
	let rowStart = 0;
	for (const group of metadata.row_groups) {
		const rowEnd = rowStart + Number(group.num_rows);
		const rows = rowEnd - rowStart;
		const values = fields.map(() => new Array<unknown>(rows));
		const indexOf = new Map(fields.map(({column}, index) => [column, index]));
		await parquetRead({
			file,
			metadata,
			compressors,
			columns: fields.map(({column}) => column),
			rowStart,
			rowEnd,
			onChunk({columnName, columnData, rowStart: from}) {
				const into = values[indexOf.get(columnName)!]!;
				for (let row = 0; row < columnData.length; row++) {
					into[from - rowStart + row] = columnData[row];
				}
			},
		});
		let text = '';
		for (let row = 0; row < rows; row++) {
			let line = token(values[0]![row]);
			for (let index = 1; index < values.length; index++) {
				line += ` ${token(values[index]![row])}`;
			}

			text += `${line}\n`;
		}

		yield text;
		rowStart = rowEnd;
	}
}
