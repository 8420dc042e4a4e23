import type {Config, SourceConfig} from './config.js';
import {DemoSource} from './demo/demo-source.js';
import {openLogGroups} from './sources/insights/log-group-source.js';
import {FlowStore} from './engine/store.js';
import {FileRecordSource} from './sources/file-record-source.js';
import type {LogsClientOptions} from './sources/insights/client.js';
import type {RecordSource} from './sources/source.js';
import type {DiagnosisFeed} from './ui/app.js';
import type {DemoControl} from './ui/scenario-picker.js';
import {initialState, WINDOW_CHOICES} from './ui/state.js';
import {openSession} from './ui/terminal-session.js';

export interface LiveSource {
	readonly source: RecordSource;
	readonly demo?: DemoControl;
	/** How to reach the source's AWS account (for the EC2 configuration); absent for a file. */
	readonly aws?: () => Promise<LogsClientOptions>;
}

/** The live view over any source: the store keeps the longest window `w` can choose. */
export async function runLive(config: Config, live: LiveSource, diagnosis: DiagnosisFeed): Promise<void> {
	// chalk decides on colour when Ink is first loaded; NO_COLOR has to be in force before that.
	if (process.env.NO_COLOR) {
		process.env.FORCE_COLOR = '0';
	}

	const session = openSession();
	const {runTui} = await import('./ui/run-tui.js');
	// A file that will not grow is looked at whole, as --once reports it; `w` still narrows.
	const whole = config.source.kind === 'file' && !config.source.follow;
	const windowSeconds = whole ? Number.POSITIVE_INFINITY : config.windowSeconds;
	const store = new FlowStore({windowSeconds: Math.max(windowSeconds, ...WINDOW_CHOICES)});
	await runTui({
		store,
		source: live.source,
		initial: initialState({filter: config.filter, windowSeconds}),
		diagnosis,
		pricePerGb: config.pricePerGb,
		snapshotDirectory: config.snapshotDir,
		demo: live.demo,
		debugLog: config.debugLog,
		keysFromTerminal: config.source.kind === 'file' && config.source.path === '-',
		session,
	});
}

export function fileSource(config: Config, path: string, follow: boolean): LiveSource {
	return {source: new FileRecordSource(path, {format: config.format, follow})};
}

/** The log groups, picked among those with `--log-group-prefix` when only a prefix is given. */
export async function logGroupSource(
	config: Config,
	source: Extract<SourceConfig, {kind: 'insights'}>,
): Promise<LiveSource> {
	const {pickLogGroup} = await import('./ui/log-group-picker.js');
	const aws = async () => ({region: source.region, profile: source.profile, endpoint: source.endpoint});
	return {
		source: await openLogGroups(config, source, async names =>
			pickLogGroup(
				names.map(name => ({name})),
				source.logGroupPrefix ?? '',
			),
		),
		aws,
	};
}

export function demoSource(config: Config, source: Extract<SourceConfig, {kind: 'demo'}>): LiveSource {
	const demo = DemoSource.fromConfig(config, source);
	return {source: demo, demo, aws: async () => demo.awsAccess()};
}
