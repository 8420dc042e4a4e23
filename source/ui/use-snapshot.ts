import type {Finding} from '../diagnosis/finding.js';
import type {FlowStore} from '../engine/store.js';
import {computeViews, REPORT_SECTIONS} from '../engine/views.js';
import {buildReport} from '../report.js';
import type {RecordSource} from '../sources/source.js';
import {safeText} from '../text/safe-text.js';
import {writeSnapshot} from './snapshot.js';
import type {Action, UiState} from './state.js';

/** `x`: the view on screen written as the --once --json document, and a notice that says where. */
export function useSnapshot(
	store: FlowStore,
	source: RecordSource,
	directory: string,
	dispatch: (action: Action) => void,
	clock: () => number,
) {
	return (state: UiState, findings: readonly Finding[], windowEnd: number | undefined) => {
		try {
			const views = computeViews(store, state.filter, {
				limit: 10,
				windowSeconds: state.windowSeconds,
				windowEnd,
				sections: REPORT_SECTIONS,
			});
			const path = writeSnapshot(
				buildReport(store, source.stats, views, findings, undefined, state.filter),
				directory,
				clock(),
			);
			dispatch({type: 'notice-shown', text: `snapshot written to ${path}`, at: clock()});
		} catch (error) {
			dispatch({
				type: 'notice-shown',
				text: `could not write the snapshot: ${safeText((error as Error).message)}`,
				at: clock(),
			});
		}
	};
}
