import {once} from 'node:events';
import {basename} from 'node:path';
import type {Config, SourceConfig} from './config.js';
import {demoTiming} from './demo/demo-source.js';
import {startDemoBackend, type DemoBackend} from './demo/feed/backend.js';
import {DEMO_FORMAT} from './demo/feed/demo-format.js';
import {AWS_LIKE_DELIVERY} from './demo/feed/feed.js';
import {UserError} from './errors.js';
import {awsFormatString} from './flowlog/format.js';
import type {Output} from './run-once.js';
import {RECORD_FIELDS} from './sources/insights/query.js';
import {formatDuration} from './text/units.js';

export interface ServeOptions {
	/** Ends the run; SIGINT and SIGTERM do too. */
	readonly signal?: AbortSignal;
}

const DEFAULT_HISTORY_MS = 15 * 60_000;

async function start(config: Config, source: Extract<SourceConfig, {kind: 'demo'}>): Promise<DemoBackend> {
	try {
		return await startDemoBackend({
			timing: demoTiming(source.speed),
			scenario: source.scenario,
			seed: source.seed,
			rate: source.rate,
			historyMs: Number.isFinite(config.windowSeconds) ? config.windowSeconds * 1000 : DEFAULT_HISTORY_MS,
			format: config.format ?? DEMO_FORMAT,
			port: config.servePort,
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') {
			throw new UserError(
				`port ${config.servePort} is taken: choose another with --serve-port N, or leave it out for any free one`,
			);
		}

		if (code === 'EACCES') {
			throw new UserError(`port ${config.servePort} needs privileges: choose one above 1023 with --serve-port N`);
		}

		throw error;
	}
}

/**
 * flowtop as this process was started, so the printed command runs as printed: `flowtop` when it
 * came from the PATH, else `node` and the script's path (`npm start`, a clone without `npm link`).
 */
function selfCommand(): string {
	const script = process.argv[1] ?? 'flowtop';
	if (basename(script) === 'flowtop') {
		return 'flowtop';
	}

	return `node ${/^[\w./-]+$/.test(script) ? script : `'${script.replaceAll("'", "'\\''")}'`}`;
}

function instructions(config: Config, source: Extract<SourceConfig, {kind: 'demo'}>, backend: DemoBackend): string {
	const {url} = backend.endpoint;
	const group = backend.feed.logGroup;
	const format = config.format ?? DEMO_FORMAT;
	const formatFlag = format.isDefault ? '' : ` --format '${awsFormatString(format)}'`;
	const late = `${formatDuration(AWS_LIKE_DELIVERY.baseMs / 1000)} to ${formatDuration((AWS_LIKE_DELIVERY.baseMs + AWS_LIKE_DELIVERY.jitterMs) / 1000)}`;
	const aws = `--endpoint-url ${url} --region ${backend.region}`;
	return [
		"flowtop demo: a simulated VPC's flow logs behind a local CloudWatch Logs endpoint",
		`  endpoint   ${url}   (this machine only)`,
		`  log group  ${group}   (one stream per interface, <eni>-all)`,
		`  region     ${backend.region}   (any credentials are accepted)`,
		`  format     ${format.isDefault ? 'default (version 2)' : awsFormatString(format)}`,
		`  scenario   ${backend.simulator.scenario.name}, seed ${source.seed}; records arrive ${late} after each 60 s capture window`,
		...(source.rate === undefined
			? []
			: [`  rate       ${source.rate} records a second, most from a new internet client`]),
		`  keeps      the last ${formatDuration(backend.feed.retentionMs / 1000)} of records`,
		...(source.speed === 1
			? []
			: [`  speed      ${source.speed}x: the demo's clock runs ahead of this one, so ask for times ahead of now`]),
		'',
		'Query it with the AWS CLI (in bash or zsh):',
		'  export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo',
		`  QUERY_ID=$(aws logs start-query ${aws} --log-group-name ${group} \\`,
		'    --start-time $(($(date +%s) - 900)) --end-time $(date +%s) \\',
		`    --query-string 'fields ${RECORD_FIELDS} | sort @timestamp desc | limit 20' \\`,
		'    --query queryId --output text)',
		`  aws logs get-query-results ${aws} --query-id "$QUERY_ID"   # again until "status": "Complete"`,
		'',
		'Watch it with flowtop:',
		`  ${selfCommand()} --log-group ${group} --endpoint ${url}${formatFlag}`,
		'',
		'Ctrl-C stops it.',
		'',
	].join('\n');
}

/** Resolves on SIGINT, SIGTERM or the signal, whichever comes first. */
async function stopped(signal: AbortSignal | undefined): Promise<void> {
	const done = new AbortController();
	const stop = () => {
		done.abort();
	};

	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	signal?.addEventListener('abort', stop, {once: true});
	try {
		if (!signal?.aborted) {
			await once(done.signal, 'abort');
		}
	} finally {
		process.off('SIGINT', stop);
		process.off('SIGTERM', stop);
		signal?.removeEventListener('abort', stop);
	}
}

/**
 * `--demo --serve`: only the demo's endpoint, fed by the simulated VPC, for the AWS CLI, another
 * flowtop, or anything that speaks CloudWatch Logs. Runs until SIGINT or SIGTERM, then closes.
 */
export async function runServe(
	config: Config & {readonly source: Extract<SourceConfig, {kind: 'demo'}>},
	output: Output,
	options: ServeOptions = {},
): Promise<void> {
	const backend = await start(config, config.source);
	try {
		output.stdout.write(instructions(config, config.source, backend));
		await stopped(options.signal);
	} finally {
		await backend.close();
	}

	output.stdout.write('flowtop: demo endpoint stopped\n');
}
