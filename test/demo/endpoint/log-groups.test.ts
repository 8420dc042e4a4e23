import {
	CreateLogGroupCommand,
	CreateLogStreamCommand,
	DescribeLogGroupsCommand,
	InvalidParameterException,
	ResourceAlreadyExistsException,
	ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import {describe, expect, it} from 'vitest';
import {T0, useEndpoint} from './harness.js';

describe('log groups and streams', () => {
	const harness = useEndpoint();

	const createGroups = async (...names: string[]) => {
		for (const logGroupName of names) {
			await harness.client.send(new CreateLogGroupCommand({logGroupName}));
		}
	};

	const names = async (input: ConstructorParameters<typeof DescribeLogGroupsCommand>[0] = {}) =>
		(await harness.client.send(new DescribeLogGroupsCommand(input))).logGroups?.map(group => group.logGroupName);

	it('describes a created group the way AWS does', async () => {
		await createGroups('/vpc/flow-logs');
		harness.endpoint.store.deliver('/vpc/flow-logs', 'eni-1-all', [{timestamp: T0, message: 'x'.repeat(100)}], T0);
		const {logGroups} = await harness.client.send(new DescribeLogGroupsCommand({}));
		expect(logGroups).toEqual([
			{
				logGroupName: '/vpc/flow-logs',
				creationTime: T0,
				metricFilterCount: 0,
				arn: 'arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs:*',
				storedBytes: 100,
				logGroupClass: 'STANDARD',
				logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs',
			},
		]);
	});

	it('shows the retention a group was given', async () => {
		harness.endpoint.store.createGroup('short-lived', {retentionInDays: 7});
		const {logGroups} = await harness.client.send(new DescribeLogGroupsCommand({}));
		expect(logGroups?.[0]?.retentionInDays).toBe(7);
		expect(() => harness.endpoint.store.createGroup('odd', {retentionInDays: 8})).toThrow(/retention/);
	});

	it('lists groups in name order, by prefix or by substring', async () => {
		await createGroups('/vpc/prod', '/app/web', '/vpc/dev', 'vpc-archive');
		expect(await names()).toEqual(['/app/web', '/vpc/dev', '/vpc/prod', 'vpc-archive']);
		expect(await names({logGroupNamePrefix: '/vpc/'})).toEqual(['/vpc/dev', '/vpc/prod']);
		expect(await names({logGroupNamePattern: 'vpc'})).toEqual(['/vpc/dev', '/vpc/prod', 'vpc-archive']);
		await expect(
			harness.client.send(new DescribeLogGroupsCommand({logGroupNamePrefix: '/', logGroupNamePattern: 'x'})),
		).rejects.toBeInstanceOf(InvalidParameterException);
	});

	it('pages through groups with limit and nextToken', async () => {
		await createGroups('g1', 'g2', 'g3', 'g4', 'g5');
		const seen: string[] = [];
		let nextToken: string | undefined;
		let pages = 0;
		do {
			const page = await harness.client.send(new DescribeLogGroupsCommand({limit: 2, nextToken}));
			seen.push(...page.logGroups!.map(group => group.logGroupName!));
			nextToken = page.nextToken;
			pages++;
		} while (nextToken);

		expect(seen).toEqual(['g1', 'g2', 'g3', 'g4', 'g5']);
		expect(pages).toBe(3);
	});

	it('refuses a limit over 50 and a token it did not issue', async () => {
		await expect(harness.client.send(new DescribeLogGroupsCommand({limit: 51}))).rejects.toMatchObject({
			name: 'InvalidParameterException',
			message: expect.stringMatching(/less than or equal to 50/),
		});
		await expect(harness.client.send(new DescribeLogGroupsCommand({nextToken: 'not-a-token'}))).rejects.toMatchObject({
			name: 'InvalidParameterException',
			message: 'The specified nextToken is invalid.',
		});
	});

	it('refuses a group that exists already and a name AWS would not accept', async () => {
		await createGroups('flows');
		await expect(createGroups('flows')).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
		await expect(createGroups('bad name!')).rejects.toBeInstanceOf(InvalidParameterException);
		await expect(harness.client.send(new CreateLogGroupCommand({logGroupName: undefined}))).rejects.toMatchObject({
			name: 'InvalidParameterException',
			message: expect.stringMatching(/Value null at 'logGroupName'/),
		});
	});

	it('creates streams once, only in groups that exist', async () => {
		await createGroups('flows');
		const create = (logGroupName: string, logStreamName: string) =>
			harness.client.send(new CreateLogStreamCommand({logGroupName, logStreamName}));
		await create('flows', 'eni-1-all');
		await expect(create('flows', 'eni-1-all')).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
		await expect(create('missing', 'eni-1-all')).rejects.toBeInstanceOf(ResourceNotFoundException);
		await expect(create('flows', 'has:colon')).rejects.toBeInstanceOf(InvalidParameterException);
	});
});
