import {createWriteStream, existsSync, mkdirSync} from 'node:fs';
import {once} from 'node:events';
import {join} from 'node:path';
import {measure} from './measure.js';

/**
 * `npm run bench:bound`: `--once` past the memory bound (2 million conversations). A scan of
 * 2.6 million distinct rejected conversations, then one pair moving 1 GB: the pair must top the
 * report with its exact bytes, the report must say it summarized, and peak memory must stay near
 * that of half the scan (1.3 million, under the bound), the baseline measured in the same run.
 */

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'dist/cli.js');
const directory = join(root, '.bench');
const T = 1_700_000_000;
const PAIR_BYTES = 1_000_000_000;

async function scanFile(conversations: number): Promise<string> {
	mkdirSync(directory, {recursive: true});
	const path = join(directory, `scan-${conversations}.log`);
	if (existsSync(path)) {
		return path;
	}

	const out = createWriteStream(path);
	let chunk = '';
	for (let i = 0; i <= conversations; i++) {
		const t = T + Math.floor((i * 900) / conversations);
		chunk +=
			i < conversations
				? `2 123456789012 eni-0scan 198.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} 10.0.0.9 ${40_000 + (i % 20_000)} ${1 + (i % 65_000)} 6 1 40 ${t} ${t + 59} REJECT OK\n`
				: `2 123456789012 eni-0app 10.0.1.5 10.0.2.9 44321 5432 6 700000 ${PAIR_BYTES} ${t} ${t + 59} ACCEPT OK\n`;
		if (chunk.length > 1 << 20 || i === conversations) {
			if (!out.write(chunk)) {
				await once(out, 'drain');
			}

			chunk = '';
		}
	}

	out.end();
	await once(out, 'finish');
	return path;
}

async function measureOnce(path: string): Promise<{
	seconds: number;
	peakRssMb: number;
	report: {topTalkers: Array<{src: string; dst: string; bytes: number}>; summarized?: {records: number}};
}> {
	const {seconds, peakRssMb, stdout} = await measure('node', [
		cli,
		'--file',
		path,
		'--once',
		'--json',
		'--threads',
		'1',
	]);
	return {seconds, peakRssMb, report: JSON.parse(stdout)};
}

const under = await measureOnce(await scanFile(1_300_000));
const past = await measureOnce(await scanFile(2_600_000));
const top = past.report.topTalkers[0];
const exact = top?.src === '10.0.1.5' && top.dst === '10.0.2.9' && top.bytes === PAIR_BYTES;

console.log('\n--once past the memory bound (one thread; 2M conversations kept in full)');
console.log(
	'  1.3M rejected conversations + a 1 GB pair   %s s, peak RSS %s MB   (baseline, under the bound)',
	under.seconds.toFixed(2),
	under.peakRssMb.toFixed(0),
);
console.log(
	'  2.6M rejected conversations + a 1 GB pair   %s s, peak RSS %s MB   %sx the time, %sx the memory',
	past.seconds.toFixed(2),
	past.peakRssMb.toFixed(0),
	(past.seconds / under.seconds).toFixed(2),
	(past.peakRssMb / under.peakRssMb).toFixed(2),
);
console.log(
	'  the 1 GB pair tops topTalkers with its exact bytes: %s; summarized: %s records',
	exact ? 'yes' : 'NO',
	past.report.summarized?.records ?? 'not said',
);
if (!exact || past.report.summarized === undefined) {
	process.exitCode = 1;
}
