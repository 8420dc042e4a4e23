import {existsSync, mkdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {DuckDBInstance} from '@duckdb/node-api';
import {writeSyntheticFlowLog} from './synthetic-flows.js';
import {measure} from './measure.js';
import {renderRun} from './render.js';

/**
 * `npm run bench`: speed and memory of `flowtop --once`, quoted as ratios against DuckDB running
 * the equivalent top-10 query over the same file in the same run.
 */

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'dist/cli.js');
const directory = join(root, '.bench');
const runs = Number(process.env.BENCH_RUNS ?? 3);

async function fixture(records: number): Promise<string> {
	mkdirSync(directory, {recursive: true});
	const path = join(directory, `flows-${records}.log`);
	if (!existsSync(path)) {
		process.stdout.write(`generating ${records} records... `);
		await writeSyntheticFlowLog(path, records);
		process.stdout.write(`${(statSync(path).size / 1e6).toFixed(0)} MB\n`);
	}

	return path;
}

async function best<T extends {seconds: number}>(run: () => Promise<T>): Promise<T> {
	let result: T | undefined;
	for (let i = 0; i < runs; i++) {
		const next = await run();
		if (!result || next.seconds < result.seconds) {
			result = next;
		}
	}

	return result!;
}

const columns =
	"{'version':'INTEGER','account':'VARCHAR','eni':'VARCHAR','srcaddr':'VARCHAR','dstaddr':'VARCHAR','srcport':'INTEGER','dstport':'INTEGER','protocol':'INTEGER','packets':'BIGINT','bytes':'BIGINT','start':'BIGINT','end':'BIGINT','action':'VARCHAR','status':'VARCHAR'}";

async function duckdbTopTalkers(path: string): Promise<{seconds: number; rows: Array<[string, string, number]>}> {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	const began = performance.now();
	const reader = await connection.runAndReadAll(`
		SELECT srcaddr, dstaddr, sum(bytes) AS bytes
		FROM read_csv('${path}', delim=' ', header=false, columns=${columns})
		WHERE status = 'OK'
		GROUP BY srcaddr, dstaddr ORDER BY bytes DESC, srcaddr, dstaddr LIMIT 10`);
	const seconds = (performance.now() - began) / 1000;
	const rows = reader
		.getRows()
		.map(([src, dst, bytes]) => [String(src), String(dst), Number(bytes)] as [string, string, number]);
	connection.closeSync();
	instance.closeSync();
	return {seconds, rows};
}

/**
 * The same records as AWS delivers them to S3 in Parquet: its column names (underscores) and types,
 * GZIP-compressed. DuckDB's Parquet writer writes it, from the text fixture.
 */
async function parquetFixture(text: string): Promise<string> {
	const path = text.replace(/\.log$/, '.parquet');
	if (!existsSync(path)) {
		const instance = await DuckDBInstance.create(':memory:');
		const connection = await instance.connect();
		await connection.run(`
			COPY (
				SELECT version, account AS account_id, eni AS interface_id, srcaddr, dstaddr, srcport, dstport,
					protocol::BIGINT AS protocol, packets, bytes, start, "end", action, status AS log_status
				FROM read_csv('${text}', delim=' ', header=false, columns=${columns})
			) TO '${path}' (FORMAT PARQUET, COMPRESSION GZIP)`);
		connection.closeSync();
		instance.closeSync();
	}

	return path;
}

async function duckdbParquetTopTalkers(path: string): Promise<{seconds: number}> {
	const instance = await DuckDBInstance.create(':memory:');
	const connection = await instance.connect();
	const began = performance.now();
	await connection.runAndReadAll(`
		SELECT srcaddr, dstaddr, sum(bytes) AS bytes FROM read_parquet('${path}') WHERE log_status = 'OK'
		GROUP BY srcaddr, dstaddr ORDER BY bytes DESC, srcaddr, dstaddr LIMIT 10`);
	const seconds = (performance.now() - began) / 1000;
	connection.closeSync();
	instance.closeSync();
	return {seconds};
}

function ratio(value: number, baseline: number): string {
	return `${(value / baseline).toFixed(2)}x`;
}

const oneMillion = await fixture(1_000_000);
const twoMillion = await fixture(2_000_000);

const duck = await best(async () => duckdbTopTalkers(oneMillion));
const flowtop = await best(async () => measure('node', [cli, '--file', oneMillion, '--once', '--json']));
const oneThread = await best(async () =>
	measure('node', [cli, '--file', oneMillion, '--once', '--json', '--threads', '1']),
);
const flowtopTwice = await best(async () => measure('node', [cli, '--file', twoMillion, '--once', '--json']));
const startup = await best(async () => measure('node', [cli, '--version']));
const oneMillionParquet = await parquetFixture(oneMillion);
const duckParquet = await best(async () => duckdbParquetTopTalkers(oneMillionParquet));
const flowtopParquet = await best(async () => measure('node', [cli, '--file', oneMillionParquet, '--once', '--json']));

const talkers = (
	JSON.parse(flowtop.stdout) as {topTalkers: Array<{src: string; dst: string; bytes: number}>}
).topTalkers.map(row => [row.src, row.dst, row.bytes]);
const agrees = JSON.stringify(talkers) === JSON.stringify(duck.rows) && oneThread.stdout === flowtop.stdout;

console.log('\n--once over a default-format flow log (best of %d runs)', runs);
console.log('  DuckDB top-10 by bytes, 1M records      %s s   (baseline)', duck.seconds.toFixed(2));
console.log(
	'  flowtop --once --json, 1M records       %s s   %s of DuckDB, peak RSS %s MB',
	flowtop.seconds.toFixed(2),
	ratio(flowtop.seconds, duck.seconds),
	flowtop.peakRssMb.toFixed(0),
);
console.log(
	'  the same on one thread (--threads 1)    %s s   %s of DuckDB, %s of the default, peak RSS %s MB',
	oneThread.seconds.toFixed(2),
	ratio(oneThread.seconds, duck.seconds),
	ratio(oneThread.seconds, flowtop.seconds),
	oneThread.peakRssMb.toFixed(0),
);
console.log(
	'  flowtop --once --json, 2M records       %s s   %s of 1M, peak RSS %s of 1M',
	flowtopTwice.seconds.toFixed(2),
	ratio(flowtopTwice.seconds, flowtop.seconds),
	ratio(flowtopTwice.peakRssMb, flowtop.peakRssMb),
);
console.log(
	'  node dist/cli.js --version (start-up)   %s s   %s of the 1M run',
	startup.seconds.toFixed(2),
	ratio(startup.seconds, flowtop.seconds),
);
console.log("  top talkers identical to DuckDB's, report identical on one thread: %s", agrees ? 'yes' : 'NO');
if (!agrees) {
	console.log('  flowtop:', talkers, '\n  duckdb: ', duck.rows);
	process.exitCode = 1;
}

console.log('\nthe same 1M records as Parquet (AWS column names and types, GZIP; best of %d runs)', runs);
console.log('  DuckDB top-10 by bytes, read_parquet    %s s   (baseline)', duckParquet.seconds.toFixed(2));
console.log(
	'  flowtop --once --json on the .parquet   %s s   %s of DuckDB, %s of the text file, peak RSS %s MB',
	flowtopParquet.seconds.toFixed(2),
	ratio(flowtopParquet.seconds, duckParquet.seconds),
	ratio(flowtopParquet.seconds, flowtop.seconds),
	flowtopParquet.peakRssMb.toFixed(0),
);
const sameReport = flowtopParquet.stdout === flowtop.stdout;
console.log("  report identical to the text file's: %s", sameReport ? 'yes' : 'NO');
if (!sameReport) {
	process.exitCode = 1;
}

// The live view over SSH: what a frame costs on the wire, and how fast a key is answered.
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const full = await renderRun({incremental: false, seconds: 5, updates: 5, size: 200});
const incremental = await renderRun({incremental: true, seconds: 5, updates: 5, size: 200});
const loaded = await renderRun({incremental: true, seconds: 5, updates: 5, size: 20_000});
console.log('\nthe live view at 120x40, 5 updates/s (real time, 5 s each)');
console.log('  full redraw                              %s KB/s   (baseline)', (full.bytesPerSecond / 1024).toFixed(1));
console.log(
	'  incremental rendering (what flowtop does) %s KB/s   %s of full',
	(incremental.bytesPerSecond / 1024).toFixed(1),
	ratio(incremental.bytesPerSecond, full.bytesPerSecond),
);
console.log('  key to frame, 200 records/update        %s ms median', median(incremental.keyLatencies).toFixed(0));
console.log(
	'  key to frame, 20,000 records/update     %s ms median   %s of the light load',
	median(loaded.keyLatencies).toFixed(0),
	ratio(median(loaded.keyLatencies), median(incremental.keyLatencies)),
);
