/**
 * Every flag flowtop takes, declared once: cli.tsx builds meow's options and `--help` from this
 * table, config.ts reads the values with the `Flags` type derived from it, and `contextOf` refuses a
 * flag given where it would do nothing, so no flag is ever silently ignored.
 *
 * To add a flag: add one entry here (its `uses` say in which source and mode it does something),
 * then read it in parseConfig. A boolean that is on by default is turned off with `--no-NAME`
 * (meow reads `--no-ec2` as `ec2: false`): declare it as `ec2` with `defaultOn: true`.
 */

/** Where records come from, as SourceConfig['kind'] names it. */
export type SourceKind = 'file' | 'insights' | 'demo';
/** What a run does, as Config['mode'] names it. */
export type Mode = 'tui' | 'once' | 'ndjson' | 'serve';
export type Context = `${SourceKind}/${Mode}`;

/** The combinations that exist: a mode a source cannot run in is refused by the flag that asks for it. */
export const CONTEXTS: readonly Context[] = [
	'file/tui',
	'file/once',
	'file/ndjson',
	'insights/tui',
	'insights/once',
	'demo/tui',
	'demo/once',
	'demo/serve',
];

export type Section = 'Source' | 'Demo' | 'View and filter' | 'Output' | 'Help';

export interface FlagSpec {
	readonly type: 'string' | 'boolean';
	readonly isMultiple?: true;
	readonly defaultOn?: true;
	readonly shortFlag?: string;
	/** The value's placeholder in `--help`: `--top N`. */
	readonly value?: string;
	readonly help: string;
	/** A value a user might give; the tests give it too, and expect it to change the run. */
	readonly example?: string;
	readonly section: Section;
	/** Where the flag does something; anywhere else it is a usage error. */
	readonly uses: readonly Context[];
}

const ALL = CONTEXTS;
const LIVE: readonly Context[] = ['file/tui', 'insights/tui', 'demo/tui'];
const ONCE: readonly Context[] = ['file/once', 'insights/once', 'demo/once'];
const INSIGHTS: readonly Context[] = ['insights/tui', 'insights/once'];
const DEMO: readonly Context[] = ['demo/tui', 'demo/once', 'demo/serve'];
const FILE: readonly Context[] = ['file/tui', 'file/once', 'file/ndjson'];
/** The modes that aggregate records into panes or a report. */
const VIEWS: readonly Context[] = [...LIVE, ...ONCE];

export const FLAGS = {
	logGroup: {
		type: 'string',
		isMultiple: true,
		value: 'NAME',
		help: 'log group to watch; repeat for several',
		example: 'vpc-flows',
		section: 'Source',
		uses: INSIGHTS,
	},
	logGroupPrefix: {
		type: 'string',
		value: 'P',
		help: 'pick a log group among those starting with P',
		example: '/vpc/',
		section: 'Source',
		uses: INSIGHTS,
	},
	profile: {
		type: 'string',
		value: 'NAME',
		help: 'AWS profile (default: the standard credential chain)',
		example: 'prod-ro',
		section: 'Source',
		uses: INSIGHTS,
	},
	region: {
		type: 'string',
		value: 'REGION',
		help: 'AWS Region',
		example: 'eu-west-1',
		section: 'Source',
		uses: INSIGHTS,
	},
	endpoint: {
		type: 'string',
		value: 'URL',
		help: 'any CloudWatch Logs-compatible endpoint',
		example: 'http://127.0.0.1:4566',
		section: 'Source',
		uses: INSIGHTS,
	},
	interval: {
		type: 'string',
		value: 'DURATION',
		help: 'time between polls (default 10s)',
		example: '30s',
		section: 'Source',
		uses: ['insights/tui'],
	},
	mode: {
		type: 'string',
		value: 'raw|aggregate|auto',
		help: 'read raw records, or let Logs Insights sum them (stats); auto chooses by volume (default auto)',
		example: 'aggregate',
		section: 'Source',
		uses: [...INSIGHTS, 'demo/tui', 'demo/once'],
	},
	since: {
		type: 'string',
		value: 'WHEN',
		help: 'widen the window back to WHEN: a duration ago or an ISO time',
		example: '2h',
		section: 'Source',
		uses: INSIGHTS,
	},
	budget: {
		type: 'string',
		value: 'DOLLARS',
		help: 'what Logs Insights may cost an hour: polls are spaced out when the bytes they scan would cost more (default 1; off for no limit)',
		example: '0.5',
		section: 'Source',
		uses: ['insights/tui', 'demo/tui'],
	},
	pricePerGb: {
		type: 'string',
		value: 'DOLLARS',
		help: 'Logs Insights price per GB scanned (default 0.005)',
		example: '0.0063',
		section: 'Source',
		uses: [...INSIGHTS, 'demo/tui', 'demo/once'],
	},
	file: {
		type: 'string',
		value: 'PATH|-',
		help: 'a flow-log file, plain, gzip or Parquet, or a directory of Parquet files; - reads stdin',
		example: 'flows.log.gz',
		section: 'Source',
		uses: FILE,
	},
	follow: {
		type: 'boolean',
		help: 'keep reading the file as it grows, like tail -f',
		section: 'Source',
		uses: ['file/tui'],
	},
	format: {
		type: 'string',
		value: 'FORMAT',
		help: "the flow log's custom format, as given to CreateFlowLogs",
		example: '${version} ${srcaddr} ${dstaddr} ${action}',
		section: 'Source',
		uses: ALL,
	},
	threads: {
		type: 'string',
		value: 'N',
		help: 'threads that read a large file for --once (default: cores, at most 4)',
		example: '8',
		section: 'Source',
		uses: ['file/once'],
	},
	demo: {type: 'boolean', help: 'a simulated VPC behind a local CloudWatch Logs endpoint', section: 'Demo', uses: DEMO},
	scenario: {
		type: 'string',
		value: 'NAME',
		help: 'demo scenario to start with',
		example: 'port-scan',
		section: 'Demo',
		uses: DEMO,
	},
	speed: {
		type: 'string',
		value: 'FACTOR',
		help: "the demo's time runs this many times faster",
		example: '10',
		section: 'Demo',
		uses: DEMO,
	},
	rate: {
		type: 'string',
		value: 'N',
		help: 'a busy VPC: N flow-log records a second, most from a new internet client',
		example: '2000',
		section: 'Demo',
		uses: DEMO,
	},
	seed: {
		type: 'string',
		value: 'N',
		help: 'demo random seed: same seed, same traffic',
		example: '7',
		section: 'Demo',
		uses: DEMO,
	},
	serve: {
		type: 'boolean',
		help: "run only the demo's endpoint and print how to query it",
		section: 'Demo',
		uses: ['demo/serve'],
	},
	servePort: {
		type: 'string',
		value: 'N',
		help: 'the port --serve listens on (default: any free port)',
		example: '4566',
		section: 'Demo',
		uses: ['demo/serve'],
	},
	ec2: {
		type: 'boolean',
		defaultOn: true,
		help: "do not read the VPC's rules and names through EC2 (read by default, to name the rule that refuses a flow)",
		section: 'Source',
		uses: [...INSIGHTS, 'demo/tui', 'demo/once'],
	},
	window: {
		type: 'string',
		value: 'DURATION',
		help: 'sliding window (default 15m; all: everything)',
		example: '1h',
		section: 'View and filter',
		uses: [...VIEWS, 'demo/serve'],
	},
	filter: {
		type: 'string',
		value: 'TEXT',
		help: 'the filter in its text form, as typed after /',
		example: 'eni-0abc port:22 reject',
		section: 'View and filter',
		uses: VIEWS,
	},
	eni: {
		type: 'string',
		isMultiple: true,
		value: 'ID',
		help: 'only this interface; repeatable',
		example: 'eni-0abc123',
		section: 'View and filter',
		uses: VIEWS,
	},
	cidr: {
		type: 'string',
		isMultiple: true,
		value: 'CIDR',
		help: 'either end in this CIDR or address; repeatable',
		example: '10.0.0.0/16',
		section: 'View and filter',
		uses: VIEWS,
	},
	port: {
		type: 'string',
		isMultiple: true,
		value: 'PORT',
		help: 'either port: a port, list or range; repeatable',
		example: '22',
		section: 'View and filter',
		uses: VIEWS,
	},
	protocol: {
		type: 'string',
		isMultiple: true,
		value: 'NAME',
		help: 'tcp, udp, icmp, icmpv6 or a number; repeatable',
		example: 'udp',
		section: 'View and filter',
		uses: VIEWS,
	},
	action: {
		type: 'string',
		value: 'ACTION',
		help: 'accept or reject',
		example: 'reject',
		section: 'View and filter',
		uses: VIEWS,
	},
	once: {
		type: 'boolean',
		help: 'print one report and exit (a whole file, or one window)',
		section: 'Output',
		uses: ONCE,
	},
	json: {
		type: 'boolean',
		help: 'with --once: the JSON document described in the README',
		section: 'Output',
		uses: ONCE,
	},
	ndjson: {
		type: 'boolean',
		help: 'with --file: every record as one JSON object per line',
		section: 'Output',
		uses: ['file/ndjson'],
	},
	top: {
		type: 'string',
		value: 'N',
		help: 'rows per list with --once (default 10)',
		example: '20',
		section: 'Output',
		uses: ONCE,
	},
	snapshotDir: {
		type: 'string',
		value: 'DIR',
		help: 'where x writes snapshots (default: the current directory)',
		example: '/tmp/flowtop',
		section: 'Output',
		uses: LIVE,
	},
	debug: {
		type: 'string',
		value: 'FILE',
		help: 'write what would disturb the screen or the report (warnings, stray output, how a file was read, each Insights poll: its window, queries, rows, bytes scanned, seconds) to FILE',
		example: '/tmp/flowtop.log',
		section: 'Output',
		uses: VIEWS,
	},
	help: {type: 'boolean', shortFlag: 'h', help: 'this help', section: 'Help', uses: ALL},
	version: {type: 'boolean', shortFlag: 'v', help: 'the version', section: 'Help', uses: ALL},
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof FLAGS;

type ValueOf<Spec> = Spec extends {type: 'boolean'}
	? boolean
	: Spec extends {isMultiple: true}
		? readonly string[]
		: string;

/** The flags as meow hands them over, typed by the table. */
export type Flags = {readonly [Name in FlagName]?: ValueOf<(typeof FLAGS)[Name]> | undefined};

export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];

/** `logGroupPrefix` -> `--log-group-prefix`; a flag on by default is given as `--no-ec2`. */
export function flagText(name: string): string {
	if (name.length === 1) {
		return `-${name}`;
	}

	const words = name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);
	return Object.hasOwn(FLAGS, name) && 'defaultOn' in FLAGS[name as FlagName] ? `--no-${words}` : `--${words}`;
}

export function usedIn(name: FlagName, context: Context): boolean {
	const spec: FlagSpec = FLAGS[name];
	return spec.uses.includes(context);
}
