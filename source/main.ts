import {stat} from 'node:fs/promises';
import type {Config, SourceConfig} from './config.js';
import {startDebugLog, warningsToDebugLog} from './debug-log.js';
import {diagnose} from './diagnosis/diagnose.js';
import {describeFileError, UserError, usageError} from './errors.js';
import {runFileOnce, runNdjson, type Output} from './run-once.js';
import {parquetFilesUnder} from './sources/parquet-files.js';

/**
 * The live view opens the file only once the screen is up: one that cannot be read must end the
 * run before, in one line and with exit 1, as --once does, rather than as a calm empty screen.
 */
async function checkReadable(path: string): Promise<void> {
	if (path === '-') {
		return;
	}

	try {
		const stats = await stat(path);
		if (stats.isDirectory() && (await parquetFilesUnder(path)).length === 0) {
			throw Object.assign(new Error('directory'), {code: 'EISDIR'});
		}
	} catch (error) {
		throw describeFileError(path, error);
	}
}

/** `x` writes into `--snapshot-dir`: a directory that is not there is said before the screen opens. */
async function checkSnapshotDirectory(path: string): Promise<void> {
	const stats = await stat(path).catch(() => undefined);
	if (!stats?.isDirectory()) {
		throw new UserError(`--snapshot-dir ${path}: no such directory; create it or choose another`);
	}
}

/** `--scenario` names one of the demo's; checked before anything starts, as a usage error. */
async function checkScenario(source: Extract<SourceConfig, {kind: 'demo'}>): Promise<void> {
	const {SCENARIOS} = await import('./demo/vpc/scenarios.js');
	if (source.scenario !== undefined && !SCENARIOS.some(scenario => scenario.name === source.scenario)) {
		throw usageError(
			`--scenario ${source.scenario}: no such scenario; choose one of ${SCENARIOS.map(scenario => scenario.name).join(', ')}`,
		);
	}
}

/**
 * Run what the flags ask for. Resolves when done; throws UserError for what a person can fix.
 * The AWS SDK, the demo and Ink are loaded only by the modes that use them: reading a file with
 * --once or --ndjson starts in a tenth of a second.
 */
export async function main(config: Config, output: Output): Promise<void> {
	const {source} = config;
	if (source.kind === 'demo') {
		await checkScenario(source);
	}

	startDebugLog(config.debugLog, `flowtop ${config.mode} over ${source.kind === 'file' ? source.path : source.kind}`);
	// stderr carries only flowtop's own notes next to a report; the live view guards the screen itself.
	const restoreWarnings = config.mode === 'tui' ? () => {} : warningsToDebugLog(config.debugLog);
	try {
		await run(config, output);
	} finally {
		restoreWarnings();
	}
}

async function run(config: Config, output: Output): Promise<void> {
	const {source} = config;
	switch (config.mode) {
		case 'ndjson': {
			if (source.kind === 'file') {
				await runNdjson(config, source.path, output);
			}

			return;
		}

		case 'once': {
			if (source.kind === 'file') {
				await runFileOnce(config, source.path, output, store => diagnose(store, {filter: config.filter}));
				return;
			}

			const {runInsightsOnce} = await import('./run-insights-once.js');
			await runInsightsOnce({...config, source}, output, (store, identity) =>
				diagnose(store, {filter: config.filter, identity}),
			);
			return;
		}

		case 'serve': {
			if (source.kind === 'demo') {
				const {runServe} = await import('./run-serve.js');
				await runServe({...config, source}, output);
			}

			return;
		}

		case 'tui': {
			if (source.kind === 'file') {
				await checkReadable(source.path);
			}

			await checkSnapshotDirectory(config.snapshotDir);
			holdKeystrokes();

			const {demoSource, fileSource, logGroupSource, runLive} = await import('./run-live.js');
			const {ExplainedDiagnosis} = await import('./vpc/explained-diagnosis.js');
			const live =
				source.kind === 'file'
					? fileSource(config, source.path, source.follow)
					: source.kind === 'demo'
						? demoSource(config, source)
						: await logGroupSource(config, source);
			const diagnosis = new ExplainedDiagnosis({
				aws: live.aws,
				ec2: config.ec2,
				onRead: configuration => live.source.natGatewaysKnown?.(configuration.natGateways()),
			});
			// A scenario switch changes the simulated VPC's rules: read them again at once.
			const {demo} = live;
			const switching = demo && {
				scenarios: demo.scenarios,
				current: () => demo.current(),
				setScenario(name: string) {
					demo.setScenario(name);
					void diagnosis.refresh();
				},
			};
			try {
				await runLive(config, switching ? {...live, demo: switching} : live, diagnosis);
			} finally {
				diagnosis.stop();
			}
		}
	}
}

/**
 * The live view's modules take a third of a second to load. A key typed meanwhile (a quick `q`)
 * must wait in the terminal for the app, not echo to the shell: raw mode before the load. Node puts
 * the terminal back as it was on exit, whatever ends the run.
 */
function holdKeystrokes(): void {
	if (process.stdin.isTTY && process.stdout.isTTY) {
		process.stdin.setRawMode(true);
	}
}
