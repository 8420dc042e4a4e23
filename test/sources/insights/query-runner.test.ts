import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs';
import {afterEach, describe, expect, it} from 'vitest';
import {type Endpoint, type EndpointLimits, startEndpoint} from '../../../source/demo/endpoint/endpoint.js';
import {REGION} from '../../../source/demo/endpoint/account.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {createLogsClient} from '../../../source/sources/insights/client.js';
import {CostMeter} from '../../../source/sources/insights/cost-meter.js';
import type {Problem} from '../../../source/sources/insights/problem.js';
import {RECORDS_QUERY} from '../../../source/sources/insights/query.js';
import {
	Abandoned,
	type InsightsQuery,
	type Piece,
	QueryRunner,
	type QueryRunnerOptions,
	type TimeRange,
} from '../../../source/sources/insights/query-runner.js';
import {VirtualTime} from './virtual-time.js';
import {T0} from './world.js';

const GROUP = '/vpc/flows';
/** The second T0 falls in, and the hundred before it. */
const NOW = Math.floor(T0 / 1000);
const FIRST = NOW - 100;
const RAW: InsightsQuery = {text: RECORDS_QUERY, rowPerRecord: true};

interface Call {
	readonly command: string;
	readonly input: Record<string, unknown>;
	/** On the virtual clock, when the client sent it. */
	readonly at: number;
	/** Queries the endpoint was running as the call went out. */
	readonly running: number;
}

interface Setup {
	readonly time: VirtualTime;
	readonly endpoint: Endpoint;
	readonly client: CloudWatchLogsClient;
	readonly cost: CostMeter;
	/** Every call the client sent, in order. */
	readonly calls: Call[];
	runner(options?: Partial<QueryRunnerOptions>): QueryRunner;
	sent(command: string): Call[];
}

let open: Setup | undefined;
afterEach(async () => {
	open?.client.destroy();
	await open?.endpoint.close();
	open = undefined;
});

/** A local endpoint on virtual time, a real SDK client for it, and the calls that client sends. */
async function setup(limits: Partial<EndpointLimits> = {}): Promise<Setup> {
	const time = new VirtualTime(T0);
	const endpoint = await startEndpoint({clock: time.now, limits});
	const client = createLogsClient({endpoint: endpoint.url, region: REGION, credentials: DEMO_CREDENTIALS});
	const calls: Call[] = [];
	client.middlewareStack.add(
		(next, context) => async args => {
			calls.push({
				command: context.commandName!.replace(/Command$/, ''),
				input: args.input as Record<string, unknown>,
				at: time.now(),
				running: endpoint.runningQueries(),
			});
			return next(args);
		},
		{step: 'initialize', name: 'recordCalls'},
	);
	const cost = new CostMeter();
	open = {
		time,
		endpoint,
		client,
		cost,
		calls,
		runner: options =>
			new QueryRunner({
				client,
				logGroups: [GROUP],
				timing: time,
				cost,
				context: {logGroups: [GROUP], endpoint: endpoint.url, region: REGION, profile: undefined},
				random: () => 0.5,
				...options,
			}),
		sent: command => calls.filter(call => call.command === command),
	};
	endpoint.store.createGroup(GROUP);
	return open;
}

/** `perSecond[i]` records in second FIRST + i, already searchable. */
function deliver(s: Setup, perSecond: readonly number[]): void {
	const events = perSecond.flatMap((count, second) =>
		Array.from({length: count}, (_, i) => ({
			timestamp: (FIRST + second) * 1000 + i,
			message: `record ${second}.${i}`,
		})),
	);
	s.endpoint.store.deliver(GROUP, 'eni-0a1-all', events, T0 - 60_000);
}

interface Outcome {
	readonly pieces: Piece[];
	readonly retries: Array<{problem: Problem; retryAt: number; at: number}>;
	readonly error: unknown;
}

/** Runs the query to its end, on a clock that only the runner's own waits move. */
async function run(
	s: Setup,
	runner: QueryRunner,
	range: TimeRange,
	query: InsightsQuery = RAW,
	signal = new AbortController().signal,
	onRetry: () => void = () => {},
): Promise<Outcome> {
	const pieces: Piece[] = [];
	const retries: Outcome['retries'] = [];
	s.time.runFreely();
	const error = await runner
		.run(range, query, signal, {
			piece(piece) {
				pieces.push(piece);
			},
			retrying(problem, retryAt) {
				retries.push({problem, retryAt, at: s.time.now()});
				onRetry();
			},
		})
		.then(
			() => undefined,
			(error: unknown) => error,
		);
	pieces.sort((a, b) => a.from - b.from);
	return {pieces, retries, error};
}

function messages(pieces: readonly Piece[]): string[] {
	return pieces.flatMap(piece => piece.results.map(row => row.find(({field}) => field === '@message')!.value!));
}

const seconds = (count: number, each: number) => Array.from({length: count}, () => each);

describe('a query over a range, split until each piece fits', () => {
	it('given a query that fits, runs it once and hands over every row, read once the query is complete', async () => {
		const s = await setup({scheduledPolls: 2, recordsPerPoll: 3, runMs: Number.POSITIVE_INFINITY});
		deliver(s, seconds(4, 2));
		const {pieces, error} = await run(s, s.runner({limit: 10}), {from: FIRST, to: FIRST + 3});
		expect(error).toBeUndefined();
		expect(pieces.map(({from, to, overflow}) => ({from, to, overflow}))).toEqual([
			{from: FIRST, to: FIRST + 3, overflow: false},
		]);
		expect(messages(pieces)).toHaveLength(8);
		expect(s.sent('StartQuery').map(call => call.input)).toEqual([
			{logGroupNames: [GROUP], startTime: FIRST, endTime: FIRST + 3, queryString: RECORDS_QUERY, limit: 10},
		]);
		// While it runs, a status call reads one row at most: partial rows are never taken.
		const reads = s.sent('GetQueryResults').map(call => call.input.maxItems);
		expect(reads.slice(0, -1).every(maxItems => maxItems === 1)).toBe(true);
		expect(reads.at(-1)).toBe(10);
	});

	it('given a query that matched more than its limit, splits its range in halves, without reading its rows, until every piece fits', async () => {
		const s = await setup();
		deliver(s, seconds(40, 1));
		const {pieces, error} = await run(s, s.runner({limit: 12}), {from: FIRST, to: FIRST + 39});
		expect(error).toBeUndefined();
		// The pieces tile the range: each record read once.
		expect(pieces[0]!.from).toBe(FIRST);
		expect(pieces.at(-1)!.to).toBe(FIRST + 39);
		for (const [i, piece] of pieces.entries()) {
			expect(piece.overflow).toBe(false);
			expect(piece.results.length).toBeLessThanOrEqual(12);
			expect(piece.from).toBe(i === 0 ? FIRST : pieces[i - 1]!.to + 1);
		}

		expect(pieces.map(({from, to}) => to - from + 1)).toEqual([10, 10, 10, 10]);
		expect(new Set(messages(pieces)).size).toBe(40);
		expect(messages(pieces)).toHaveLength(40);
		// Rows are read only from the pieces that fit: the first query, and those of the halves, are not read.
		const pageReads = s.sent('GetQueryResults').filter(call => call.input.maxItems !== 1);
		expect(pageReads).toHaveLength(4);
		expect(s.sent('StartQuery')).toHaveLength(7);
	});

	it('given a query whose rows fall short of what it matched, however the service came to leave some out, splits it too', async () => {
		const s = await setup();
		deliver(s, [4, 4]);
		const capped: InsightsQuery = {text: `${RECORDS_QUERY} | limit 5`, rowPerRecord: true};
		const {pieces} = await run(s, s.runner({limit: 10}), {from: FIRST, to: FIRST + 1}, capped);
		expect(pieces.map(({from, to}) => [from - FIRST, to - FIRST])).toEqual([
			[0, 0],
			[1, 1],
		]);
		expect(messages(pieces)).toHaveLength(8);
	});

	it('given a query that returned as many rows as it may, splits it: an endpoint that does not count what it matched (moto) may have left rows out', async () => {
		const s = await setup();
		deliver(s, seconds(12, 1));
		const {pieces} = await run(s, s.runner({limit: 12}), {from: FIRST, to: FIRST + 11});
		expect(pieces.map(({from, to}) => [from - FIRST, to - FIRST])).toEqual([
			[0, 5],
			[6, 11],
		]);
		expect(messages(pieces)).toHaveLength(12);
	});

	it('given a second that holds more records than a query returns, reads what it returns, says that piece overflowed, and reads the others whole', async () => {
		const s = await setup();
		deliver(s, [3, 12, 3]);
		const {pieces} = await run(s, s.runner({limit: 10}), {from: FIRST, to: FIRST + 2});
		expect(pieces.map(({from, to, results, overflow}) => ({from, to, rows: results.length, overflow}))).toEqual([
			{from: FIRST, to: FIRST, rows: 3, overflow: false},
			{from: FIRST + 1, to: FIRST + 1, rows: 10, overflow: true},
			{from: FIRST + 2, to: FIRST + 2, rows: 3, overflow: false},
		]);
	});
});

describe('a stats query, whose rows are groups', () => {
	const perSecond: InsightsQuery = {text: 'stats count(*) as records by bin(1s)', rowPerRecord: false};
	const perTenSeconds: InsightsQuery = {text: 'stats count(*) as records by bin(10s)', rowPerRecord: false};

	it('is not split for matching more records than its limit: its few rows are all there is', async () => {
		const s = await setup();
		deliver(s, seconds(40, 1));
		const {pieces} = await run(s, s.runner({limit: 10}), {from: FIRST, to: FIRST + 39}, perTenSeconds);
		expect(pieces).toHaveLength(1);
		expect(pieces[0]!.results.length).toBeLessThan(10);
	});

	it('is split when its rows reach its limit, as the groups past it were left out', async () => {
		const s = await setup();
		deliver(s, seconds(20, 1));
		const {pieces} = await run(s, s.runner({limit: 10}), {from: FIRST, to: FIRST + 19}, perSecond);
		expect(pieces.map(({from, to}) => [from - FIRST, to - FIRST])).toEqual([
			[0, 4],
			[5, 9],
			[10, 14],
			[15, 19],
		]);
		expect(pieces.flatMap(piece => piece.results)).toHaveLength(20);
	});
});

describe('reading a completed query', () => {
	it('reads its rows page by page, however many pages they take', async () => {
		const s = await setup();
		deliver(s, seconds(10, 1));
		const {pieces} = await run(s, s.runner({pageSize: 3}), {from: FIRST, to: FIRST + 9});
		expect(messages(pieces)).toHaveLength(10);
		const pages = s.sent('GetQueryResults').filter(call => call.input.maxItems !== 1);
		expect(pages.map(call => [call.input.maxItems, call.input.nextToken === undefined])).toEqual([
			[3, true],
			[3, false],
			[3, false],
			[3, false],
		]);
	});

	it('asks for up to 100,000 rows, the most StartQuery allows, read 10,000 at a time, the most a call returns', async () => {
		const s = await setup();
		deliver(s, [1]);
		await run(s, s.runner(), {from: FIRST, to: FIRST});
		expect(s.sent('StartQuery')[0]!.input.limit).toBe(100_000);
		expect(s.sent('GetQueryResults').at(-1)!.input.maxItems).toBe(10_000);
	});

	it('never asks for a page larger than the query may return', async () => {
		const s = await setup();
		deliver(s, [1]);
		await run(s, s.runner({limit: 5}), {from: FIRST, to: FIRST});
		expect(s.sent('GetQueryResults').at(-1)!.input.maxItems).toBe(5);
	});

	it('asks a running query where it stands soon at first, then less often, at most every 2 s', async () => {
		const s = await setup({scheduledPolls: 7, runMs: Number.POSITIVE_INFINITY});
		deliver(s, [1]);
		await run(s, s.runner(), {from: FIRST, to: FIRST});
		const asked = s.sent('GetQueryResults').map(call => call.at - T0);
		expect(asked).toEqual([0, 250, 750, 1750, 3750, 5750, 7750, 9750, 9750]);
	});

	it('counts what every query scanned toward the cost', async () => {
		const s = await setup();
		deliver(s, seconds(40, 1));
		await run(s, s.runner({limit: 12}), {from: FIRST, to: FIRST + 39});
		expect(s.cost.totals).toMatchObject({queries: 7, recordsScanned: 40 + 40 + 40, recordsMatched: 120});
		expect(s.cost.totals.bytesScanned).toBeGreaterThan(0);
	});
});

describe('a call that fails', () => {
	it('is tried again while it fails in a way that passes, each wait longer, four times at most', async () => {
		const s = await setup();
		deliver(s, [2]);
		s.endpoint.faults.fail('StartQuery', 'ThrottlingException', {times: 4});
		const {pieces, retries, error} = await run(s, s.runner(), {from: FIRST, to: FIRST});
		expect(error).toBeUndefined();
		expect(messages(pieces)).toHaveLength(2);
		expect(retries.map(({problem}) => problem.kind)).toEqual(['throttled', 'throttled', 'throttled', 'throttled']);
		// Equal jitter, its random draw at the middle: three quarters of 1, 2, 4 and 8 seconds.
		expect(retries.map(({retryAt, at}) => retryAt - at)).toEqual([750, 1500, 3000, 6000]);
		expect(s.sent('StartQuery').map(call => call.at - T0)).toEqual([0, 750, 2250, 5250, 11_250]);
	});

	it('gives the whole run up on its fifth failure, with what went wrong', async () => {
		const s = await setup();
		deliver(s, [2]);
		s.endpoint.faults.fail('GetQueryResults', 'ServiceUnavailableException', {times: 5});
		const {pieces, error} = await run(s, s.runner(), {from: FIRST, to: FIRST});
		expect(pieces).toEqual([]);
		expect(error).toMatchObject({kind: 'transient'});
		expect((error as Problem).message).toMatch(/^CloudWatch Logs failed \(ServiceUnavailableException 503/);
		// The query it started is not left running.
		expect(s.endpoint.runningQueries()).toBe(0);
		expect(s.sent('StopQuery')).toHaveLength(1);
	});

	it('is not tried again when only a person can fix it', async () => {
		const s = await setup();
		deliver(s, [2]);
		s.endpoint.faults.fail('StartQuery', 'AccessDeniedException');
		const {retries, error} = await run(s, s.runner(), {from: FIRST, to: FIRST});
		expect(error).toMatchObject({kind: 'access-denied'});
		expect(retries).toEqual([]);
		expect(s.sent('StartQuery')).toHaveLength(1);
	});

	it('a query that ended other than Complete fails the run, and is not kept as one to stop', async () => {
		const s = await setup();
		deliver(s, [2]);
		s.endpoint.faults.endQueries('Timeout');
		const runner = s.runner();
		const {error} = await run(s, runner, {from: FIRST, to: FIRST});
		expect(error).toMatchObject({kind: 'transient', message: 'an Insights query ended Timeout'});
		expect(runner.unstopped).toBe(0);
	});

	it('one piece failing gives up the run, and stops its sibling queries', async () => {
		const s = await setup({scheduledPolls: 3, runMs: Number.POSITIVE_INFINITY});
		deliver(s, seconds(20, 1));
		const runner = s.runner({limit: 12});
		// The first query's halves start together; the first of them fails.
		s.client.middlewareStack.add(
			next => async args => {
				if (s.sent('StartQuery').length === 2) {
					s.endpoint.faults.endQueries('Failed');
				}

				return next(args);
			},
			{step: 'initialize', name: 'failFirstHalf'},
		);
		const {error, pieces} = await run(s, runner, {from: FIRST, to: FIRST + 19});
		expect(error).toMatchObject({message: 'an Insights query ended Failed'});
		expect(pieces).toEqual([]);
		expect(s.sent('StartQuery')).toHaveLength(3);
		expect(s.sent('StopQuery')).toHaveLength(2);
		expect(s.endpoint.runningQueries()).toBe(0);
		expect(runner.unstopped).toBe(0);
	});
});

describe('a range flowtop should never ask for', () => {
	it.each([
		['ends before it starts', {from: NOW, to: NOW - 1}],
		['starts before 1970', {from: -1, to: NOW}],
		['is not whole seconds', {from: NOW - 0.5, to: NOW}],
		['has no end', {from: NOW, to: Number.NaN}],
	])('a range that %s is refused before it is sent, as a bug in flowtop', async (_, range) => {
		const s = await setup();
		const {error} = await run(s, s.runner(), range);
		expect(error).toMatchObject({kind: 'query-refused'});
		expect((error as Problem).message).toBe(
			`flowtop built a query over an impossible time range (startTime ${range.from}, endTime ${range.to}) and did not send it: a bug in flowtop; please report it, with --debug`,
		);
		expect(s.calls).toEqual([]);
	});

	it('a range of one second is a range, and so is one from the first second of 1970', async () => {
		const s = await setup();
		deliver(s, [1]);
		const {error, pieces} = await run(s, s.runner(), {from: FIRST, to: FIRST});
		expect(error).toBeUndefined();
		expect(messages(pieces)).toEqual(['record 0.0']);
		const fromTheStart = await run(s, s.runner(), {from: 0, to: FIRST});
		expect(fromTheStart.error).toBeUndefined();
		expect(messages(fromTheStart.pieces)).toEqual(['record 0.0']);
	});
});

describe('a run given up', () => {
	it('before it starts: sends nothing', async () => {
		const s = await setup();
		const controller = new AbortController();
		controller.abort();
		const {error} = await run(s, s.runner(), {from: FIRST, to: FIRST}, RAW, controller.signal);
		expect(error).toBeInstanceOf(Abandoned);
		expect(error).toMatchObject({name: 'Abandoned'});
		expect(s.calls).toEqual([]);
	});

	it('while its query runs: stops the query, and still counts what it scanned', async () => {
		const s = await setup({scheduledPolls: 5, runMs: Number.POSITIVE_INFINITY});
		deliver(s, [2]);
		const runner = s.runner();
		const {error, pieces} = await run(s, runner, {from: FIRST, to: FIRST}, RAW, abortOnStatusCall(s, 3));
		expect(error).toBeInstanceOf(Abandoned);
		expect(pieces).toEqual([]);
		expect(s.endpoint.runningQueries()).toBe(0);
		expect(runner.unstopped).toBe(0);
		expect(s.cost.totals.queries).toBe(1);
	});

	it('while its answer is on its way: the rows are not handed over', async () => {
		const s = await setup();
		deliver(s, [2]);
		const controller = new AbortController();
		s.client.middlewareStack.add(
			next => async args => {
				const output = await next(args);
				if ((args.input as {maxItems?: number}).maxItems === 10_000) {
					controller.abort();
				}

				return output;
			},
			{step: 'initialize', name: 'abortAsRowsArrive'},
		);
		const {error, pieces} = await run(s, s.runner(), {from: FIRST, to: FIRST}, RAW, controller.signal);
		expect(error).toBeInstanceOf(Abandoned);
		expect(pieces).toEqual([]);
	});

	it('while it waits to try a call again: starts nothing more', async () => {
		const s = await setup();
		deliver(s, [2]);
		s.endpoint.faults.fail('StartQuery', 'ThrottlingException');
		const controller = new AbortController();
		const {error} = await run(s, s.runner(), {from: FIRST, to: FIRST}, RAW, controller.signal, () => {
			controller.abort();
		});
		expect(error).toBeInstanceOf(Abandoned);
		expect(s.sent('StartQuery')).toHaveLength(1);
	});

	it('while two of its pieces run: both queries are stopped by the time the run gives up', async () => {
		const s = await setup({scheduledPolls: 5, runMs: Number.POSITIVE_INFINITY});
		deliver(s, seconds(20, 1));
		const runner = s.runner({limit: 12});
		// The first query and then its two halves each ask where they stand: the halves run together.
		const {error} = await run(s, runner, {from: FIRST, to: FIRST + 19}, RAW, abortOnStatusCall(s, 9));
		expect(error).toBeInstanceOf(Abandoned);
		expect(s.sent('StartQuery')).toHaveLength(3);
		expect(s.sent('StopQuery')).toHaveLength(2);
		expect(s.endpoint.runningQueries()).toBe(0);
	});

	it('with a query that cannot be stopped yet: keeps it, and stops it later', async () => {
		const s = await setup({scheduledPolls: 5, runMs: Number.POSITIVE_INFINITY});
		deliver(s, [2]);
		const runner = s.runner();
		s.endpoint.faults.fail('StopQuery', 'ThrottlingException');
		const {error} = await run(s, runner, {from: FIRST, to: FIRST}, RAW, abortOnStatusCall(s, 2));
		expect(error).toBeInstanceOf(Abandoned);
		expect(runner.unstopped).toBe(1);
		expect(s.endpoint.runningQueries()).toBe(1);
		await runner.stopOrphans();
		expect(runner.unstopped).toBe(0);
		expect(s.endpoint.runningQueries()).toBe(0);
	});

	it('with a query that cannot be stopped yet, and is forgotten by the service when tried again: nothing is left to stop', async () => {
		const s = await setup({scheduledPolls: 5, runMs: Number.POSITIVE_INFINITY});
		deliver(s, [2]);
		const runner = s.runner();
		s.endpoint.faults.fail('StopQuery', 'ThrottlingException');
		await run(s, runner, {from: FIRST, to: FIRST}, RAW, abortOnStatusCall(s, 2));
		expect(runner.unstopped).toBe(1);
		s.endpoint.faults.fail('StopQuery', 'ResourceNotFoundException');
		await runner.stopOrphans();
		expect(runner.unstopped).toBe(0);
	});

	it('with a query the service no longer knows: nothing is left to stop', async () => {
		const s = await setup({scheduledPolls: 5, runMs: Number.POSITIVE_INFINITY});
		deliver(s, [2]);
		const runner = s.runner();
		s.endpoint.faults.fail('StopQuery', 'ResourceNotFoundException');
		const {error} = await run(s, runner, {from: FIRST, to: FIRST}, RAW, abortOnStatusCall(s, 2));
		expect(error).toBeInstanceOf(Abandoned);
		expect(runner.unstopped).toBe(0);
	});
});

/** A signal that aborts as the client sends its `count`th status call. */
function abortOnStatusCall(s: Setup, count: number): AbortSignal {
	const controller = new AbortController();
	s.client.middlewareStack.add(
		next => async args => {
			if (s.sent('GetQueryResults').length === count) {
				controller.abort();
			}

			return next(args);
		},
		{step: 'initialize', name: `abortOnStatusCall${count}`},
	);
	return controller.signal;
}
