import {type ChildProcess, spawn} from 'node:child_process';
import {join} from 'node:path';
import {realTiming} from '../../source/clock.js';
import {DEMO_CREDENTIALS} from '../../source/demo/feed/backend.js';
import {parseFormatString} from '../../source/flowlog/format.js';
import {createLogsClient} from '../../source/sources/insights/client.js';
import {InsightsPoller} from '../../source/sources/insights/poller.js';
import {measureWithin, peakRssOf} from './measure.js';

/**
 * `npm run bench:volume`: flowtop against the demo's endpoint when the VPC is busy. For each rate
 * (records a second, high-cardinality: a new client on most records) the endpoint runs in its own
 * process (`flowtop --demo --serve --rate N`), holding a 15-minute window. Against it, per mode:
 * `flowtop --log-group ... --once --json` (the first full report: how long, flowtop's peak RSS),
 * then the same poller polling every 10 s (queries, rows and seconds per poll). Ratios are against
 * raw mode at the same rate, and against 200 records a second, all measured in this run.
 */

const root = new URL('../..', import.meta.url).pathname;
const cli = join(root, 'dist/cli.js');
const RATES = (process.env.VOLUME_RATES ?? '200,2000').split(',').map(Number);
const MODES = ['raw', 'aggregate'] as const;
const INTERVAL_MS = 10_000;
const WINDOW_MS = 15 * 60_000;
/** Polls after the first, which reads the whole window. */
// Enough to see a minute's deliveries arrive: a stream's records reach CloudWatch once a minute.
const STEADY_POLLS = Number(process.env.VOLUME_POLLS ?? 9);
/** The longest a measurement may take: a mode that cannot keep up is reported as such. */
const LIMIT_MS = Number(process.env.VOLUME_LIMIT_S ?? 240) * 1000;
const env = {
	...process.env,
	AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
	AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
};

interface Served {
	readonly child: ChildProcess;
	readonly url: string;
	readonly group: string;
	readonly format: string;
	readonly readySeconds: number;
}

/** `flowtop --demo --serve --rate N`, once it prints where it listens (its history is in by then). */
async function serve(rate: number): Promise<Served> {
	const began = performance.now();
	const child = spawn('node', [cli, '--demo', '--serve', '--rate', String(rate), '--seed', '1'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let text = '';
	return new Promise((resolve, reject) => {
		child.on('exit', code => reject(new Error(`the endpoint exited ${code}`)));
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			text += chunk;
			const url = /endpoint\s+(http\S+)/.exec(text)?.[1];
			const group = /log group\s+(\S+)/.exec(text)?.[1];
			const format = /--format '([^']+)'/.exec(text)?.[1];
			if (url && group && format && text.includes('Ctrl-C')) {
				child.removeAllListeners('exit');
				resolve({child, url, group, format, readySeconds: (performance.now() - began) / 1000});
			}
		});
	});
}

interface Poll {
	readonly seconds: number;
	readonly queries: number;
	readonly rows: number;
}

/** The poller flowtop runs, against the endpoint at the 10 s interval: what each poll asks and gets. */
async function polls(served: Served, mode: (typeof MODES)[number]): Promise<Poll[] | undefined> {
	const client = createLogsClient({endpoint: served.url, region: 'us-east-1', credentials: DEMO_CREDENTIALS});
	let queries = 0;
	let rows = 0;
	client.middlewareStack.add(
		next => async args => {
			const result = await next(args);
			const output = result.output as {queryId?: string; results?: unknown[]};
			if (args.input && 'queryString' in (args.input as object)) {
				queries++;
			}

			rows += output.results?.length ?? 0;
			return result;
		},
		{step: 'initialize', name: 'volumeCounter'},
	);
	const timing = realTiming();
	const poller = new InsightsPoller({
		client,
		ownsClient: true,
		logGroups: [served.group],
		format: parseFormatString(served.format),
		timing,
		intervalMs: INTERVAL_MS,
		windowMs: WINDOW_MS,
		mode,
		context: {logGroups: [served.group], endpoint: served.url, region: 'us-east-1', profile: undefined},
	});
	const done: Poll[] = [];
	let started = 0;
	let counted = {queries: 0, rows: 0};
	const finished = new Promise<void>(resolve => {
		poller.start({
			records() {},
			columns() {},
			status(status) {
				if (status.kind === 'polling' && started === 0) {
					started = performance.now();
					counted = {queries, rows};
				} else if (status.kind === 'waiting' && started > 0) {
					done.push({
						seconds: (performance.now() - started) / 1000,
						queries: queries - counted.queries,
						rows: rows - counted.rows,
					});
					started = 0;
					if (done.length > STEADY_POLLS) {
						resolve();
					}
				}
			},
		});
	});
	const limit = new Promise<'limit'>(resolve => setTimeout(() => resolve('limit'), LIMIT_MS).unref());
	const outcome = await Promise.race([finished, limit]);
	await poller.stop();
	return outcome === 'limit' ? undefined : done;
}

interface Row {
	readonly rate: number;
	readonly mode: (typeof MODES)[number];
	readonly endpointRssMb: number;
	readonly endpointReadySeconds: number;
	readonly once: {seconds: number; peakRssMb: number; records: number} | undefined;
	readonly polls: Poll[] | undefined;
}

async function measureRate(rate: number): Promise<Row[]> {
	process.stdout.write(`starting the endpoint at ${rate} records/s... `);
	const served = await serve(rate);
	process.stdout.write(`ready in ${served.readySeconds.toFixed(1)} s\n`);
	const rows: Row[] = [];
	try {
		for (const mode of MODES) {
			process.stdout.write(`  ${mode}: --once... `);
			const once = await measureWithin(
				LIMIT_MS,
				'node',
				[
					cli,
					'--log-group',
					served.group,
					'--endpoint',
					served.url,
					'--format',
					served.format,
					'--once',
					'--json',
					'--mode',
					mode,
				],
				env,
			);
			process.stdout.write(`polling... `);
			const polled = await polls(served, mode);
			process.stdout.write('done\n');
			rows.push({
				rate,
				mode,
				endpointRssMb: peakRssOf(served.child.pid),
				endpointReadySeconds: served.readySeconds,
				once: once && {
					seconds: once.seconds,
					peakRssMb: once.peakRssMb,
					records: (JSON.parse(once.stdout) as {records: {total: number}}).records.total,
				},
				polls: polled,
			});
		}
	} finally {
		served.child.kill();
	}

	return rows;
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const fixed = (value: number | undefined, digits = 1) => (value === undefined ? '—' : value.toFixed(digits));
const steady = (row: Row) => row.polls?.slice(1);

const rows: Row[] = [];
for (const rate of RATES) {
	rows.push(...(await measureRate(rate)));
}

const limitText = `over ${LIMIT_MS / 1000} s`;
console.log(
	`\nflowtop against the demo endpoint, busy VPC (a new client on most records), 15-minute window, ${INTERVAL_MS / 1000} s interval`,
);
console.log(
	'rate/s  mode        endpoint RSS  first report  flowtop RSS  records   queries/poll  rows/poll  poll s (max)  first poll: queries  rows',
);
for (const row of rows) {
	const later = steady(row);
	const first = row.polls?.[0];
	console.log(
		[
			String(row.rate).padEnd(7),
			row.mode.padEnd(11),
			`${fixed(row.endpointRssMb, 0)} MB`.padStart(12),
			(row.once ? `${fixed(row.once.seconds)} s` : limitText).padStart(13),
			(row.once ? `${fixed(row.once.peakRssMb, 0)} MB` : '—').padStart(12),
			String(row.once?.records ?? '—').padStart(8),
			(later ? fixed(mean(later.map(poll => poll.queries))) : limitText).padStart(14),
			(later ? fixed(mean(later.map(poll => poll.rows)), 0) : '—').padStart(10),
			(later
				? `${fixed(mean(later.map(poll => poll.seconds)))} (${fixed(Math.max(...later.map(poll => poll.seconds)))})`
				: '—'
			).padStart(13),
			String(first?.queries ?? '—').padStart(20),
			String(first?.rows ?? '—').padStart(6),
		].join(' '),
	);
}

console.log('\ngrowth from the lowest rate to the highest, per mode (1.00x: does not grow with the rate)');
for (const mode of MODES) {
	const [low, high] = [
		rows.find(row => row.mode === mode && row.rate === RATES[0]),
		rows.find(row => row.mode === mode && row.rate === RATES.at(-1)),
	];
	const lowPolls = low && steady(low);
	const highPolls = high && steady(high);
	if (lowPolls && highPolls) {
		const ratio = (pick: (poll: Poll) => number) =>
			`${(mean(highPolls.map(pick)) / Math.max(1e-9, mean(lowPolls.map(pick)))).toFixed(2)}x`;
		console.log(
			`  ${mode.padEnd(10)} queries/poll ${ratio(poll => poll.queries)}, rows/poll ${ratio(poll => poll.rows)}, poll seconds ${ratio(poll => poll.seconds)}`,
		);
	} else {
		console.log(`  ${mode.padEnd(10)} did not finish its polls within ${LIMIT_MS / 1000} s at one of the rates`);
	}
}
