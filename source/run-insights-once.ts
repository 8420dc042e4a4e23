import type {Config, SourceConfig} from './config.js';
import type {Finding} from './diagnosis/finding.js';
import type {InterfaceIdentity} from './diagnosis/snapshot.js';
import {DemoSource} from './demo/demo-source.js';
import {isEmptyFilter} from './engine/filter.js';
import {FlowStore} from './engine/store.js';
import {computeViews, REPORT_SECTIONS} from './engine/views.js';
import {buildReport, type Report} from './report.js';
import {malformedNote, printReport, type Output} from './run-once.js';
import {type LogGroupSourceConfig, openLogGroups, userError} from './sources/insights/log-group-source.js';
import type {InsightsPoller} from './sources/insights/poller.js';
import {modeNote} from './sources/insights/query-mode.js';
import {Problem, problemOf} from './sources/insights/problem.js';
import type {LogsClientOptions} from './sources/insights/client.js';
import type {SourceListener} from './sources/source.js';
import {EC2_OFF_NOTE} from './vpc/configuration-feed.js';
import type {ConfigurationRead} from './vpc/read-configuration.js';
import {formatBytes, formatDuration} from './text/units.js';

/** The sources `--once` polls with Logs Insights: a log group, or the demo's. */
export type PolledSource = Extract<SourceConfig, {kind: 'insights' | 'demo'}>;

/** What one poll of the window found, for the report and the notes under it. */
interface Polled {
	readonly poller: InsightsPoller;
	readonly label: string;
	/** The source's clock when the poll ended: where the window ends. */
	readonly now: number;
	readonly configuration: ConfigurationRead;
}

/** The VPC's configuration through EC2, read on the poll's account, or why not. */
async function configurationOf(config: Config, access: LogsClientOptions): Promise<ConfigurationRead> {
	if (!config.ec2) {
		return {note: EC2_OFF_NOTE};
	}

	const {readConfiguration} = await import('./vpc/read-configuration.js');
	return readConfiguration(access);
}

/**
 * Ctrl-C (or a SIGTERM) during the poll stops its query with StopQuery, rather than leaving it to
 * run and bill on the account, then lets the signal end flowtop as it would have.
 */
async function stoppingOnSignals(stop: () => Promise<void>, work: Promise<void>): Promise<void> {
	let interrupted: Promise<NodeJS.Signals> | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		interrupted ??= stop().then(() => signal);
	};

	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		await work;
	} catch (error) {
		if (!interrupted) {
			throw error;
		}
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}

	if (interrupted) {
		process.kill(process.pid, await interrupted);
		// The signal ends the process: nothing more is printed.
		await new Promise(() => {});
	}
}

async function pollLogGroups(
	config: Config,
	source: LogGroupSourceConfig,
	listener: SourceListener,
	now: () => number,
): Promise<Polled> {
	// Read beside the poll: an aggregate poll keeps every address of the NAT gateways it names.
	const reading = configurationOf(config, {region: source.region, profile: source.profile, endpoint: source.endpoint});
	const poller = await openLogGroups(config, source, undefined, {
		natGateways: reading.then(read => read.configuration?.natGateways() ?? []),
	});
	try {
		await stoppingOnSignals(async () => poller.stop(), poller.pollOnce(listener));
	} catch (error) {
		throw userError(problemOf(error, poller.context));
	} finally {
		await poller.stop();
	}

	return {poller, label: poller.label, now: now(), configuration: await reading};
}

async function pollDemo(
	config: Config,
	source: Extract<PolledSource, {kind: 'demo'}>,
	listener: SourceListener,
	now: () => number,
): Promise<Polled> {
	const demo = DemoSource.fromConfig(config, source);
	try {
		const poller = await demo.pollOnce(listener);
		const at = now();
		return {poller, label: demo.label, now: at, configuration: await configurationOf(config, await demo.awsAccess())};
	} catch (error) {
		throw error instanceof Problem ? userError(error) : error;
	} finally {
		await demo.stop();
	}
}

/** What a person should know about the numbers: malformed lines, lateness, unread seconds, and the bill. */
function notes(config: Config, polled: Polled, window: Report['window']): string[] {
	const {poller, label} = polled;
	const lines: string[] = [];
	const malformed = malformedNote(poller.stats);
	if (malformed) {
		lines.push(malformed);
	}

	if (poller.recordsTaken === 0) {
		lines.push(
			`no records in ${label} between ${window.start} and ${window.end}${isEmptyFilter(config.filter) ? '' : ' match the filter'}; flow logs reach CloudWatch minutes after capture`,
		);
	}

	const {delayMs} = poller.lateness;
	if (delayMs !== undefined && delayMs >= 60_000) {
		lines.push(
			`records reached CloudWatch up to ${formatDuration(delayMs / 1000)} after capture: the last minutes of the window may still be filling in`,
		);
	}

	const {polledWith} = poller;
	const mode = polledWith && modeNote(polledWith);
	if (mode) {
		lines.push(mode);
	}

	if (poller.overflow > 0) {
		lines.push(
			`${poller.overflow} second${poller.overflow === 1 ? '' : 's'} held more records than one query returns (10,000): some of theirs were not read`,
		);
	}

	const {bytesScanned, queries} = poller.costs;
	lines.push(
		`Logs Insights scanned ${formatBytes(bytesScanned)} in ${queries} quer${queries === 1 ? 'y' : 'ies'} (≈ $${((bytesScanned / 1e9) * config.pricePerGb).toFixed(4)})`,
	);
	if (polled.configuration.note !== undefined) {
		lines.push(polled.configuration.note);
	}

	return lines;
}

/**
 * `--log-group NAME --once` and `--demo --once`: poll the window [now - window, now] once, with
 * the same pushdown, lateness and dedupe as the live view, and print the same report as a file.
 * Records that have not reached CloudWatch yet cannot be in it: a note says how late they run.
 */
export async function runInsightsOnce(
	config: Config & {readonly source: PolledSource},
	output: Output,
	diagnose: (store: FlowStore, identity?: InterfaceIdentity) => Finding[],
): Promise<void> {
	const {source} = config;
	const store = new FlowStore({windowSeconds: config.windowSeconds});
	let latest = Date.now();
	const listener: SourceListener = {
		records: records => store.add(records),
		columns: batch => store.addColumns(batch),
		replace(rows) {
			store.clear();
			store.addAggregated(rows);
		},
		status() {},
		tick(now) {
			latest = now;
		},
	};
	const now = () => latest;
	const polled =
		source.kind === 'demo'
			? await pollDemo(config, source, listener, now)
			: await pollLogGroups(config, source, listener, now);

	store.advanceTo(polled.now / 1000);
	const views = computeViews(store, config.filter, {limit: config.top, sections: REPORT_SECTIONS});
	const end = polled.now / 1000;
	// What the poll asked for, the window (--since widens it), even when no record came back.
	const start = Number.isFinite(config.windowSeconds) ? end - config.windowSeconds : 0;
	const {explainFindings} = await import('./vpc/explain-findings.js');
	const {configuration} = polled.configuration;
	const findings = explainFindings(diagnose(store, configuration), configuration);
	const report = buildReport(store, polled.poller.stats, views, findings, {start, end}, config.filter);
	printReport(report, notes(config, polled, report.window), config.json, output);
}
