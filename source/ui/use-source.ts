import {useEffect} from 'react';
import type {FlowStore} from '../engine/store.js';
import type {RecordSource} from '../sources/source.js';
import type {Action} from './state.js';

/** The source feeds the store and reports to the reducer while the app is mounted; it stops when the app unmounts. */
export function useSource(
	source: RecordSource,
	store: FlowStore,
	dispatch: (action: Action) => void,
	clock: () => number,
): void {
	// biome-ignore lint/correctness/useExhaustiveDependencies: the dispatch and clock of the first render serve for good: both only ever reach the same reducer and time.
	useEffect(() => {
		source.start({
			records(records) {
				store.add(records);
				dispatch({type: 'batch-received', records: records.length, at: clock()});
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
		});
		return () => {
			void source.stop();
		};
	}, [source, store]);
}
