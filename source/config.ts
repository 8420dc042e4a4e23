import {availableParallelism} from 'node:os';
import {combineFilters, EMPTY_FILTER, FilterError, parseAction, parseAddress, parseEni, parseFilter, parsePorts, parseProtocol, type Filter} from './engine/filter.js';
import {usageError} from './errors.js';
import {FormatError, parseFormatString, type FlowFormat} from './flowlog/format.js';
import {parseDuration} from './text/units.js';

/** The flags exactly as meow hands them over: the one place they are checked. */
export interface Flags {
	readonly file?: string | undefined;
	readonly follow?: boolean | undefined;
	readonly format?: string | undefined;
	readonly once?: boolean | undefined;
	readonly json?: boolean | undefined;
	readonly ndjson?: boolean | undefined;
	readonly top?: number | undefined;
	readonly eni?: readonly string[] | undefined;
	readonly cidr?: readonly string[] | undefined;
	readonly port?: readonly string[] | undefined;
	readonly protocol?: readonly string[] | undefined;
	readonly action?: string | undefined;
	readonly filter?: string | undefined;
	readonly window?: string | undefined;
	readonly logGroup?: readonly string[] | undefined;
	readonly logGroupPrefix?: string | undefined;
	readonly profile?: string | undefined;
	readonly region?: string | undefined;
	readonly endpoint?: string | undefined;
	readonly interval?: string | undefined;
	readonly since?: string | undefined;
	readonly pricePerGb?: number | undefined;
	readonly demo?: boolean | undefined;
	readonly serve?: boolean | undefined;
	readonly scenario?: string | undefined;
	readonly speed?: number | undefined;
	readonly seed?: number | undefined;
	readonly debug?: string | undefined;
	readonly threads?: number | undefined;
	/** `--no-ec2` gives false. */
	readonly ec2?: boolean | undefined;
}

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
	| {readonly kind: 'demo'; readonly scenario: string | undefined; readonly speed: number; readonly seed: number};

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
	readonly debugLog: string | undefined;
	/** `--demo --serve`: the port to listen on (0 picks a free one). */
	readonly servePort: number;
	/** `--once` over a large plain file reads it on this many threads. */
	readonly threads: number;
	/** Read the VPC's configuration with EC2's describe calls (a log group or the demo); `--no-ec2` turns it off. */
	readonly ec2: boolean;
}

export const DEFAULT_WINDOW_SECONDS = 15 * 60;
// Past four, reading a file is bound by the disk and the merge rather than the cores.
const MAX_DEFAULT_THREADS = 4;
// Every poll re-scans the lateness horizon (minutes), so the scan cost goes as horizon / interval;
// records arrive in deliveries minutes apart anyway. Ten seconds keeps the view fresh at half the
// cost of five (measured on the demo: 75x the bytes received at 5 s, 13.5x at 30 s).
export const DEFAULT_INTERVAL_SECONDS = 10;
/** Logs Insights list price, US East, per GB scanned. */
export const DEFAULT_PRICE_PER_GB = 0.005;

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

function sourceOf(flags: Flags): SourceConfig {
	const chosen = [flags.file !== undefined, (flags.logGroup?.length ?? 0) > 0 || flags.logGroupPrefix !== undefined, flags.demo === true]
		.filter(Boolean).length;
	if (chosen === 0) {
		throw usageError('say what to watch: --log-group NAME, --file PATH (or - for stdin), or --demo');
	}

	if (chosen > 1) {
		throw usageError('choose one source: --log-group, --file or --demo');
	}

	if (flags.file !== undefined) {
		if (flags.file === '') {
			throw usageError('--file needs a path, or - for standard input');
		}

		return {kind: 'file', path: flags.file, follow: flags.follow ?? false};
	}

	if (flags.follow) {
		throw usageError('--follow applies to --file; a log group is followed anyway');
	}

	if (flags.demo) {
		const speed = flags.speed ?? 1;
		if (!(speed > 0) || speed > 1000) {
			throw usageError(`--speed ${speed}: give a factor between 0.1 and 1000`);
		}

		return {kind: 'demo', scenario: flags.scenario, speed, seed: flags.seed ?? 1};
	}

	const intervalSeconds = flags.interval === undefined ? DEFAULT_INTERVAL_SECONDS : duration('interval', flags.interval);
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

function modeOf(flags: Flags, source: SourceConfig): Config['mode'] {
	if (flags.serve) {
		if (source.kind !== 'demo') {
			throw usageError('--serve runs the demo endpoint: use it with --demo');
		}

		return 'serve';
	}

	if (flags.ndjson) {
		if (source.kind !== 'file') {
			throw usageError('--ndjson prints the records of a file: use it with --file');
		}

		if (flags.once || flags.json) {
			throw usageError('--ndjson prints every record; --once/--json print a summary: choose one');
		}

		return 'ndjson';
	}

	if (flags.json && !flags.once) {
		throw usageError('--json goes with --once (a single report)');
	}

	return flags.once ? 'once' : 'tui';
}

export function parseConfig(flags: Flags, now = Date.now()): Config {
	const source = sourceOf(flags);
	const mode = modeOf(flags, source);
	let format: FlowFormat | undefined;
	if (flags.format !== undefined) {
		try {
			format = parseFormatString(flags.format);
		} catch (error) {
			throw error instanceof FormatError ? usageError(`--format: ${error.message}`) : error;
		}
	}

	const top = flags.top ?? 10;
	if (!Number.isInteger(top) || top < 1 || top > 10_000) {
		throw usageError(`--top ${top}: give a whole number from 1 to 10000`);
	}

	const pricePerGb = flags.pricePerGb ?? DEFAULT_PRICE_PER_GB;
	if (!(pricePerGb >= 0)) {
		throw usageError(`--price-per-gb ${pricePerGb}: give a price in dollars, such as 0.005`);
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

	const servePort = mode === 'serve' && flags.port?.length ? Number(flags.port[0]) : 0;
	if (!Number.isInteger(servePort) || servePort < 0 || servePort > 65_535) {
		throw usageError(`--port ${flags.port?.[0]}: give a port number to listen on, or 0 for any free port`);
	}

	const threads = flags.threads ?? Math.min(availableParallelism(), MAX_DEFAULT_THREADS);
	if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
		throw usageError(`--threads ${threads}: give a whole number from 1 to 64`);
	}

	return {
		mode,
		source,
		format,
		json: flags.json ?? false,
		top,
		filter: mode === 'serve' ? EMPTY_FILTER : filterFromFlags(flags),
		windowSeconds,
		pricePerGb,
		debugLog: flags.debug,
		servePort,
		threads,
		ec2: flags.ec2 ?? true,
	};
}
