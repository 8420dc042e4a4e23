import {describe, expect, it} from 'vitest';
import type {Faults} from '../../../source/demo/endpoint/faults.js';
import {busyWorld, closeWorlds, END, MINUTE, Recorder, sortedKeys, T0} from './world.js';

closeWorlds();

describe('the Insights poller through injected faults', () => {
	const faults: Array<[string, (faults: Faults) => void, 'backing-off' | 'error']> = [
		['throttling', faults => faults.fail('StartQuery', 'ThrottlingException', {times: 3}), 'backing-off'],
		[
			'the concurrent-query limit',
			faults => faults.fail('StartQuery', 'LimitExceededException', {times: 3}),
			'backing-off',
		],
		[
			'a throttled GetQueryResults',
			faults => faults.fail('GetQueryResults', 'ThrottlingException', {times: 2}),
			'backing-off',
		],
		['503s', faults => faults.fail('GetQueryResults', 'ServiceUnavailableException', {times: 2}), 'error'],
		['500s past the call retries', faults => faults.fail('*', 'InternalServerException', {times: 7}), 'error'],
		['a dropped connection', faults => faults.drop('GetQueryResults', {times: 2}), 'error'],
		['a dropped StartQuery', faults => faults.drop('StartQuery'), 'error'],
		['an expired token', faults => faults.fail('*', 'ExpiredTokenException', {times: 2}), 'error'],
		['queries ending Failed', faults => faults.endQueries('Failed', {times: 2}), 'error'],
		['queries ending Timeout', faults => faults.endQueries('Timeout', {times: 2}), 'error'],
		['queries ending Cancelled', faults => faults.endQueries('Cancelled', {times: 2}), 'error'],
	];

	it.each(faults)(
		'gets through %s without losing or repeating a record',
		async (_, inject, kind) => {
			const w = await busyWorld({limits: {recordsPerPoll: 200}});
			const poller = w.poller();
			const recorder = new Recorder();
			poller.start(recorder);
			await w.time.runUntil(T0 + 4 * MINUTE);
			inject(w.endpoint.faults);
			await w.time.runUntil(END);
			await poller.stop();

			expect(sortedKeys(recorder.received)).toEqual(sortedKeys(w.visibleRecords()));
			expect(recorder.statuses.some(status => status.kind === kind)).toBe(true);
			expect(recorder.statuses.at(-1)?.kind).not.toBe('error');
			expect(w.endpoint.runningQueries()).toBe(0);
		},
		20_000,
	);
});
