import {createServer, request as httpRequest} from 'node:http';
import type {AddressInfo} from 'node:net';
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach} from 'vitest';
import {type Endpoint, type EndpointLimits, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {REGION} from '../../../source/demo/endpoint/account.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {DEFAULT_FORMAT, formatLine} from '../../../source/flowlog/format.js';
import {createLogsClient} from '../../../source/sources/insights/client.js';
import {InsightsPoller, type InsightsPollerOptions} from '../../../source/sources/insights/poller.js';
import {VirtualTime} from './virtual-time.js';
import {MINUTE, type SentQuery, sentQueries, T0} from './world.js';

export const GROUP = '/vpc/hand-fed';
/** Between polls, unless a test says otherwise. */
export const EVERY = MINUTE;

/** One flow-log record as CloudWatch Logs takes it in. */
export interface Arrival {
	/** Its source port: what tells the records of a test apart. */
	readonly port: number;
	/** Its @timestamp (the start of its capture window), in milliseconds. */
	readonly stamped: number;
	/** Its @ingestionTime: when CloudWatch took it in. */
	readonly ingested: number;
	/** When queries start to find it: at once unless said (CloudWatch can take a while to index). */
	readonly searchable?: number;
	/** A message that is not a flow-log record in the default format. */
	readonly message?: string;
}

/**
 * A log group on the local endpoint that holds only the records a test hands it, at the times it
 * says, on virtual time, with a real SDK client: a poll or two tells what the poller does with each.
 */
export interface HandFedGroup {
	readonly time: VirtualTime;
	readonly endpoint: Endpoint;
	/** Where the client's calls go: the endpoint, or the proxy in front of it. */
	readonly url: string;
	readonly client: CloudWatchLogsClient;
	/** Every StartQuery the client sent, in order. */
	readonly queries: SentQuery[];
	arrive(...arrivals: Arrival[]): void;
	poller(options?: Partial<InsightsPollerOptions>): InsightsPoller;
}

export function flowMessage(port: number, stamped: number): string {
	const start = Math.floor(stamped / 1000);
	return formatLine(
		{
			version: 2,
			'account-id': '123456789012',
			'interface-id': 'eni-0a1',
			srcaddr: '10.0.1.5',
			dstaddr: '10.0.2.9',
			srcport: port,
			dstport: 443,
			protocol: 6,
			packets: 3,
			bytes: 180,
			start,
			end: start + 60,
			action: 'ACCEPT',
			'log-status': 'OK',
		},
		DEFAULT_FORMAT,
	);
}

const open: Array<() => Promise<void>> = [];

/** Closes what handFedGroup opened, after each test of the file that calls it. */
export function closeHandFedGroups(): void {
	afterEach(async () => {
		for (const close of open.splice(0)) {
			await close();
		}
	});
}

/** How an endpoint other than CloudWatch answers where the local endpoint answers as CloudWatch does. */
interface Dialect {
	/** Records have no @ingestionTime, as moto's do: results carry none, and queries find none. */
	readonly withoutIngestionTime?: boolean;
	/** A `stats` query is refused as malformed, as by an emulator that knows only `fields`. */
	readonly refusesStats?: boolean;
	/** Queries are answered as if they had no filter on @ingestionTime. */
	readonly ignoresIngestionFilter?: boolean;
}

const INGESTION_FILTER = /filter toMillis\(@ingestionTime\) > \d+ and toMillis\(@ingestionTime\) <= \d+/;

/** A query without its filter on @ingestionTime, and the pipe that joined it. */
function withoutIngestionFilter(query: string): string {
	return query
		.replace(INGESTION_FILTER, '')
		.replace(/^\s*\|\s*/, '')
		.replace(/\s*\|\s*$/, '');
}

/** The endpoint behind a proxy that changes its answers as the dialect says. */
async function speaking(dialect: Dialect, endpoint: string): Promise<{url: string; close: () => Promise<void>}> {
	const server = createServer((incoming, answer) => {
		const reply = (status: number, contentType: string | undefined, body: string) => {
			answer.writeHead(status, {
				'content-type': contentType ?? 'application/x-amz-json-1.1',
				'content-length': Buffer.byteLength(body),
			});
			answer.end(body);
		};

		const action = String(incoming.headers['x-amz-target']).replace('Logs_20140328.', '');
		const sent: Buffer[] = [];
		incoming.on('data', (chunk: Buffer) => sent.push(chunk));
		incoming.on('end', () => {
			let request = Buffer.concat(sent);
			if (dialect.withoutIngestionTime && action === 'StartQuery') {
				const input = JSON.parse(request.toString('utf8')) as {queryString: string};
				request = Buffer.from(
					JSON.stringify({...input, queryString: input.queryString.replaceAll('@ingestionTime', '@noSuchField')}),
				);
			}

			if (dialect.ignoresIngestionFilter && action === 'StartQuery') {
				const input = JSON.parse(request.toString('utf8')) as {queryString: string};
				request = Buffer.from(JSON.stringify({...input, queryString: withoutIngestionFilter(input.queryString)}));
			}

			if (
				dialect.refusesStats &&
				action === 'StartQuery' &&
				(JSON.parse(request.toString('utf8')) as {queryString: string}).queryString.includes('stats ')
			) {
				reply(
					400,
					undefined,
					JSON.stringify({__type: 'MalformedQueryException', message: 'unexpected symbol found stats'}),
				);
				return;
			}

			const forwarded = httpRequest(`${endpoint}${incoming.url ?? '/'}`, {
				method: incoming.method,
				headers: {...incoming.headers, 'content-length': String(request.length)},
			});
			forwarded.on('response', response => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					let body = Buffer.concat(chunks).toString('utf8');
					if (dialect.withoutIngestionTime && action === 'GetQueryResults' && response.statusCode === 200) {
						const output = JSON.parse(body) as {results: Array<Array<{field: string}>>};
						output.results = output.results.map(row => row.filter(field => field.field !== '@ingestionTime'));
						body = JSON.stringify(output);
					}

					reply(response.statusCode ?? 500, response.headers['content-type'], body);
				});
			});
			forwarded.end(request);
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		async close() {
			server.closeAllConnections();
			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}

export interface HandFedOptions extends Dialect {
	readonly limits?: Partial<EndpointLimits>;
}

export async function handFedGroup(options: HandFedOptions = {}): Promise<HandFedGroup> {
	const time = new VirtualTime(T0);
	const endpoint = await startEndpoint({clock: time.now, limits: options.limits});
	endpoint.store.createGroup(GROUP);
	const proxy =
		options.withoutIngestionTime || options.refusesStats || options.ignoresIngestionFilter
			? await speaking(options, endpoint.url)
			: undefined;
	const url = proxy?.url ?? endpoint.url;
	const client = createLogsClient({endpoint: url, region: REGION, credentials: DEMO_CREDENTIALS});
	const queries = sentQueries(client);
	const pollers: InsightsPoller[] = [];
	open.push(async () => {
		await Promise.all(pollers.map(async poller => poller.stop()));
		client.destroy();
		await proxy?.close();
		await endpoint.close();
	});
	return {
		time,
		endpoint,
		url,
		client,
		queries,
		arrive(...arrivals) {
			for (const {port, stamped, ingested, searchable = ingested, message} of arrivals) {
				const event = {timestamp: stamped, message: message ?? flowMessage(port, stamped)};
				endpoint.store.deliver(GROUP, `stream-${port}`, [event], searchable, ingested);
			}
		},
		poller(options = {}) {
			const poller = new InsightsPoller({
				client,
				logGroups: [GROUP],
				timing: time,
				intervalMs: EVERY,
				windowMs: 60 * MINUTE,
				context: {logGroups: [GROUP], endpoint: url, region: REGION, profile: undefined},
				random: () => 0.5,
				...options,
			});
			pollers.push(poller);
			return poller;
		},
	};
}
