import {availableParallelism} from 'node:os';
import {resolve} from 'node:path';
import {
	combineFilters,
	EMPTY_FILTER,
	FilterError,
	parseAction,
	parseAddress,
	parseEni,
	parseFilter,
	parsePorts,
	parseProtocol,
	type Filter,
} from './engine/filter.js';
import {usageError} from './errors.js';
import {
	CONTEXTS,
	FLAG_NAMES,
	FLAGS,
	flagText,
	type Context,
	type FlagName,
	type FlagSpec,
	type Flags,
	type Mode,
	type SourceKind,
} from './flags.js';
import {FormatError, parseFormatString, type FlowFormat} from './flowlog/format.js';
import {MODE_SETTINGS, type ModeSetting} from './sources/insights/query-mode.js';
import {parseDuration} from './text/units.js';

export type {Flags} from './flags.js';

export type SourceConfig =
	| {readonly kind: 'file'; readonly path: string; readonly follow: boolean}
	| {
			readonly kind: 'insights';
			readonly logGroups: readonly string[];
			readonly logGroupPrefix: string | undefined;
			readonly endpoint: string | undefined;
			readonly profile: string | undefined;
			readonly region: string | undefined;
			readonly intervalSeconds: number;
	  }
	| {
			readonly kind: 'demo';
			readonly scenario: string | undefined;
			readonly speed: number;
			readonly seed: number;
			/** `--rate`: records a second the simulated VPC writes in all; undefined for its own quiet traffic. */
			readonly rate: number | undefined;
	  };

export interface Config {
	readonly mode: 'tui' | 'once' | 'ndjson' | 'serve';
	readonly source: SourceConfig;
	readonly format: FlowFormat | undefined;
	readonly json: boolean;
	readonly top: number;
	readonly filter: Filter;
	/** Infinity: the whole input (the default for `--once` over a file). */
	readonly windowSeconds: number;
	readonly pricePerGb: number;
	/** `--mode`: how polls read a log group or the demo's (raw records, or Insights' sums). */
	readonly queryMode: ModeSetting;
	/** `--budget`: dollars an hour Logs Insights may cost the live view; Infinity for no limit. */
	readonly budgetPerHour: number;
	readonly debugLog: string | undefined;
	/** `--demo --serve`: the port to listen on (0 picks a free one). */
	readonly servePort: number;
	/** Where `x` writes snapshots in the live view: an absolute path, so a notice can name it whole. */
	readonly snapshotDir: string;
	/** `--once` over a large plain file reads it on this many threads. */
	readonly threads: number;
	/** Read the VPC's configuration with EC2's describe calls (a log group or the demo); `--no-ec2` turns it off. */
	readonly ec2: boolean;
}

export const DEFAULT_WINDOW_SECONDS = 15 * 60;
// The demo's endpoint holds its window in memory: 15 minutes at 10,000 records a second is 9 million events.
const MAX_DEMO_RATE = 10_000;
// Past four, reading a file is bound by the disk and the merge rather than the cores.
const MAX_DEFAULT_THREADS = 4;
// Every poll re-scans the lateness horizon (minutes), so the scan cost goes as horizon / interval;
// records arrive in deliveries minutes apart anyway. Ten seconds keeps the view fresh at half the
// cost of five (measured on the demo: 75x the bytes received at 5 s, 13.5x at 30 s).
export const DEFAULT_INTERVAL_SECONDS = 10;
/** Logs Insights list price, US East, per GB scanned. */
export const DEFAULT_PRICE_PER_GB = 0.005;
/**
 * A dollar an hour: a busy VPC's group (2,000 records a second) polls at the default interval well
 * under it, and a view left open overnight on a far busier one costs a few dollars, not hundreds.
 * The README gives the arithmetic.
 */
export const DEFAULT_BUDGET_PER_HOUR = 1;

function filterTerm<T>(flag: string, text: string, parse: (text: string) => T): T {
	try {
		return parse(text);
	} catch (error) {
		if (error instanceof FilterError) {
			throw usageError(`--${flag}: ${error.message}`);
		}

		throw error;
	}
}

function filterFromFlags(flags: Flags): Filter {
	const fromFlags: Filter = {
		enis: (flags.eni ?? []).map(text => filterTerm('eni', text, parseEni)),
		addresses: (flags.cidr ?? []).map(text => filterTerm('cidr', text, parseAddress)),
		sources: [],
		destinations: [],
		ports: (flags.port ?? []).flatMap(text => filterTerm('port', text, parsePorts)),
		protocols: (flags.protocol ?? []).map(text => filterTerm('protocol', text, parseProtocol)),
		actions: flags.action === undefined ? [] : [filterTerm('action', flags.action, parseAction)],
	};
	const fromText = flags.filter === undefined ? EMPTY_FILTER : filterTerm('filter', flags.filter, parseFilter);
	return combineFilters(fromFlags, fromText);
}

function duration(flag: string, text: string): number {
	const seconds = parseDuration(text);
	if (seconds === undefined) {
		throw usageError(`--${flag} ${text}: not a duration; write 30s, 15m, 1h or 2d`);
	}

	return seconds;
}

/** `--since`: a duration ago (`2h`) or a moment (`2026-11-22T03:00:00Z`), as seconds before now. */
function since(text: string, now: number): number {
	const seconds = parseDuration(text);
	if (seconds !== undefined) {
		return seconds;
	}

	const moment = Date.parse(text);
	if (Number.isNaN(moment) || !/^\d{4}-\d\d-\d\d/.test(text)) {
		throw usageError(`--since ${text}: write a duration ago (2h) or an ISO time (2026-11-22T03:00:00Z)`);
	}

	if (moment > now) {
		throw usageError(`--since ${text} is in the future`);
	}

	return (now - moment) / 1000;
}

const RUN_FLAGS: readonly FlagName[] = ['once', 'ndjson', 'serve'];
const SOURCE_FLAG: Record<SourceKind, string> = {file: '--file', insights: '--log-group', demo: '--demo'};
const MODE_WORDS: Record<Mode, string> = {tui: 'the live view', once: '--once', ndjson: '--ndjson', serve: '--serve'};
const MODE_AFTER_SOURCE: Record<Mode, string> = {
	tui: 'in the live view',
	once: 'with --once',
	ndjson: 'with --ndjson',
	serve: 'with --serve',
};

function given(spec: FlagSpec, value: Flags[FlagName]): boolean {
	if (spec.defaultOn) {
		return value === false;
	}

	return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}

/** Where a flag is for, in words: `--log-group`, `--once`, `--file in the live view`. */
export function describeUses(uses: readonly Context[]): string {
	const sources = [...new Set(uses.map(context => context.split('/')[0] as SourceKind))];
	const modes = [...new Set(uses.map(context => context.split('/')[1] as Mode))];
	const everyMode = CONTEXTS.filter(context => modes.includes(context.split('/')[1] as Mode));
	if (sources.length === 3 && everyMode.every(context => uses.includes(context))) {
		return modes.map(mode => MODE_WORDS[mode]).join(' or ');
	}

	return sources
		.map(source => {
			const own = CONTEXTS.filter(context => context.startsWith(`${source}/`));
			const used = own.filter(context => uses.includes(context));
			if (used.length === own.length) {
				return SOURCE_FLAG[source];
			}

			return `${SOURCE_FLAG[source]} ${used.map(context => MODE_AFTER_SOURCE[context.split('/')[1] as Mode]).join(' or ')}`;
		})
		.join(' or ');
}

/**
 * The source and mode the flags ask for, refusing any flag that would do nothing there: the FLAGS
 * table says where each flag is used.
 */
export function contextOf(flags: Flags): Context {
	const chosen = (
		[
			['file', ['file']],
			['insights', ['logGroup', 'logGroupPrefix']],
			['demo', ['demo']],
		] as const
	)
		.map(([source, names]) => [source, names.filter(name => given(FLAGS[name], flags[name]))] as const)
		.filter(([, names]) => names.length > 0);
	if (chosen.length === 0) {
		throw usageError('say what to watch: --log-group NAME, --file PATH (or - for stdin), or --demo');
	}

	if (chosen.length > 1) {
		throw usageError(
			`choose one source: ${chosen.map(([, names]) => flagText(names[0]!)).join(' and ')} were both given`,
		);
	}

	const sources = chosen.map(([source]) => source);

	const modes = (['once', 'ndjson', 'serve'] as const).filter(mode => flags[mode]);
	if (modes.length > 1) {
		throw usageError(`${modes.map(mode => `--${mode}`).join(' and ')} ask for different runs: choose one`);
	}

	const source = sources[0]!;
	const context: Context = `${source}/${modes[0] ?? 'tui'}`;
	// The run's own flags first: `--log-group --ndjson` is a wrong --ndjson, not a wrong --log-group.
	for (const name of [...RUN_FLAGS, ...FLAG_NAMES.filter(name => !RUN_FLAGS.includes(name))]) {
		const spec: FlagSpec = FLAGS[name];
		const value = flags[name];
		if (spec.type === 'string' && (value === '' || (Array.isArray(value) && value.includes('')))) {
			throw usageError(
				`${flagText(name)} needs a value: ${flagText(name)} ${spec.value ?? ''}, such as ${flagText(name)} ${spec.example ?? ''}`,
			);
		}

		if (given(spec, value) && !spec.uses.includes(context)) {
			const sourceFits = spec.uses.some(use => use.startsWith(`${source}/`));
			const here = sourceFits ? MODE_WORDS[context.split('/')[1] as Mode] : SOURCE_FLAG[source];
			throw usageError(`${flagText(name)} does not apply to ${here}: it is for ${describeUses(spec.uses)}`);
		}
	}

	return context;
}

/** A number flag's text as a number in [min, max]; `whole` when it counts something. */
function numberFlag(
	name: FlagName,
	text: string,
	range: {min: number; max: number; whole?: boolean; what: string},
): number {
	const value = text.trim() === '' ? Number.NaN : Number(text);
	const fits = range.whole ? Number.isInteger(value) : Number.isFinite(value);
	if (!fits || value < range.min || value > range.max) {
		throw usageError(`${flagText(name)} ${text}: give ${range.what}`);
	}

	return value;
}

function sourceOf(flags: Flags, kind: SourceKind): SourceConfig {
	if (kind === 'file') {
		return {kind: 'file', path: flags.file!, follow: flags.follow ?? false};
	}

	if (kind === 'demo') {
		return {
			kind: 'demo',
			scenario: flags.scenario,
			speed:
				flags.speed === undefined
					? 1
					: numberFlag('speed', flags.speed, {min: 0.1, max: 1000, what: 'a factor between 0.1 and 1000'}),
			seed:
				flags.seed === undefined
					? 1
					: numberFlag('seed', flags.seed, {
							min: 0,
							max: 2 ** 32 - 1,
							whole: true,
							what: 'a whole number from 0 to 4294967295',
						}),
			rate:
				flags.rate === undefined
					? undefined
					: numberFlag('rate', flags.rate, {
							min: 1,
							max: MAX_DEMO_RATE,
							whole: true,
							what: `a whole number of records a second from 1 to ${MAX_DEMO_RATE}`,
						}),
		};
	}

	const intervalSeconds =
		flags.interval === undefined ? DEFAULT_INTERVAL_SECONDS : duration('interval', flags.interval);
	if (intervalSeconds < 1) {
		throw usageError('--interval must be at least 1s');
	}

	if (flags.endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(flags.endpoint)) {
		throw usageError(`--endpoint ${flags.endpoint}: give a URL such as http://127.0.0.1:4566`);
	}

	return {
		kind: 'insights',
		logGroups: flags.logGroup ?? [],
		logGroupPrefix: flags.logGroupPrefix,
		endpoint: flags.endpoint,
		profile: flags.profile,
		region: flags.region,
		intervalSeconds,
	};
}

function queryModeOf(value: string | undefined): ModeSetting {
	if (value === undefined) {
		return 'auto';
	}

	const setting = MODE_SETTINGS.find(candidate => candidate === value);
	if (!setting) {
		throw usageError(`--mode ${value}: give raw, aggregate or auto`);
	}

	return setting;
}

export function parseConfig(flags: Flags, now = Date.now()): Config {
	const context = contextOf(flags);
	const [kind, mode] = context.split('/') as [SourceKind, Mode];
	const source = sourceOf(flags, kind);
	let format: FlowFormat | undefined;
	if (flags.format !== undefined) {
		try {
			format = parseFormatString(flags.format);
		} catch (error) {
			throw error instanceof FormatError ? usageError(`--format: ${error.message}`) : error;
		}
	}

	let windowSeconds = DEFAULT_WINDOW_SECONDS;
	if (flags.window === 'all') {
		windowSeconds = Number.POSITIVE_INFINITY;
	} else if (flags.window !== undefined) {
		windowSeconds = duration('window', flags.window);
	} else if (mode === 'once' && source.kind === 'file') {
		windowSeconds = Number.POSITIVE_INFINITY;
	}

	// `--since 1h` reads as "the last hour": the window reaches back to it, for --once and live alike.
	if (source.kind === 'insights' && flags.since !== undefined) {
		windowSeconds = Math.max(windowSeconds, Math.ceil(since(flags.since, now)));
	}

	return {
		mode,
		source,
		format,
		json: flags.json ?? false,
		top:
			flags.top === undefined
				? 10
				: numberFlag('top', flags.top, {min: 1, max: 10_000, whole: true, what: 'a whole number from 1 to 10000'}),
		filter: filterFromFlags(flags),
		windowSeconds,
		queryMode: queryModeOf(flags.mode),
		pricePerGb:
			flags.pricePerGb === undefined
				? DEFAULT_PRICE_PER_GB
				: numberFlag('pricePerGb', flags.pricePerGb, {min: 0, max: 1000, what: 'a price in dollars, such as 0.005'}),
		budgetPerHour:
			flags.budget === undefined
				? DEFAULT_BUDGET_PER_HOUR
				: flags.budget === 'off'
					? Number.POSITIVE_INFINITY
					: numberFlag('budget', flags.budget, {
							min: 0.000_001,
							max: 1_000_000,
							what: 'dollars an hour, such as 0.5, or off',
						}),
		debugLog: flags.debug,
		servePort:
			flags.servePort === undefined
				? 0
				: numberFlag('servePort', flags.servePort, {
						min: 0,
						max: 65_535,
						whole: true,
						what: 'a port number to listen on, or 0 for any free port',
					}),
		snapshotDir: resolve(flags.snapshotDir ?? '.'),
		threads:
			flags.threads === undefined
				? Math.min(availableParallelism(), MAX_DEFAULT_THREADS)
				: numberFlag('threads', flags.threads, {min: 1, max: 64, whole: true, what: 'a whole number from 1 to 64'}),
		ec2: flags.ec2 ?? true,
	};
}
