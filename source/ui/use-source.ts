import {useEffect} from 'react';
import type {Filter} from '../engine/filter.js';
import type {FlowStore} from '../engine/store.js';
import type {RecordSource} from '../sources/source.js';
import type {Action} from './state.js';

/**
 * The source feeds the store and reports to the reducer while the app is mounted; it stops when the
 * app unmounts. It is told the view's filter as it changes (a source that sums on the service keeps
 * what the filter names by name).
 */
export function useSource(
	source: RecordSource,
	store: FlowStore,
	dispatch: (action: Action) => void,
	clock: () => number,
	filter: Filter,
): void {
	useEffect(() => {
		source.filterChanged?.(filter);
	}, [source, filter]);

	// biome-ignore lint/correctness/useExhaustiveDependencies: the dispatch and clock of the first render serve for good: both only ever reach the same reducer and time.
	useEffect(() => {
		source.start({
			records(records, backlog) {
				store.add(records);
				dispatch({type: 'batch-received', records: records.length, at: clock(), backlog: backlog === true});
			},
			columns(batch) {
				store.addColumns(batch);
				dispatch({type: 'batch-received', records: batch.size, at: clock()});
			},
			status(status) {
				dispatch({type: 'source-changed', status});
			},
			tick(nowMilliseconds) {
				store.advanceTo(nowMilliseconds / 1000);
			},
			cost(cost) {
				dispatch({type: 'cost-updated', cost});
			},
			replace(rows) {
				const before = store.windowCounts().ok;
				store.clear();
				store.addAggregated(rows);
				// Sums of the whole window come in place of the last: what grew is what arrived, less what slid
				// out. The first are the window as it was, not arrivals.
				dispatch({
					type: 'batch-received',
					records: Math.max(0, store.windowCounts().ok - before),
					at: clock(),
					backlog: before === 0,
				});
			},
			addSums(rows) {
				store.addAggregated(rows);
				let records = 0;
				for (const row of rows) {
					records += row.records;
				}

				dispatch({type: 'batch-received', records, at: clock()});
			},
			mode(mode) {
				dispatch({type: 'query-mode-changed', mode});
			},
		});
		return () => {
			void source.stop();
		};
	}, [source, store]);
}
