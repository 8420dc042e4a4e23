/**
 * A local CloudWatch Logs endpoint, for the demo and for every test of the AWS path.
 *
 * flowtop's poller talks to AWS only through the real SDK, so the honest way to exercise it is a
 * server the SDK cannot tell from CloudWatch Logs: the same JSON 1.1 wire protocol, the same
 * exception names (so the SDK raises the same classes), the same limits (10,000 rows, concurrent
 * queries, request rates) and the awkward parts of the real service that a poller must survive:
 * records that arrive minutes late, queries that run for a while and report partial results, and
 * faults on demand. Everything runs on an injected clock so minutes of traffic take milliseconds.
 *
 *   const endpoint = await startEndpoint({clock});
 *   new CloudWatchLogsClient({endpoint: endpoint.url, region: 'us-east-1', credentials});
 *   endpoint.store.deliver(group, stream, events, visibleAt);   // feed it
 *   endpoint.faults.fail('StartQuery', 'ThrottlingException');  // break it
 *   endpoint.runningQueries();                                  // prove nothing leaked
 *   await endpoint.close();
 */
import {randomUUID} from 'node:crypto';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {systemClock, type Clock} from '../../clock.js';
import {type ActionName, isAction} from './actions.js';
import {answerEc2, type Ec2ApiOptions, ec2Error} from './ec2-api.js';
import {Faults} from './faults.js';
import {createHandlers} from './handlers.js';
import type {Input} from './input.js';
import {LogStore} from './log-store.js';
import {QueryEngine, type QueryLimits} from './query-engine.js';
import {RateLimiter} from './rate-limiter.js';
import {ServiceError} from './service-error.js';

export interface EndpointLimits extends QueryLimits {
	/** Requests per second an action accepts before ThrottlingException, on the injected clock; unset is unlimited. */
	readonly requestsPerSecond: Readonly<Partial<Record<ActionName, number>>>;
}

export interface EndpointOptions {
	readonly clock?: Clock;
	/** 0 (the default) picks a free port. */
	readonly port?: number;
	readonly limits?: Partial<EndpointLimits> | undefined;
	/** Also answer EC2's describe calls (the Query protocol) from a simulated VPC. */
	readonly ec2?: Ec2ApiOptions;
}

export interface Endpoint {
	/** `http://127.0.0.1:<port>`: the SDK's `endpoint` option. */
	readonly url: string;
	readonly store: LogStore;
	readonly faults: Faults;
	/** Queries still Scheduled or Running. */
	runningQueries(): number;
	/** Stops listening and drops every open connection. */
	close(): Promise<void>;
}

export const DEFAULT_LIMITS: EndpointLimits = {
	maxConcurrentQueries: 30,
	maxQueryRows: 10_000,
	scheduledPolls: 1,
	// A busy window (1.8 million records at 2,000/s) in one call, as the columns read it in well under a second.
	recordsPerPoll: 2_000_000,
	runMs: 10_000,
	requestsPerSecond: {},
};

const TARGET_PREFIX = 'Logs_20140328.';
/**
 * The largest request body read. PutLogEvents, the largest request, takes 1 MiB of events, which
 * JSON escaping can make several times longer on the wire; the handler refuses an oversized batch
 * with the service's own message. Anything longer is refused from its Content-Length, or as soon
 * as that many bytes have arrived, so a 600 MB body is never held in memory.
 */
export const MAX_REQUEST_BYTES = 8 * 1_048_576;
/** How long a refused request's connection stays open to take in what the client had in flight. */
const LINGER_MS = 2000;
const JSON_TYPE = 'application/x-amz-json-1.1';

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const text = JSON.stringify(body);
	response.writeHead(status, {
		'content-type': JSON_TYPE,
		'content-length': Buffer.byteLength(text),
		'x-amzn-requestid': randomUUID(),
		...headers,
	});
	response.end(text);
}

function sendError(response: ServerResponse, error: ServiceError): void {
	send(
		response,
		error.status,
		{__type: error.type, message: error.message, ...error.details},
		{'x-amzn-errortype': error.type},
	);
}

function parseBody(body: string): Input {
	let parsed: unknown;
	try {
		parsed = body.trim() === '' ? {} : JSON.parse(body);
	} catch {
		throw new ServiceError('SerializationException', 'The request body is not valid JSON.');
	}

	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new ServiceError('SerializationException', 'The request body must be a JSON object.');
	}

	return parsed as Input;
}

export async function startEndpoint(options: EndpointOptions = {}): Promise<Endpoint> {
	const clock = options.clock ?? systemClock;
	const limits: EndpointLimits = {...DEFAULT_LIMITS, ...options.limits};
	const store = new LogStore(clock);
	const faults = new Faults();
	const queries = new QueryEngine(store, faults, limits, clock);
	const handlers = createHandlers(store, queries, limits.maxQueryRows);
	const limiter = new RateLimiter(clock, limits.requestsPerSecond);

	function handle(request: IncomingMessage, response: ServerResponse, body: string): void {
		if (request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
			const answer = options.ec2
				? answerEc2(options.ec2, new URLSearchParams(body))
				: ec2Error(400, 'UnsupportedOperation', 'This endpoint serves no VPC.');
			response.writeHead(answer.status, {
				'content-type': 'text/xml;charset=UTF-8',
				'content-length': Buffer.byteLength(answer.body),
			});
			response.end(answer.body);
			return;
		}

		const target = request.headers['x-amz-target'];
		const action =
			typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
		if (request.method !== 'POST' || !isAction(action)) {
			throw new ServiceError('UnknownOperationException', `Unknown operation ${String(target)}`);
		}

		// Signatures are not checked (any credentials do), but an unsigned request is refused as AWS refuses it.
		if (!request.headers.authorization) {
			throw new ServiceError('MissingAuthenticationTokenException', 'Request is missing Authentication Token');
		}

		const fault = faults.takeRequestFault(action);
		if (fault?.kind === 'drop') {
			request.socket.destroy();
			return;
		}

		if (fault?.kind === 'error') {
			throw fault.error;
		}

		if (!limiter.take(action)) {
			throw new ServiceError('ThrottlingException', 'Rate exceeded');
		}

		send(response, 200, handlers[action](parseBody(body)));
	}

	function refuseTooLarge(request: IncomingMessage, response: ServerResponse): void {
		sendError(
			response,
			new ServiceError('SerializationException', `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`, 413),
		);
		// The connection ends with the answer, but what the client is still sending is read and dropped
		// for a moment (a lingering close). Closed on unread data, a socket answers with a reset, and a
		// reset makes the client's system drop the answer it had not read yet. Node closes a connection
		// not kept alive that way, so this one is half-closed here instead.
		response.on('finish', () => {
			request.removeAllListeners('data');
			request.resume();
			request.socket.end();
			setTimeout(() => request.destroy(), LINGER_MS).unref();
		});
	}

	const server = createServer((request, response) => {
		if (Number(request.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
			refuseTooLarge(request, response);
			return;
		}

		const chunks: Buffer[] = [];
		let received = 0;
		request.on('data', (chunk: Buffer) => {
			received += chunk.length;
			if (received > MAX_REQUEST_BYTES) {
				request.pause();
				request.removeAllListeners('data');
				request.removeAllListeners('end');
				chunks.length = 0;
				refuseTooLarge(request, response);
				return;
			}

			chunks.push(chunk);
		});
		request.on('end', () => {
			try {
				handle(request, response, Buffer.concat(chunks).toString('utf8'));
			} catch (error) {
				sendError(
					response,
					error instanceof ServiceError ? error : new ServiceError('InternalFailure', String(error), 500),
				);
			}
		});
	});

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});

	const {port} = server.address() as AddressInfo;
	// Closing twice must not fail: node's second server.close() rejects with ERR_SERVER_NOT_RUNNING.
	let closing: Promise<void> | undefined;
	return {
		url: `http://127.0.0.1:${port}`,
		store,
		faults,
		runningQueries: () => queries.running(),
		close: async () => {
			closing ??= new Promise<void>((resolve, reject) => {
				server.close(error => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
