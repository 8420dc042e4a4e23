import {describe, expect, it} from 'vitest';
import {EMPTY_FILTER, formatFilter, parseFilter} from '../../source/engine/filter.js';
import {
	HOLD_ORDER_MS,
	initialState,
	recordsPerSecond,
	reduce,
	type Action,
	type UiState,
} from '../../source/ui/state.js';

function afterActions(...actions: Action[]): UiState {
	return actions.reduce(reduce, initialState({windowSeconds: 900}));
}

const order = ['talkers', 'protocols', 'rejects', 'diagnosis'] as const;

describe('the UI reducer', () => {
	it('query-mode-changed keeps how the source reads its group, for the status bar', () => {
		expect(afterActions().queryMode).toBeUndefined();
		const state = afterActions(
			{
				type: 'query-mode-changed',
				mode: {mode: 'raw', reason: 'auto: about 300 new records a poll, raw pages hold them'},
			},
			{type: 'query-mode-changed', mode: {mode: 'aggregate', reason: 'auto: 9.0k new records in a poll'}},
		);
		expect(state.queryMode).toEqual({mode: 'aggregate', reason: 'auto: 9.0k new records in a poll'});
	});

	it('filter-set narrows and remembers the previous filter; filter-back steps back to none', () => {
		const state = afterActions(
			{type: 'filter-set', filter: parseFilter('eni-0a')},
			{type: 'filter-set', filter: parseFilter('eni-0a port:22')},
		);
		expect(formatFilter(state.filter)).toBe('eni-0a port:22');
		const back = reduce(state, {type: 'filter-back'});
		expect(formatFilter(back.filter)).toBe('eni-0a');
		expect(reduce(back, {type: 'filter-back'}).filter).toEqual(EMPTY_FILTER);
	});

	it('filter-back closes an open prompt before it touches the filter', () => {
		const state = afterActions(
			{type: 'filter-set', filter: parseFilter('tcp')},
			{type: 'prompt-opened', prompt: 'filter'},
			{type: 'filter-back'},
		);
		expect(state.prompt).toBeUndefined();
		expect(formatFilter(state.filter)).toBe('tcp');
	});

	it('a refused prompt keeps the old filter and says why until the prompt closes', () => {
		const state = afterActions({type: 'prompt-opened', prompt: 'filter'}, {type: 'prompt-failed', error: 'bad'});
		expect(state).toMatchObject({prompt: 'filter', promptError: 'bad', filter: EMPTY_FILTER});
		expect(reduce(state, {type: 'prompt-closed'}).promptError).toBeUndefined();
	});

	it("focus moves in the layout's reading order, both ways, around", () => {
		expect(afterActions({type: 'focus-moved', step: 1, order}).focus).toBe('protocols');
		expect(afterActions({type: 'focus-moved', step: -1, order}).focus).toBe('diagnosis');
	});

	it('the selection stays within the rows and holds their order for a moment', () => {
		const state = afterActions({type: 'selection-moved', step: 5, rows: 3, at: 1000});
		expect(state.selection.talkers).toBe(2);
		expect(state.holdOrderUntil).toBe(1000 + HOLD_ORDER_MS);
		expect(reduce(state, {type: 'selection-moved', step: -9, rows: 3, at: 2000}).selection.talkers).toBe(0);
	});

	it('metric, view and window cycle', () => {
		expect(afterActions({type: 'metric-cycled'}).metric).toBe('packets');
		expect(afterActions({type: 'metric-cycled'}, {type: 'metric-cycled'}, {type: 'metric-cycled'}).metric).toBe(
			'bytes',
		);
		expect(afterActions({type: 'view-cycled'}).views.talkers).toBe('sources');
		expect(afterActions({type: 'window-cycled'}).windowSeconds).toBe(3600);
		expect(afterActions({type: 'window-cycled'}, {type: 'window-cycled'}).windowSeconds).toBe(60);
	});

	it('while paused, batches are counted as waiting; resuming clears the count', () => {
		const paused = afterActions(
			{type: 'paused-toggled'},
			{type: 'batch-received', records: 40, at: 0},
			{type: 'batch-received', records: 2, at: 1},
		);
		expect(paused).toMatchObject({paused: true, waiting: 42});
		expect(reduce(paused, {type: 'paused-toggled'})).toMatchObject({paused: false, waiting: 0});
	});

	it('source problems become state, not exceptions', () => {
		const state = afterActions({
			type: 'source-changed',
			status: {kind: 'error', message: 'ExpiredToken: run aws sso login', retryAt: 5},
		});
		expect(state.source).toEqual({kind: 'error', message: 'ExpiredToken: run aws sso login', retryAt: 5});
	});

	it('records per second come from the last half minute of batches', () => {
		const state = afterActions(
			{type: 'batch-received', records: 100, at: 0},
			{type: 'batch-received', records: 300, at: 40_000},
			{type: 'batch-received', records: 300, at: 50_000},
		);
		expect(recordsPerSecond(state.arrivals, 60_000)).toBe(30);
	});

	it('a backlog (the window read whole at the start) is shown but is no part of the rate', () => {
		const state = afterActions(
			{type: 'batch-received', records: 1_200_000, at: 0, backlog: true},
			{type: 'batch-received', records: 300, at: 20_000},
			{type: 'paused-toggled'},
			{type: 'batch-received', records: 50_000, at: 25_000, backlog: true},
		);
		expect(recordsPerSecond(state.arrivals, 30_000)).toBe(30);
		expect(state.waiting).toBe(50_000);
	});
});
