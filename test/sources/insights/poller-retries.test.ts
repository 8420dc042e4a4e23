import {describe, expect, it} from 'vitest';
import type {SourceStatus} from '../../../source/sources/source.js';
import {closeHandFedGroups, EVERY, handFedGroup} from './hand-fed-group.js';
import {MINUTE, Recorder, T0} from './world.js';

closeHandFedGroups();

const SECOND = 1000;
/** A failed call is tried four more times before the poll it belongs to is given up. */
const CALLS_A_POLL_TRIES = 5;

/** The moment a status was given: when the next try is, or when the poll began. */
function momentOf(status: SourceStatus | undefined): number {
	return status && 'retryAt' in status ? status.retryAt! : status?.kind === 'polling' ? status.since : Number.NaN;
}

/** How long the poller waited after each poll that failed, before the next poll. */
function waitsAfterFailedPolls(statuses: readonly SourceStatus[]): number[] {
	return statuses.flatMap((status, i) =>
		'retryAt' in status && statuses[i + 1]?.kind === 'polling' ? [momentOf(status) - momentOf(statuses[i - 1])] : [],
	);
}

describe('a live poller whose poll fails', () => {
	it('tries a passing fault again after 1.5 s, then 3 s, and starts over from 1.5 s after a poll that worked', async () => {
		const group = await handFedGroup();
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE});
		group.endpoint.faults.fail('StartQuery', 'ServiceUnavailableException', {times: 2 * CALLS_A_POLL_TRIES});
		const recorder = new Recorder();
		group.poller().start(recorder);
		await group.time.runUntil(T0 + 40 * SECOND);
		expect(recorder.received).toHaveLength(1);
		group.endpoint.faults.fail('StartQuery', 'ServiceUnavailableException', {times: CALLS_A_POLL_TRIES});
		await group.time.runUntil(T0 + 2 * EVERY);
		expect(waitsAfterFailedPolls(recorder.statuses)).toEqual([1500, 3000, 1500]);
		expect(recorder.messages('error').at(-1)).toBe(
			'CloudWatch Logs failed (ServiceUnavailableException 503: The server failed to process the request.)',
		);
		expect(recorder.statuses.at(-1)?.kind).toBe('waiting');
	});

	it('tries a problem only a person can fix again every 15 s, saying what to do', async () => {
		const group = await handFedGroup();
		group.endpoint.faults.fail('StartQuery', 'AccessDeniedException', {times: 2});
		const recorder = new Recorder();
		group.poller().start(recorder);
		await group.time.runUntil(T0 + 40 * SECOND);
		expect(waitsAfterFailedPolls(recorder.statuses)).toEqual([15_000, 15_000]);
		expect(recorder.messages('error')[0]).toMatch(/^access denied to logs:StartQuery on "\/vpc\/hand-fed"/);
		expect(recorder.statuses.at(-1)).toEqual({
			kind: 'waiting',
			nextPollAt: T0 + 30 * SECOND + EVERY,
			note: expect.any(String),
		});
	});

	it('backs off through throttling, saying why', async () => {
		const group = await handFedGroup();
		group.endpoint.faults.fail('StartQuery', 'ThrottlingException', {times: CALLS_A_POLL_TRIES});
		const recorder = new Recorder();
		group.poller().start(recorder);
		await group.time.runUntil(T0 + 20 * SECOND);
		expect(recorder.statuses.filter(status => status.kind === 'error')).toEqual([]);
		expect(recorder.messages('backing-off')).toEqual(
			Array.from({length: CALLS_A_POLL_TRIES}, () => 'CloudWatch Logs is throttling (ThrottlingException)'),
		);
	});
});

describe('--once', () => {
	it('gets through three polls failed by throttling, and takes every record', async () => {
		const group = await handFedGroup();
		group.arrive({port: 1, stamped: T0 - 5 * MINUTE, ingested: T0 - 2 * MINUTE});
		group.endpoint.faults.fail('StartQuery', 'ThrottlingException', {times: 3 * CALLS_A_POLL_TRIES});
		const recorder = new Recorder();
		const poller = group.poller();
		group.time.runFreely();
		await poller.pollOnce(recorder);
		expect(recorder.received).toHaveLength(1);
		// Between failed polls, the next try is told, 1.5 s and then 3 s and 6 s after the failure.
		expect(waitsAfterFailedPolls(recorder.statuses)).toEqual([1500, 3000, 6000]);
		expect(poller.recordsTaken).toBe(1);
	});

	it('reports the fault that outlasts a fourth poll', async () => {
		const group = await handFedGroup();
		group.endpoint.faults.fail('StartQuery', 'ThrottlingException', {times: 4 * CALLS_A_POLL_TRIES});
		const poller = group.poller();
		group.time.runFreely();
		await expect(poller.pollOnce(new Recorder())).rejects.toMatchObject({
			kind: 'throttled',
			message: 'CloudWatch Logs is throttling (ThrottlingException)',
		});
		expect(group.queries).toHaveLength(4 * CALLS_A_POLL_TRIES);
	});
});
