import {Agent} from 'node:http';
import {CloudWatchLogsClient, DescribeLogGroupsCommand} from '@aws-sdk/client-cloudwatch-logs';
import {describe, expect, it} from 'vitest';
import {REGION} from '../../../source/demo/endpoint/account.js';
import {DEMO_CREDENTIALS} from '../../../source/demo/feed/backend.js';
import {Abandoned} from '../../../source/sources/insights/query-runner.js';
import {closeHandFedGroups, EVERY, handFedGroup} from './hand-fed-group.js';
import {MINUTE, Recorder, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;
const ONE_RECORD = {port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE};

describe('a live poller', () => {
	it('checks the log groups once, not every poll', async () => {
		const group = await handFedGroup();
		let described = 0;
		group.client.middlewareStack.add(
			(next, context) => async args => {
				described += context.commandName === DescribeLogGroupsCommand.name ? 1 : 0;
				return next(args);
			},
			{step: 'initialize', name: 'countDescribeLogGroups'},
		);
		group.poller().start(new Recorder());
		await group.time.runUntil(T0 + 3 * EVERY + SECOND);
		expect(group.queries.length).toBeGreaterThanOrEqual(4);
		expect(described).toBe(1);
	});

	it('started twice, polls once each interval', async () => {
		const group = await handFedGroup();
		const poller = group.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		poller.start(recorder);
		await group.time.runUntil(T0 + EVERY + SECOND);
		expect(recorder.statuses.filter(status => status.kind === 'polling')).toEqual([
			{kind: 'polling', since: T0},
			{kind: 'polling', since: T0 + EVERY},
		]);
	});

	it('stopped while its query runs, stops the query and polls no more, without calling it a failure', async () => {
		const group = await handFedGroup({limits: {scheduledPolls: 1_000_000, runMs: Number.POSITIVE_INFINITY}});
		group.arrive(ONE_RECORD);
		const poller = group.poller();
		const recorder = new Recorder();
		poller.start(recorder);
		await group.time.runUntil(T0 + 10 * SECOND);
		expect(group.endpoint.runningQueries()).toBe(1);
		// Resolves once the loop has ended: no poll comes after.
		await poller.stop();
		expect(group.endpoint.runningQueries()).toBe(0);
		expect(group.queries).toHaveLength(1);
		expect(recorder.statuses.map(status => status.kind)).toEqual(['starting', 'polling']);
		expect(recorder.lastCost?.queries).toBe(1);
	});

	it('stopped during --once, gives the poll up rather than retrying it', async () => {
		const group = await handFedGroup({limits: {scheduledPolls: 1_000_000, runMs: Number.POSITIVE_INFINITY}});
		group.arrive(ONE_RECORD);
		const poller = group.poller();
		const recorder = new Recorder();
		const once = poller.pollOnce(recorder);
		await group.time.runUntil(T0 + 10 * SECOND);
		await Promise.all([poller.stop(), expect(once).rejects.toBeInstanceOf(Abandoned)]);
		expect(group.queries).toHaveLength(1);
		expect(recorder.statuses.map(status => status.kind)).toEqual(['polling']);
	});
});

describe('a poller given a client of its own', () => {
	async function polledWith(ownsClient: boolean): Promise<Agent> {
		const group = await handFedGroup();
		group.arrive(ONE_RECORD);
		const agent = new Agent({keepAlive: true});
		const client = new CloudWatchLogsClient({
			endpoint: group.url,
			region: REGION,
			credentials: DEMO_CREDENTIALS,
			requestHandler: {httpAgent: agent},
		});
		const poller = group.poller({client, ownsClient});
		poller.start(new Recorder());
		await group.time.runUntil(T0 + SECOND);
		await poller.stop();
		return agent;
	}

	const openSockets = (agent: Agent) =>
		Object.values(agent.freeSockets)
			.flat()
			.filter(socket => !socket?.destroyed).length;

	it('frees its sockets when stopped', async () => {
		expect(openSockets(await polledWith(true))).toBe(0);
	});

	it('leaves a client it was lent open for its owner', async () => {
		expect(openSockets(await polledWith(false))).toBe(1);
	});
});
