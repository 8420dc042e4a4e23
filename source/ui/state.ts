import {EMPTY_FILTER, formatFilter, isEmptyFilter, type Filter} from '../engine/filter.js';
import {METRICS, type Metric} from '../engine/views.js';
import type {QueryMode} from '../sources/insights/query-mode.js';
import type {QueryCost, SourceStatus} from '../sources/source.js';
import {edit, line, type Line} from './line-editor.js';
import type {Keystroke} from './keystrokes.js';

/**
 * Everything the screen remembers between keystrokes, in one pure reducer with named actions:
 * testable without Ink, and the only place UI state changes. Domain data (the store, the views)
 * lives outside; sources report here once per batch.
 */

export type PaneId = 'talkers' | 'rejects' | 'protocols' | 'diagnosis';

/** What each pane can list; `v` cycles through them. */
export const PANE_VIEWS = {
	talkers: ['pairs', 'sources', 'destinations'],
	rejects: ['sources', 'targets', 'interfaces', 'recent'],
	protocols: ['protocols', 'services'],
	diagnosis: ['findings'],
} as const satisfies Record<PaneId, readonly string[]>;

export type PaneView<P extends PaneId = PaneId> = (typeof PANE_VIEWS)[P][number];

export const WINDOW_CHOICES: readonly number[] = [60, 300, 900, 3600];

export type Prompt = 'filter' | 'cidr' | 'eni' | 'help' | 'scenario' | 'detail';

/** The prompts typed into, each with its own history for ↑. */
export type LinePrompt = 'filter' | 'cidr';

/** Where the selection was when the filter was narrowed, so esc brings both back. */
interface Narrowing {
	readonly filter: Filter;
	readonly selection: Readonly<Record<PaneId, number>>;
}

/** A list to choose from: what is typed to narrow it, and the chosen row of what it narrowed to. */
export interface PickerState {
	readonly query: string;
	readonly selected: number;
}

// After the selection moves, rows keep their order this long, so the row under the cursor does not
// jump away while the user reads it.
export const HOLD_ORDER_MS = 2500;
// Arrivals kept for the records/s figure: a rate over the last half minute.
const RATE_SPAN_MS = 30_000;

export interface Arrival {
	readonly at: number;
	readonly records: number;
}

export interface UiState {
	readonly filter: Filter;
	/** Earlier filters, for esc to step back through drill-downs. */
	readonly filterHistory: readonly Narrowing[];
	readonly focus: PaneId;
	readonly selection: Readonly<Record<PaneId, number>>;
	readonly views: {readonly [P in PaneId]: PaneView<P>};
	readonly metric: Metric;
	readonly windowSeconds: number;
	readonly paused: boolean;
	/** Records that arrived since the pause. */
	readonly waiting: number;
	readonly prompt: Prompt | undefined;
	/** Why the last prompt input was refused, shown under the prompt. */
	readonly promptError: string | undefined;
	readonly source: SourceStatus;
	/**
	 * The source's last error, until it next succeeds: a retry in flight is still a failing source,
	 * and the error keeps its lines instead of coming and going with every attempt.
	 */
	readonly failure: string | undefined;
	readonly cost: QueryCost | undefined;
	/** How the source reads its log group (raw records or Insights' sums), and why; undefined for a file. */
	readonly queryMode: QueryMode | undefined;
	readonly arrivals: readonly Arrival[];
	readonly notice: {readonly text: string; readonly until: number} | undefined;
	/** Until when row order is held (ms since the epoch). */
	readonly holdOrderUntil: number;
	/** The first line shown of a full-screen text (the `?` overlay, a finding's detail) that does not fit. */
	readonly scrollTop: number;
	/** The line being typed in the filter or address prompt. */
	readonly line: Line;
	/** What was entered in each prompt before, oldest first. */
	readonly entries: Readonly<Record<LinePrompt, readonly string[]>>;
	readonly picker: PickerState;
	/** The finding the detail view shows. */
	readonly detail: string | undefined;
}

export type Action =
	| {readonly type: 'filter-set'; readonly filter: Filter}
	| {readonly type: 'filter-back'}
	/** `selected`: where a picker starts (the scenario running now); `detail`: the finding to show. */
	| {readonly type: 'prompt-opened'; readonly prompt: Prompt; readonly selected?: number; readonly detail?: string}
	| {readonly type: 'line-edited'; readonly stroke: Keystroke}
	| {readonly type: 'line-entered'; readonly prompt: LinePrompt; readonly text: string}
	| {readonly type: 'picker-moved'; readonly picker: PickerState}
	| {readonly type: 'prompt-closed'}
	| {readonly type: 'prompt-failed'; readonly error: string}
	/** `order`: the panes as the layout reads, left to right, top to bottom. */
	| {readonly type: 'focus-moved'; readonly step: 1 | -1; readonly order: readonly PaneId[]}
	| {readonly type: 'selection-moved'; readonly step: number; readonly rows: number; readonly at: number}
	| {readonly type: 'metric-cycled'}
	| {readonly type: 'view-cycled'}
	| {readonly type: 'window-cycled'}
	| {readonly type: 'paused-toggled'}
	/** `backlog`: records that were there before they were read (a poll of the whole window): no part of the rate. */
	| {readonly type: 'batch-received'; readonly records: number; readonly at: number; readonly backlog?: boolean}
	| {readonly type: 'source-changed'; readonly status: SourceStatus}
	| {readonly type: 'cost-updated'; readonly cost: QueryCost}
	| {readonly type: 'query-mode-changed'; readonly mode: QueryMode}
	| {readonly type: 'notice-shown'; readonly text: string; readonly at: number}
	/** `last`: the top line that shows the text's last line at the bottom. */
	| {readonly type: 'scrolled'; readonly step: number; readonly last: number};

export function initialState(options: {filter?: Filter; windowSeconds?: number} = {}): UiState {
	return {
		filter: options.filter ?? EMPTY_FILTER,
		filterHistory: [],
		focus: 'talkers',
		selection: {talkers: 0, rejects: 0, protocols: 0, diagnosis: 0},
		views: {talkers: 'pairs', rejects: 'sources', protocols: 'protocols', diagnosis: 'findings'},
		metric: 'bytes',
		windowSeconds: options.windowSeconds ?? 900,
		paused: false,
		waiting: 0,
		prompt: undefined,
		promptError: undefined,
		source: {kind: 'starting'},
		failure: undefined,
		cost: undefined,
		queryMode: undefined,
		arrivals: [],
		notice: undefined,
		holdOrderUntil: 0,
		scrollTop: 0,
		line: line(''),
		entries: {filter: [], cidr: []},
		picker: {query: '', selected: 0},
		detail: undefined,
	};
}

function next<T>(values: readonly T[], current: T, step = 1): T {
	const index = values.indexOf(current);
	return values[(index + step + values.length) % values.length]!;
}

function resetSelection(state: UiState): UiState['selection'] {
	return {talkers: 0, rejects: 0, protocols: 0, diagnosis: 0, [state.focus]: 0};
}

export function reduce(state: UiState, action: Action): UiState {
	switch (action.type) {
		case 'filter-set': {
			if (formatFilter(action.filter) === formatFilter(state.filter)) {
				return {...state, prompt: undefined, promptError: undefined};
			}

			return {
				...state,
				filter: action.filter,
				filterHistory: [...state.filterHistory, {filter: state.filter, selection: state.selection}],
				prompt: undefined,
				promptError: undefined,
				selection: resetSelection(state),
			};
		}

		case 'filter-back': {
			if (state.prompt) {
				return {...state, prompt: undefined, promptError: undefined};
			}

			if (isEmptyFilter(state.filter)) {
				return state;
			}

			const previous = state.filterHistory.at(-1);
			return {
				...state,
				filter: previous?.filter ?? EMPTY_FILTER,
				filterHistory: state.filterHistory.slice(0, -1),
				selection: previous?.selection ?? resetSelection(state),
				// The rows come back in their own order, the one the selection was made in.
				holdOrderUntil: 0,
			};
		}

		case 'prompt-opened': {
			const {prompt} = action;
			const text = prompt === 'filter' ? formatFilter(state.filter) : '';
			return {
				...state,
				prompt,
				promptError: undefined,
				scrollTop: 0,
				line: line(
					prompt === 'filter' && text !== '' ? `${text} ` : '',
					prompt === 'filter' || prompt === 'cidr' ? state.entries[prompt] : [],
				),
				picker: {query: '', selected: action.selected ?? 0},
				detail: action.detail,
			};
		}

		case 'line-edited': {
			return {...state, line: edit(state.line, action.stroke), promptError: undefined};
		}

		case 'line-entered': {
			const earlier = state.entries[action.prompt].filter(entry => entry !== action.text);
			return action.text.trim() === ''
				? state
				: {...state, entries: {...state.entries, [action.prompt]: [...earlier, action.text].slice(-50)}};
		}

		case 'picker-moved': {
			return {...state, picker: action.picker};
		}

		case 'scrolled': {
			return {...state, scrollTop: Math.min(Math.max(state.scrollTop + action.step, 0), Math.max(action.last, 0))};
		}

		case 'prompt-closed': {
			return {...state, prompt: undefined, promptError: undefined};
		}

		case 'prompt-failed': {
			return {...state, promptError: action.error};
		}

		case 'focus-moved': {
			return {...state, focus: next(action.order, state.focus, action.step)};
		}

		case 'selection-moved': {
			const last = Math.max(action.rows - 1, 0);
			const selected = Math.min(Math.max(state.selection[state.focus] + action.step, 0), last);
			return {
				...state,
				selection: {...state.selection, [state.focus]: selected},
				holdOrderUntil: action.at + HOLD_ORDER_MS,
			};
		}

		case 'metric-cycled': {
			return {...state, metric: next(METRICS, state.metric)};
		}

		case 'view-cycled': {
			const views = PANE_VIEWS[state.focus] as readonly string[];
			return {
				...state,
				views: {...state.views, [state.focus]: next(views, state.views[state.focus])},
				selection: {...state.selection, [state.focus]: 0},
			};
		}

		case 'window-cycled': {
			const choices = WINDOW_CHOICES.includes(state.windowSeconds)
				? WINDOW_CHOICES
				: [...WINDOW_CHOICES, state.windowSeconds].sort((a, b) => a - b);
			return {...state, windowSeconds: next(choices, state.windowSeconds)};
		}

		case 'paused-toggled': {
			return {...state, paused: !state.paused, waiting: 0};
		}

		case 'batch-received': {
			const arrivals = [
				...state.arrivals.filter(arrival => arrival.at > action.at - RATE_SPAN_MS),
				...(action.backlog ? [] : [{at: action.at, records: action.records}]),
			];
			return {
				...state,
				arrivals,
				waiting: state.paused ? state.waiting + action.records : 0,
			};
		}

		case 'source-changed': {
			const {status} = action;
			const failure =
				status.kind === 'error'
					? status.message
					: status.kind === 'polling' || status.kind === 'backing-off'
						? state.failure
						: undefined;
			return {...state, source: status, failure};
		}

		case 'cost-updated': {
			return {...state, cost: action.cost};
		}

		case 'query-mode-changed': {
			return {...state, queryMode: action.mode};
		}

		case 'notice-shown': {
			// Long enough to read a file name twice.
			return {...state, notice: {text: action.text, until: action.at + 6000}};
		}
	}
}

/** Records per second over the recent arrivals. */
export function recordsPerSecond(arrivals: readonly Arrival[], now: number): number {
	const recent = arrivals.filter(arrival => arrival.at > now - RATE_SPAN_MS);
	if (recent.length === 0) {
		return 0;
	}

	const records = recent.reduce((sum, arrival) => sum + arrival.records, 0);
	const span = Math.max(now - recent[0]!.at, 1000);
	return records / (span / 1000);
}
