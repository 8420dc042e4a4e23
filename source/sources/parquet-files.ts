import {open, readdir} from 'node:fs/promises';
import {join} from 'node:path';

// Every Parquet file opens (and ends) with these four bytes.
const PARQUET_MAGIC = Buffer.from('PAR1');
const EXTENSION = '.parquet';

/** Whether the file is Apache Parquet, by its first bytes, whatever its name. */
export async function isParquetFile(path: string): Promise<boolean> {
	const handle = await open(path, 'r');
	try {
		const head = Buffer.alloc(PARQUET_MAGIC.length);
		const {bytesRead} = await handle.read(head, 0, head.length, 0);
		return bytesRead === head.length && head.equals(PARQUET_MAGIC);
	} finally {
		await handle.close();
	}
}

/**
 * The Parquet files of a directory and the directories under it, in path order: what AWS delivers
 * to S3 under Hive-style partitions (`aws-account-id=…/aws-service=vpcflowlogs/…/hour=…/`), copied down.
 */
export async function parquetFilesUnder(directory: string): Promise<string[]> {
	const entries = await readdir(directory, {recursive: true, withFileTypes: true});
	return entries
		.filter(entry => entry.isFile() && entry.name.endsWith(EXTENSION))
		.map(entry => join(entry.parentPath, entry.name))
		.sort();
}
