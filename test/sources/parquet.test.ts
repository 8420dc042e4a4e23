import {spawnSync} from 'node:child_process';
import {mkdir, mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {parquetMetadata} from 'hyparquet';
import {type ColumnSource, parquetWriteBuffer} from 'hyparquet-writer';
import {beforeAll, describe, expect, it} from 'vitest';
import {DEMO_FORMAT} from '../../source/demo/feed/demo-format.js';
import {flowLine} from '../../source/demo/vpc/flow-line.js';
import {DEFAULT_FORMAT, type FieldValues, type FlowFormat, formatVersion} from '../../source/flowlog/format.js';
import {history, recordsOf} from '../demo/vpc/simulate.js';

const cli = new URL('../../dist/cli.js', import.meta.url).pathname;

// The types AWS gives each field in Parquet (its flow-log records page, and Athena's table for them);
// every other field is a string.
const INT32 = new Set(['version', 'srcport', 'dstport', 'tcp-flags', 'traffic-path']);
const INT64 = new Set(['protocol', 'packets', 'bytes', 'start', 'end']);

type Codec = 'GZIP' | 'SNAPPY';

interface Layout {
	readonly format?: FlowFormat;
	readonly codec?: Codec;
	readonly rowGroupSize?: number;
}

/** Records as AWS delivers them to S3 in Parquet: a column per field, named with underscores. */
function parquetOf(
	rows: readonly FieldValues[],
	{format = DEMO_FORMAT, codec = 'GZIP', rowGroupSize = 500}: Layout = {},
): Uint8Array {
	const columnData: ColumnSource[] = format.fields.map(field => {
		const values = rows.map(row => (field === 'version' ? formatVersion(format) : row[field]));
		const name = field.replaceAll('-', '_');
		if (INT32.has(field)) {
			return {name, type: 'INT32', data: values.map(value => (value === undefined ? null : Number(value)))};
		}

		if (INT64.has(field)) {
			return {name, type: 'INT64', data: values.map(value => (value === undefined ? null : BigInt(value)))};
		}

		return {name, type: 'STRING', data: values.map(value => (value === undefined ? null : String(value)))};
	});
	return new Uint8Array(
		parquetWriteBuffer({
			columnData,
			codec,
			compressors: {GZIP: input => new Uint8Array(gzipSync(input))},
			rowGroupSize,
		}),
	);
}

/** The same records as an S3 text object: the header line, then a line each. */
function textOf(rows: readonly FieldValues[], format: FlowFormat = DEMO_FORMAT): string {
	return `${format.fields.join(' ')}\n${rows.map(row => flowLine(row, format)).join('\n')}\n`;
}

function run(path: string, ...flags: string[]): {status: number | null; stdout: string; stderr: string} {
	const {CI: _, ...env} = process.env;
	const child = spawnSync('node', [cli, '--file', path, ...flags], {encoding: 'utf8', env, maxBuffer: 1 << 28});
	return {status: child.status, stdout: child.stdout, stderr: child.stderr};
}

function report(path: string, ...flags: string[]): {status: number | null; stdout: string; stderr: string} {
	return run(path, '--once', '--json', ...flags);
}

/** A few of the records made bad or partial, in the ways a column's type allows. */
function spoilt(records: readonly FieldValues[]): FieldValues[] {
	return records.map((record, index) => {
		switch (index % 97) {
			case 5: {
				return {...record, dstport: 70_000};
			}

			case 20: {
				return {...record, bytes: -5};
			}

			case 41: {
				return {...record, action: 'MAYBE'};
			}

			case 63: {
				return {...record, srcaddr: '10.0.0.256'};
			}

			case 80: {
				return {...record, start: 0};
			}

			case 90: {
				return {...record, srcport: undefined, dstport: undefined, bytes: undefined, 'interface-id': undefined};
			}

			default: {
				return record;
			}
		}
	});
}

let directory: string;
let rows: FieldValues[];
beforeAll(async () => {
	directory = await mkdtemp(join(tmpdir(), 'flowtop-parquet-'));
	// A port scan and the VPC's everyday traffic around it: findings, rejects, NODATA and all.
	rows = recordsOf(history('port-scan', 5, {seed: 7})).map(record => record.values);
});

describe('flow logs delivered to S3 in Parquet', {timeout: 60_000}, () => {
	it('give the same report as the text form of the same records, GZIP- or SNAPPY-compressed', async () => {
		await writeFile(join(directory, 'records.log'), textOf(rows));
		const text = report(join(directory, 'records.log'));
		expect(text.status).toBe(0);
		expect(JSON.parse(text.stdout).findings.map((finding: {kind: string}) => finding.kind)).toContain('port-scan');
		for (const codec of ['GZIP', 'SNAPPY'] as const) {
			const path = join(directory, `records-${codec}.parquet`);
			await writeFile(path, parquetOf(rows, {codec}));
			const parquet = report(path);
			expect(parquet.stderr).toBe(text.stderr);
			expect(parquet.stdout).toBe(text.stdout);
		}
	});

	it("give the text form's report, malformed rows by their line there, in the default format across row groups", async () => {
		const records = spoilt(rows);
		const path = join(directory, 'default.parquet');
		const parquet = parquetOf(records, {format: DEFAULT_FORMAT, rowGroupSize: 100});
		expect(parquetMetadata(parquet.slice().buffer).row_groups.length).toBeGreaterThan(3);
		await writeFile(path, parquet);
		await writeFile(join(directory, 'default.log'), textOf(records, DEFAULT_FORMAT));
		const text = report(join(directory, 'default.log'));
		expect(text.stderr).toMatch(/^flowtop: \d+ malformed lines skipped \(.*bad number in dstport/);
		expect(report(path)).toEqual(text);
		const ndjson = run(join(directory, 'default.log'), '--ndjson');
		expect(ndjson.stderr).toMatch(/^line \d+: bad number in dstport\nline \d+: bad number in bytes\n/);
		expect(run(path, '--ndjson')).toEqual(ndjson);
	});

	it('are read from a directory of Hive-style partitions, every file under it, lines counting on', async () => {
		const root = join(directory, 'AWSLogs', 'aws-account-id=123456789012', 'aws-service=vpcflowlogs');
		const records = spoilt(rows);
		const half = Math.floor(records.length / 2);
		const parts = [records.slice(0, half), records.slice(half)];
		for (const [index, hour] of ['09', '10'].entries()) {
			const partition = join(root, 'aws-region=us-east-1', 'year=2026', 'month=03', 'day=01', `hour=${hour}`);
			await mkdir(partition, {recursive: true});
			await writeFile(
				join(partition, `123456789012_vpcflowlogs_us-east-1_fl-0abc_20260301T${hour}00Z_hash.log.parquet`),
				parquetOf(parts[index]!),
			);
		}

		await writeFile(join(root, 'not-a-flow-log.txt'), 'ignored');
		// The text form of two S3 objects, one after the other: each opens with its header line.
		const text = join(directory, 'two-objects.log');
		await writeFile(text, parts.map(part => textOf(part)).join(''));
		expect(report(join(directory, 'AWSLogs'))).toEqual(report(text));
		expect(run(join(directory, 'AWSLogs'), '--ndjson')).toEqual(run(text, '--ndjson'));
	});

	it('count a bad value as a malformed record, as the text form does, and read on', async () => {
		const bad = [
			{...rows[0], dstport: 70_000},
			{...rows[1], action: 'MAYBE'},
			{...rows[2], srcaddr: '10.0.0.1 ACCEPT'},
			...rows.slice(3, 10),
		];
		const path = join(directory, 'bad.parquet');
		await writeFile(path, parquetOf(bad));
		const parquet = report(path);
		expect(JSON.parse(parquet.stdout).records).toMatchObject({malformed: 3, ok: expect.any(Number)});
		expect(parquet.stderr).toMatch(/^flowtop: 3 malformed lines skipped \(.*bad number in dstport/);
		expect(parquet.status).toBe(0);
	});

	it('say what is wrong with a directory that holds none, and with a file that only looks like one', async () => {
		const empty = await mkdtemp(join(tmpdir(), 'flowtop-empty-'));
		expect(report(empty)).toMatchObject({
			status: 1,
			stderr: `flowtop: cannot read ${empty}: it is a directory with no .parquet file under it, give a file\n`,
		});
		const cut = join(directory, 'cut.parquet');
		await writeFile(cut, parquetOf(rows).subarray(0, 2000));
		const run = report(cut);
		expect(run.status).toBe(1);
		expect(run.stderr).toMatch(/^flowtop: reading .*cut\.parquet stopped: .+\n$/);
	});
});
