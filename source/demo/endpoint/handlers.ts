import {MalformedQueryError} from '../insights/malformed.js';
import {parseQuery} from '../insights/parser.js';
import type {ActionName} from './actions.js';
import {compileFilterPattern} from './filter-pattern.js';
import {
	inRange,
	type Input,
	optionalBoolean,
	optionalInteger,
	optionalList,
	optionalString,
	optionalStringList,
	requiredInteger,
	requiredString,
} from './input.js';
import {ACCOUNT_ID, REGION} from './account.js';
import type {StoredEvent} from './event-scan.js';
import {checkGroupName, compareEvents, type LogGroupInfo, type LogStore} from './log-store.js';
import {decodeToken, encodeToken} from './page-token.js';
import type {QueryEngine} from './query-engine.js';
import {invalidParameter, ServiceError} from './service-error.js';

export type Handler = (input: Input) => unknown;

const MAX_GROUPS_PER_QUERY = 50;
/** StartQuery's documented limits: the query text, and the rows a query may return (10,000 unless `limit` says more). */
const MAX_QUERY_LENGTH = 10_000;
export const MAX_QUERY_LIMIT = 100_000;
/** GetQueryResults returns at most this many rows a call; nextToken pages through the rest. */
export const RESULTS_PAGE = 10_000;
const DESCRIBE_QUERIES_PAGE = 1000;
const DESCRIBE_PAGE = 50;
const FILTER_PAGE = 10_000;
const FILTER_PAGE_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;

function describeGroup(group: LogGroupInfo): unknown {
	const arn = `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${group.name}`;
	return {
		logGroupName: group.name,
		creationTime: group.creationTime,
		retentionInDays: group.retentionInDays,
		metricFilterCount: 0,
		arn: `${arn}:*`,
		storedBytes: group.storedBytes,
		logGroupClass: 'STANDARD',
		logGroupArn: arn,
	};
}

/** A group named by name or by ARN (with or without the trailing `:*`). */
function groupOfIdentifier(identifier: string): string {
	const marker = ':log-group:';
	if (!identifier.startsWith('arn:') || !identifier.includes(marker)) {
		return identifier;
	}

	const name = identifier.slice(identifier.indexOf(marker) + marker.length);
	return name.endsWith(':*') ? name.slice(0, -2) : name;
}

function exactlyOne(names: readonly string[], present: readonly unknown[]): void {
	if (present.filter(value => value !== undefined).length !== 1) {
		throw invalidParameter(`Exactly one of ${names.join(', ')} must be specified.`);
	}
}

interface FilterPosition {
	/** (timestamp, seq) of the last event returned. */
	readonly after: readonly [number, number];
	readonly head: boolean;
}

function filterPosition(token: string | undefined): FilterPosition | undefined {
	if (token === undefined) {
		return undefined;
	}

	const position = decodeToken('FilterLogEvents', token) as Partial<FilterPosition>;
	const {after, head} = position;
	if (
		!Array.isArray(after) ||
		after.length !== 2 ||
		!after.every(item => typeof item === 'number') ||
		typeof head !== 'boolean'
	) {
		throw invalidParameter('The specified nextToken is invalid.');
	}

	return {after: [after[0], after[1]], head};
}

function streamFilter(
	names: readonly string[] | undefined,
	prefix: string | undefined,
): ((stream: string) => boolean) | undefined {
	if (names !== undefined) {
		return stream => names.includes(stream);
	}

	return prefix === undefined ? undefined : stream => stream.startsWith(prefix);
}

function describeLogGroups(store: LogStore): Handler {
	return input => {
		const prefix = optionalString(input, 'logGroupNamePrefix');
		const pattern = optionalString(input, 'logGroupNamePattern');
		if (prefix !== undefined && pattern !== undefined) {
			throw invalidParameter(
				'logGroupNamePrefix and logGroupNamePattern are mutually exclusive. Only one of these parameters can be passed.',
			);
		}

		const limit = optionalInteger(input, 'limit') ?? DESCRIBE_PAGE;
		inRange('limit', limit, 1, DESCRIBE_PAGE);
		const token = optionalString(input, 'nextToken');
		const after = token === undefined ? undefined : decodeToken('DescribeLogGroups', token);
		if (after !== undefined && typeof after !== 'string') {
			throw invalidParameter('The specified nextToken is invalid.');
		}

		const matching = store
			.describeGroups()
			.filter(
				group =>
					(prefix === undefined || group.name.startsWith(prefix)) &&
					(pattern === undefined || group.name.includes(pattern)),
			)
			.filter(group => after === undefined || group.name > after);
		const page = matching.slice(0, limit);
		return {
			logGroups: page.map(group => describeGroup(group)),
			nextToken: matching.length > page.length ? encodeToken('DescribeLogGroups', page.at(-1)!.name) : undefined,
		};
	};
}

function createLogGroup(store: LogStore): Handler {
	return input => {
		store.createGroup(requiredString(input, 'logGroupName'));
		return {};
	};
}

function createLogStream(store: LogStore): Handler {
	return input => {
		store.createStream(requiredString(input, 'logGroupName'), requiredString(input, 'logStreamName'));
		return {};
	};
}

function putLogEvents(store: LogStore): Handler {
	return input => {
		const group = requiredString(input, 'logGroupName');
		const stream = requiredString(input, 'logStreamName');
		const events = (optionalList(input, 'logEvents') ?? []).map((event, i) => ({
			timestamp: requiredInteger(event, 'timestamp', `logEvents.${i + 1}.member.timestamp`),
			message: requiredString(event, 'message', `logEvents.${i + 1}.member.message`),
		}));
		return {rejectedLogEventsInfo: store.putLogEvents(group, stream, events)};
	};
}

/**
 * FilterLogEvents: the group's visible events in the range, matching the pattern, oldest first
 * (newest first when startFromHead is false), in pages of at most `limit` events and 1 MB.
 */
function filterLogEvents(store: LogStore): Handler {
	return input => {
		const name = optionalString(input, 'logGroupName');
		const identifier = optionalString(input, 'logGroupIdentifier');
		exactlyOne(['logGroupName', 'logGroupIdentifier'], [name, identifier]);
		const streamNames = optionalStringList(input, 'logStreamNames');
		const streamPrefix = optionalString(input, 'logStreamNamePrefix');
		if (streamNames !== undefined && streamPrefix !== undefined) {
			throw invalidParameter('Cannot specify both logStreamNames and logStreamNamePrefix.');
		}

		const startTime = optionalInteger(input, 'startTime');
		const endTime = optionalInteger(input, 'endTime');
		if (startTime !== undefined && endTime !== undefined && endTime < startTime) {
			throw invalidParameter('endTime must not be earlier than startTime.');
		}

		const limit = optionalInteger(input, 'limit') ?? FILTER_PAGE;
		inRange('limit', limit, 1, FILTER_PAGE);
		const matches = compileFilterPattern(optionalString(input, 'filterPattern'));
		const resumed = filterPosition(optionalString(input, 'nextToken'));
		const fromHead = resumed?.head ?? optionalBoolean(input, 'startFromHead') ?? true;
		const group = groupOfIdentifier(name ?? identifier!);
		let events = store.visibleEvents(
			[group],
			startTime ?? -Infinity,
			endTime ?? Infinity,
			streamFilter(streamNames, streamPrefix),
		);
		events = events.filter(event => matches(event.message));
		if (!fromHead) {
			events.reverse();
		}

		if (resumed) {
			const [timestamp, seq] = resumed.after;
			const direction = fromHead ? 1 : -1;
			events = events.filter(event => direction * compareEvents(event, {timestamp, seq}) > 0);
		}

		const page: StoredEvent[] = [];
		let bytes = 0;
		for (const event of events) {
			bytes += event.bytes + EVENT_OVERHEAD;
			if (page.length === limit || (page.length > 0 && bytes > FILTER_PAGE_BYTES)) {
				break;
			}

			page.push(event);
		}

		const last = page.at(-1);
		return {
			events: page.map(event => ({
				logStreamName: event.logStream,
				timestamp: event.timestamp,
				message: event.message,
				ingestionTime: event.ingestionTime,
				eventId: String(event.seq),
			})),
			searchedLogStreams: [],
			nextToken:
				last && events.length > page.length
					? encodeToken('FilterLogEvents', {after: [last.timestamp, last.seq], head: fromHead})
					: undefined,
		};
	};
}

/**
 * StartQuery. The time range is in seconds and inclusive at both ends: an event counts when its
 * timestamp falls in any millisecond of the seconds from startTime to endTime.
 */
function startQuery(queries: QueryEngine, maxQueryRows: number): Handler {
	return input => {
		const name = optionalString(input, 'logGroupName');
		const names = optionalStringList(input, 'logGroupNames');
		const identifiers = optionalStringList(input, 'logGroupIdentifiers');
		exactlyOne(['logGroupName', 'logGroupNames', 'logGroupIdentifiers'], [name, names, identifiers]);
		const groups =
			name === undefined ? (names ?? identifiers!.map(identifier => groupOfIdentifier(identifier))) : [name];
		if (groups.length === 0 || groups.length > MAX_GROUPS_PER_QUERY) {
			throw invalidParameter(`A query must name between 1 and ${MAX_GROUPS_PER_QUERY} log groups.`);
		}

		for (const group of groups) {
			checkGroupName(group);
		}

		const startTime = requiredInteger(input, 'startTime');
		const endTime = requiredInteger(input, 'endTime');
		inRange('startTime', startTime, 0, Number.MAX_SAFE_INTEGER);
		inRange('endTime', endTime, 0, Number.MAX_SAFE_INTEGER);
		if (endTime < startTime) {
			throw invalidParameter('endTime must be greater than or equal to startTime.');
		}

		const language = optionalString(input, 'queryLanguage');
		if (language !== undefined && language !== 'CWLI') {
			throw invalidParameter(`Query language ${language} is not supported here: only CWLI (Logs Insights QL) is.`);
		}

		const limit = optionalInteger(input, 'limit');
		inRange('limit', limit, 1, MAX_QUERY_LIMIT);
		const queryString = requiredString(input, 'queryString');
		if (queryString.length > MAX_QUERY_LENGTH) {
			throw invalidParameter(
				`1 validation error detected: Value at 'queryString' failed to satisfy constraint: Member must have length less than or equal to ${MAX_QUERY_LENGTH}`,
			);
		}

		let query: ReturnType<typeof parseQuery>;
		try {
			query = parseQuery(queryString);
		} catch (error) {
			if (error instanceof MalformedQueryError) {
				throw new ServiceError('MalformedQueryException', error.message, 400, {
					queryCompileError: {
						location: {startCharOffset: error.start, endCharOffset: error.end},
						message: error.message,
					},
				});
			}

			throw error;
		}

		const queryId = queries.start(
			groups,
			startTime * 1000,
			endTime * 1000 + 999,
			query,
			limit ?? maxQueryRows,
			queryString,
		);
		return {queryId};
	};
}

/** GetQueryResults: the results so far (partial while Running), a page of at most 10,000 at a time. */
function getQueryResults(queries: QueryEngine): Handler {
	return input => {
		const queryId = requiredString(input, 'queryId');
		const maxItems = optionalInteger(input, 'maxItems') ?? RESULTS_PAGE;
		inRange('maxItems', maxItems, 1, RESULTS_PAGE);
		const token = optionalString(input, 'nextToken');
		const position =
			token === undefined
				? {queryId, offset: 0}
				: (decodeToken('GetQueryResults', token) as {queryId?: unknown; offset?: unknown});
		if (position.queryId !== queryId || typeof position.offset !== 'number') {
			throw invalidParameter('The specified nextToken is invalid.');
		}

		const {offset} = position;
		// A page after the first only reads what the query has: it does not move it along.
		const {results, ...rest} = token === undefined ? queries.results(queryId) : queries.peek(queryId);
		const end = Math.min(results.length, offset + maxItems);
		queries.paged(queryId, end < results.length);
		return {
			queryLanguage: 'CWLI',
			...rest,
			results: results.slice(offset, end),
			nextToken: end < results.length ? encodeToken('GetQueryResults', {queryId, offset: end}) : undefined,
		};
	};
}

function describeQueries(queries: QueryEngine): Handler {
	return input => {
		const status = optionalString(input, 'status');
		const maxResults = optionalInteger(input, 'maxResults') ?? DESCRIBE_QUERIES_PAGE;
		inRange('maxResults', maxResults, 1, DESCRIBE_QUERIES_PAGE);
		const token = optionalString(input, 'nextToken');
		const offset = token === undefined ? 0 : decodeToken('DescribeQueries', token);
		if (typeof offset !== 'number') {
			throw invalidParameter('The specified nextToken is invalid.');
		}

		const all = queries.describe(optionalString(input, 'logGroupName'), status);
		const end = Math.min(all.length, offset + maxResults);
		return {
			queries: all.slice(offset, end).map(query => ({queryLanguage: 'CWLI', ...query})),
			nextToken: end < all.length ? encodeToken('DescribeQueries', end) : undefined,
		};
	};
}

/** DescribeLogStreams, in name order (ordering by last event time is not needed by anything here). */
function describeLogStreams(store: LogStore): Handler {
	return input => {
		const name = optionalString(input, 'logGroupName');
		const identifier = optionalString(input, 'logGroupIdentifier');
		exactlyOne(['logGroupName', 'logGroupIdentifier'], [name, identifier]);
		const group = groupOfIdentifier(name ?? identifier!);
		const orderBy = optionalString(input, 'orderBy') ?? 'LogStreamName';
		if (orderBy !== 'LogStreamName') {
			throw invalidParameter(`orderBy ${orderBy} is not supported by this endpoint: only LogStreamName is.`);
		}

		const prefix = optionalString(input, 'logStreamNamePrefix');
		const limit = optionalInteger(input, 'limit') ?? DESCRIBE_PAGE;
		inRange('limit', limit, 1, DESCRIBE_PAGE);
		const token = optionalString(input, 'nextToken');
		const after = token === undefined ? undefined : decodeToken('DescribeLogStreams', token);
		if (after !== undefined && typeof after !== 'string') {
			throw invalidParameter('The specified nextToken is invalid.');
		}

		let streams = store
			.describeStreams(group)
			.filter(
				stream =>
					(prefix === undefined || stream.name.startsWith(prefix)) && (after === undefined || stream.name > after),
			);
		if (optionalBoolean(input, 'descending')) {
			streams = streams.reverse();
		}

		const page = streams.slice(0, limit);
		return {
			logStreams: page.map(({name: logStreamName, ...times}) => ({
				logStreamName,
				arn: `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${group}:log-stream:${logStreamName}`,
				storedBytes: 0,
				...times,
			})),
			nextToken: streams.length > page.length ? encodeToken('DescribeLogStreams', page.at(-1)!.name) : undefined,
		};
	};
}

/** GetLogEvents: one stream's events, the newest `limit` by default, paged forward or backward by token. */
function getLogEvents(store: LogStore): Handler {
	return input => {
		const name = optionalString(input, 'logGroupName');
		const identifier = optionalString(input, 'logGroupIdentifier');
		exactlyOne(['logGroupName', 'logGroupIdentifier'], [name, identifier]);
		const stream = requiredString(input, 'logStreamName');
		const limit = optionalInteger(input, 'limit') ?? FILTER_PAGE;
		inRange('limit', limit, 1, FILTER_PAGE);
		const token = optionalString(input, 'nextToken');
		const position =
			token === undefined ? undefined : (decodeToken('GetLogEvents', token) as {index?: unknown; forward?: unknown});
		if (position !== undefined && (typeof position.index !== 'number' || typeof position.forward !== 'boolean')) {
			throw invalidParameter('The specified nextToken is invalid.');
		}

		const events = store.visibleEvents(
			[groupOfIdentifier(name ?? identifier!)],
			optionalInteger(input, 'startTime') ?? -Infinity,
			(optionalInteger(input, 'endTime') ?? Infinity) - 1,
			candidate => candidate === stream,
		);
		const forward = position ? (position.forward as boolean) : (optionalBoolean(input, 'startFromHead') ?? false);
		// A position is an index between events: a forward page starts at it, a backward page ends there.
		const at = position ? (position.index as number) : forward ? 0 : events.length;
		const [from, to] = forward ? [at, Math.min(events.length, at + limit)] : [Math.max(0, at - limit), at];
		return {
			events: events
				.slice(from, to)
				.map(event => ({timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime})),
			nextForwardToken: encodeToken('GetLogEvents', {index: to, forward: true}),
			nextBackwardToken: encodeToken('GetLogEvents', {index: from, forward: false}),
		};
	};
}

/** GetLogRecord: every field of the event a query's @ptr points at. */
function getLogRecord(store: LogStore): Handler {
	return input => {
		const event = store.eventAt(requiredString(input, 'logRecordPointer'));
		if (!event) {
			throw invalidParameter('The specified logRecordPointer is invalid.');
		}

		return {
			logRecord: {
				'@message': event.message,
				'@timestamp': String(event.timestamp),
				'@ingestionTime': String(event.ingestionTime),
				'@logStream': event.logStream,
				'@log': event.log,
			},
		};
	};
}

function stopQuery(queries: QueryEngine): Handler {
	return input => {
		queries.stop(requiredString(input, 'queryId'));
		return {success: true};
	};
}

export function createHandlers(
	store: LogStore,
	queries: QueryEngine,
	maxQueryRows: number,
): Record<ActionName, Handler> {
	return {
		CreateLogGroup: createLogGroup(store),
		CreateLogStream: createLogStream(store),
		DescribeLogGroups: describeLogGroups(store),
		DescribeLogStreams: describeLogStreams(store),
		DescribeQueries: describeQueries(queries),
		FilterLogEvents: filterLogEvents(store),
		GetLogEvents: getLogEvents(store),
		GetLogRecord: getLogRecord(store),
		GetQueryResults: getQueryResults(queries),
		PutLogEvents: putLogEvents(store),
		StartQuery: startQuery(queries, maxQueryRows),
		StopQuery: stopQuery(queries),
	};
}
