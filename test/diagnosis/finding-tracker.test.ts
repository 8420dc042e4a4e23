import {describe, expect, it} from 'vitest';
import {FindingTracker} from '../../source/diagnosis/finding-tracker.js';
import type {Finding} from '../../source/diagnosis/finding.js';
import {accept, range, reject, T, v2Store} from './flows.js';

function finding(id: string, values: Partial<Finding> = {}): Finding {
	return {
		id,
		kind: 'outbound-rejected',
		severity: 'warning',
		eni: 'eni-0app',
		count: 3,
		confidence: 'high',
		why: '',
		summary: id,
		advice: '',
		firstSeen: T,
		lastSeen: T + 60,
		evidence: [],
		filter: 'eni-0app',
		...values,
	};
}

const SECOND = 1000;
const WINDOW_START = T;

describe('the finding tracker', () => {
	it('updates a finding reported again instead of repeating it, keeping when it was first noticed', () => {
		const tracker = new FindingTracker();
		tracker.merge([finding('a')], WINDOW_START, 0);
		const merged = tracker.merge([finding('a', {count: 9})], WINDOW_START, 5 * SECOND);
		expect(merged.map(each => [each.id, each.count])).toEqual([['a', 9]]);
		expect(tracker.isNew(merged[0]!, 29 * SECOND)).toBe(true);
		expect(tracker.isNew(merged[0]!, 30 * SECOND)).toBe(false);
	});

	it('marks a finding new from when it first appears', () => {
		const tracker = new FindingTracker();
		tracker.merge([finding('a')], WINDOW_START, 0);
		const merged = tracker.merge([finding('a'), finding('b')], WINDOW_START, 40 * SECOND);
		expect(merged.filter(each => tracker.isNew(each, 41 * SECOND)).map(each => each.id)).toEqual(['b']);
	});

	it('keeps a finding no longer reported while its records are in the window, then drops it', () => {
		const tracker = new FindingTracker();
		tracker.merge([finding('a', {lastSeen: T + 60}), finding('b', {lastSeen: T + 600})], WINDOW_START, 0);
		expect(tracker.merge([], T + 30, SECOND).map(each => each.id)).toEqual(['a', 'b']);
		expect(tracker.merge([], T + 61, 2 * SECOND).map(each => each.id)).toEqual(['b']);
	});

	it('keeps a finding whose last record is at the very start of the window', () => {
		const tracker = new FindingTracker();
		tracker.merge([finding('a', {lastSeen: T + 60})], WINDOW_START, 0);
		expect(tracker.merge([], T + 60, SECOND).map(each => each.id)).toEqual(['a']);
	});

	it('calls no finding new that it never reported', () => {
		expect(new FindingTracker().isNew(finding('a'), 0)).toBe(false);
	});

	it('lists the most severe first', () => {
		const tracker = new FindingTracker();
		const merged = tracker.merge(
			[finding('info', {severity: 'info', count: 99}), finding('critical', {severity: 'critical', count: 1})],
			WINDOW_START,
			0,
		);
		expect(merged.map(each => each.id)).toEqual(['critical', 'info']);
	});

	it('runs the rules only when the store changed, and at most once a second', () => {
		let runs = 0;
		const tracker = new FindingTracker({
			diagnose() {
				runs++;
				return [];
			},
		});
		const store = v2Store([accept('eni-0app', '10.0.10.11:40000', '10.0.20.21:8080')]);
		tracker.update(store, 0);
		tracker.update(store, 5 * SECOND);
		expect(runs).toBe(1);
		v2Store([accept('eni-0app', '10.0.10.12:40000', '10.0.20.21:8080')], store);
		tracker.update(store, 5 * SECOND);
		expect(runs).toBe(2);
		v2Store([accept('eni-0app', '10.0.10.13:40000', '10.0.20.21:8080')], store);
		tracker.update(store, 5.5 * SECOND);
		expect(runs).toBe(2);
		tracker.update(store, 6 * SECOND);
		expect(runs).toBe(3);
	});

	it('diagnoses another store at once, however soon after the last', () => {
		let runs = 0;
		const tracker = new FindingTracker({
			diagnose() {
				runs++;
				return [];
			},
		});
		tracker.update(v2Store([accept('eni-0app', '10.0.10.11:40000', '10.0.20.21:8080')]), 0);
		tracker.update(v2Store([accept('eni-0web', '10.0.10.12:40000', '10.0.20.22:8080')]), 100);
		expect(runs).toBe(2);
	});

	it('diagnoses the store it is given', () => {
		const store = v2Store([
			accept('eni-0app', '10.0.10.11:40000', '10.0.20.21:8080'),
			accept('eni-0app', '10.0.20.21:8080', '10.0.10.11:40000'),
			...range(3).map(minute => reject('eni-0app', `10.0.20.21:${41_000 + minute}`, '54.187.216.72:443', {minute})),
		]);
		const tracker = new FindingTracker();
		const [reported] = tracker.update(store, 0);
		expect(reported).toMatchObject({kind: 'outbound-rejected', eni: 'eni-0app'});
		expect(tracker.isNew(reported!, SECOND)).toBe(true);
	});
});
