import {createWriteStream, existsSync, mkdirSync} from 'node:fs';
import {once} from 'node:events';
import {join} from 'node:path';
import {measure} from './measure.js';

/**
 * `npm run bench:bound`: `--once` past the memory bound (2 million conversations in full, folded at
 * 2.5 million). Scans of 2.45 to 7.8 million distinct rejected conversations, then one pair moving
 * 1 GB: the pair must top each report with its exact bytes, and each report must say it summarized.
 * Peak memory should not follow the number of pairs: 2.45 and 4.45 million end just before a
 * folding, with the most conversations in memory; 2.6, 5.2 and 7.8 million end after one. Half of
 * 2.6 million (1.3 million, under the bound) is the baseline, measured in the same run.
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

async function measureOnce(
	path: string,
	stdin = false,
): Promise<{
	seconds: number;
	peakRssMb: number;
	stdout: string;
	report: {topTalkers: Array<{src: string; dst: string; bytes: number}>; summarized?: {records: number}};
}> {
	const args = ['--once', '--json', '--threads', '1'];
	// `exec`, so the process measured is flowtop's, reading the file as its stdin.
	const {seconds, peakRssMb, stdout} = stdin
		? await measure('sh', ['-c', `exec node '${cli}' --file - ${args.join(' ')} < '${path}'`])
		: await measure('node', [cli, '--file', path, ...args]);
	return {seconds, peakRssMb, stdout, report: JSON.parse(stdout)};
}

const under = await measureOnce(await scanFile(1_300_000));
const past: Array<[string, Awaited<ReturnType<typeof measureOnce>>]> = [];
for (const conversations of [2_450_000, 2_600_000, 4_450_000, 5_200_000, 7_800_000]) {
	past.push([`${conversations / 1_000_000}M`, await measureOnce(await scanFile(conversations))]);
}

const first = past[1]![1];

console.log('\n--once past the memory bound (one thread; 2M conversations kept in full)');
console.log(
	'   1.3M rejected conversations + a 1 GB pair   %s s, peak RSS %s MB   (baseline, under the bound)',
	under.seconds.toFixed(2),
	under.peakRssMb.toFixed(0),
);
for (const [name, run] of past) {
	const top = run.report.topTalkers[0];
	const exact = top?.src === '10.0.1.5' && top.dst === '10.0.2.9' && top.bytes === PAIR_BYTES;
	console.log(
		'  %s rejected conversations + a 1 GB pair   %s s, peak RSS %s MB   %sx the baseline time, %sx its memory, %sx the memory of 2.6M; the pair first with its exact bytes: %s; summarized: %s records',
		name.padStart(5),
		run.seconds.toFixed(2),
		run.peakRssMb.toFixed(0),
		(run.seconds / under.seconds).toFixed(2),
		(run.peakRssMb / under.peakRssMb).toFixed(2),
		(run.peakRssMb / first.peakRssMb).toFixed(2),
		exact ? 'yes' : 'NO',
		run.report.summarized?.records ?? 'not said',
	);
	if (!exact || run.report.summarized === undefined) {
		process.exitCode = 1;
	}
}

// stdin cannot be read twice: the report must be the same without a second look.
const piped = await measureOnce(await scanFile(2_600_000), true);
const same = piped.stdout === first.stdout;
console.log(
	'   2.6M through stdin (--file -)              %s s, peak RSS %s MB   %sx the memory of the file; report identical: %s',
	piped.seconds.toFixed(2),
	piped.peakRssMb.toFixed(0),
	(piped.peakRssMb / first.peakRssMb).toFixed(2),
	same ? 'yes' : 'NO',
);
if (!same) {
	process.exitCode = 1;
}
