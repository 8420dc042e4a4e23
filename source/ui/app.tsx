import {Box, Text, useApp} from 'ink';
import {type ReactNode, useEffect, useMemo, useRef, useState} from 'react';
import {findingsMatching} from '../diagnosis/diagnose.js';
import type {Finding} from '../diagnosis/finding.js';
import {
	combineFilters,
	EMPTY_FILTER,
	FilterError,
	isEmptyFilter,
	parseAddress,
	parseFilter,
	type Filter,
} from '../engine/filter.js';
import type {FlowStore} from '../engine/store.js';
import {computeViews, type Views} from '../engine/views.js';
import type {RecordSource} from '../sources/source.js';
import {Diagnosis} from './diagnosis.js';
import {drillToFinding} from './drill.js';
import {ENI_PICKER_TITLE, eniHeader, eniItems} from './eni-picker.js';
import {detailLines, ScrolledText} from './finding-detail.js';
import {Header, headerContent} from './header.js';
import {HelpOverlay, helpLines} from './help-overlay.js';
import {holdOrder} from './hold-order.js';
import {KeyHints} from './key-hints.js';
import type {Keystroke} from './keystrokes.js';
import {commandFor, type Command, type KeyContext} from './keymap.js';
import {GUTTER, layout, MIN_COLUMNS, MIN_ROWS} from './layout.js';
import {ListPicker, steer, type PickerItem} from './list-picker.js';
import type {Row} from './pane-rows.js';
import {Protocols} from './protocols.js';
import {RejectedFlows} from './rejected-flows.js';
import {currentScenarioIndex, scenarioItems, type DemoControl} from './scenario-picker.js';
import {reduce, recordsPerSecond, type Action, type LinePrompt, type PaneId, type UiState} from './state.js';
import {StatusBar, statusContent, statusLines} from './status-bar.js';
import {TextPrompt} from './text-prompt.js';
import type {ConfigurationStatus} from '../vpc/configuration-feed.js';
import {type InterfaceNames, NO_NAMES} from '../vpc/interface-names.js';
import {TopTalkers} from './top-talkers.js';
import {useKeystrokes} from './use-keystrokes.js';
import {useSnapshot} from './use-snapshot.js';
import {useSource} from './use-source.js';
import {useTerminalSize} from './use-terminal-size.js';

/** What the diagnosis pane needs: findings for the store as it stands, and which are new. */
export interface DiagnosisFeed {
	update(store: FlowStore, nowMilliseconds: number): readonly Finding[];
	isNew(finding: Finding, nowMilliseconds: number): boolean;
	/** One line for the status bar while the diagnosis works without the VPC's configuration. */
	note?(): string | undefined;
	/** Interfaces' and addresses' names, where the VPC's configuration knows them. */
	names?(): InterfaceNames;
	/** When the VPC's configuration was read, where it is read at all. */
	configuration?(): ConfigurationStatus | undefined;
	/** Read the VPC's configuration again now. */
	refresh?(): Promise<void>;
}

export interface AppProps {
	readonly store: FlowStore;
	readonly source: RecordSource;
	readonly initial: UiState;
	readonly diagnosis: DiagnosisFeed;
	readonly pricePerGb: number;
	readonly demo?: DemoControl | undefined;
	/** Milliseconds since the epoch; replaceable in tests. */
	readonly clock?: () => number;
	/** How often the panes pick up new data: twice a second is plenty over SSH, and keys redraw at once. */
	readonly frameMilliseconds?: number;
	/** Where `x` writes snapshots. */
	readonly snapshotDirectory?: string;
}

// Rows computed per list: more than the tallest pane shows, so scrolling has somewhere to go.
const VIEW_ROWS = 100;

/** Keys that only open something: the action each one is, and nothing else to do. */
const OPENS: Partial<Record<Command, Action>> = {
	filter: {type: 'prompt-opened', prompt: 'filter'},
	cidr: {type: 'prompt-opened', prompt: 'cidr'},
	'pick-eni': {type: 'prompt-opened', prompt: 'eni'},
	help: {type: 'prompt-opened', prompt: 'help'},
	back: {type: 'filter-back'},
	sort: {type: 'metric-cycled'},
	view: {type: 'view-cycled'},
	window: {type: 'window-cycled'},
	pause: {type: 'paused-toggled'},
};

/** What enter in each text prompt makes of the line: the filter it sets. */
const ENTERED: Record<LinePrompt, (text: string, current: Filter) => Filter> = {
	filter: text => parseFilter(text),
	cidr: (text, current) => combineFilters(current, {...EMPTY_FILTER, addresses: [parseAddress(text.trim())]}),
};

const PROMPT_LABELS: Record<LinePrompt, {label: string; placeholder: string}> = {
	filter: {label: 'filter', placeholder: 'eni-0abc 10.0.0.0/16 src:10.0.1.5 port:22 tcp reject'},
	cidr: {label: 'address or CIDR', placeholder: '10.0.0.0/16'},
};

/**
 * A counter that follows the store's version a few times a second, and not at all while paused.
 * The first records show on the render their batch causes rather than up to a frame later: the
 * first full screen is what someone opening flowtop in an incident waits for.
 */
function useFrame(store: FlowStore, paused: boolean, milliseconds: number): number {
	const [frame, setFrame] = useState(store.version);
	const [empty] = useState(store.version);
	if (!paused && frame === empty && store.version !== empty) {
		setFrame(store.version);
	}

	useEffect(() => {
		if (paused) {
			return;
		}

		setFrame(store.version);
		const timer = setInterval(() => {
			setFrame(store.version);
		}, milliseconds);
		return () => {
			clearInterval(timer);
		};
	}, [store, paused, milliseconds]);
	return frame;
}

/** Re-render every second, for countdowns and notices that expire while nothing else changes. */
function useNow(clock: () => number): number {
	const [now, setNow] = useState(clock);
	useEffect(() => {
		const timer = setInterval(() => {
			setNow(clock());
		}, 1000);
		return () => {
			clearInterval(timer);
		};
	}, [clock]);
	return now;
}

function rowsIn(views: Views, state: UiState, findings: readonly Finding[], pane: PaneId): number {
	const mode = state.views;
	switch (pane) {
		case 'talkers': {
			return (
				mode.talkers === 'pairs'
					? views.talkers.pair
					: mode.talkers === 'sources'
						? views.talkers.src
						: views.talkers.dst
			).length;
		}

		case 'rejects': {
			return {
				sources: views.rejectsBySource,
				targets: views.rejectsByTarget,
				interfaces: views.rejectsByEni,
				recent: views.recentRejects,
			}[mode.rejects].length;
		}

		case 'protocols': {
			return (mode.protocols === 'protocols' ? views.protocols : views.services).length;
		}

		case 'diagnosis': {
			return findings.length;
		}
	}
}

export function App({
	store,
	source,
	initial,
	diagnosis,
	pricePerGb,
	demo,
	clock = Date.now,
	frameMilliseconds = 500,
	snapshotDirectory = process.cwd(),
}: AppProps) {
	const {exit} = useApp();
	const [state, setState] = useState(initial);
	// Keystrokes read the state as the ones before them in the same chunk left it, not as it was
	// when the frame was drawn: `tab tab enter` typed at once drills where the tabs led.
	const latest = useRef(state);
	const dispatch = (action: Action) => {
		latest.current = reduce(latest.current, action);
		setState(latest.current);
	};

	const {columns, rows} = useTerminalSize();
	const frame = useFrame(store, state.paused, frameMilliseconds);
	// What each pane showed last, in order, with what enter on each row narrows to.
	const shown = useRef(new Map<PaneId, readonly Row[]>());
	useNow(clock);
	const now = clock();
	useSource(source, store, dispatch, clock, state.filter);
	const snapshot = useSnapshot(store, source, snapshotDirectory, dispatch, clock);

	// biome-ignore lint/correctness/useExhaustiveDependencies: frame is the store's change count: the store changes in place.
	const newest = useMemo(() => store.dataBounds()?.end, [store, frame]);
	// The window ends at the newest record: flow logs arrive minutes late, and a window ending at the
	// clock would show nothing of them; the header says how old that newest record is.
	// biome-ignore lint/correctness/useExhaustiveDependencies: frame is the store's change count: the store changes in place.
	const views = useMemo(
		() =>
			computeViews(store, state.filter, {
				metric: state.metric,
				limit: VIEW_ROWS,
				windowSeconds: state.windowSeconds,
				windowEnd: newest,
			}),
		[store, frame, state.filter, state.metric, state.windowSeconds, newest],
	);
	// Every render, not only on new records: a change the tracker held back for its interval is
	// diagnosed once the interval has passed, though nothing new arrives (a stalled source, a file read to its end).
	// Paused, the Diagnosis pane freezes with the others: the store goes on taking records.
	const diagnosed = useRef<readonly Finding[]>([]);
	if (!state.paused) {
		diagnosed.current = diagnosis.update(store, now);
	}

	const allFindings = diagnosed.current;
	const names = diagnosis.names?.() ?? NO_NAMES;
	const configuration = diagnosis.configuration?.();
	const keys: KeyContext = {demo: demo !== undefined, configuration: configuration !== undefined};
	const findings = useMemo(() => findingsMatching(allFindings, state.filter), [allFindings, state.filter]);

	const notice = state.promptError
		? {text: state.promptError, error: true}
		: state.notice && now < state.notice.until
			? {text: state.notice.text, error: false}
			: undefined;
	const width = Math.max(columns, 40);
	const status = statusContent({
		recordsPerSecond: recordsPerSecond(state.arrivals, now),
		inWindow: views.totals.flows,
		filtered: !isEmptyFilter(state.filter),
		malformed: source.stats.malformed,
		summarized: store.summarized,
		source: state.source,
		failure: state.failure,
		lagSeconds: newest === undefined ? undefined : now / 1000 - newest,
		cost: state.cost,
		queryMode: state.queryMode,
		pricePerGb,
		notice,
		configuration: diagnosis.note?.(),
		configurationRead: configuration && {at: configuration.readAt, reading: configuration.reading},
		now,
		width,
	});
	const header = headerContent({
		label: source.label,
		windowSeconds: state.windowSeconds,
		filter: state.filter,
		paused: state.paused,
		waiting: state.waiting,
		source: state.source,
		failure: state.failure,
		newest,
		now,
		width,
	});
	const screen = layout(columns, rows, header.filterLines.length + statusLines(status) - 1);
	const bodyHeight = screen.rows.reduce((sum, row) => sum + row[0]!.height, 0);
	const arrange =
		(pane: PaneId) =>
		(paneRows: readonly Row[]): readonly Row[] => {
			const previous = shown.current.get(pane) ?? [];
			const arranged =
				state.focus === pane && now < state.holdOrderUntil
					? holdOrder(
							paneRows,
							previous.map(row => row.key),
						)
					: paneRows;
			shown.current.set(pane, arranged);
			return arranged;
		};

	const paneHeight = (pane: PaneId) => screen.rows.flat().find(box => box.pane === pane)?.height ?? 10;
	const selectedFinding = (current: UiState) =>
		findings.find(finding => finding.id === shown.current.get('diagnosis')?.[current.selection.diagnosis]?.key);
	const detailed = state.detail === undefined ? undefined : allFindings.find(finding => finding.id === state.detail);
	const overlayLines = (current: UiState): number =>
		current.prompt === 'help'
			? helpLines(screen.width, keys).length
			: detailLines(allFindings.find(finding => finding.id === current.detail) ?? findings[0]!, screen.width, names)
					.length;
	const pickerItems = (current: UiState): PickerItem[] =>
		current.prompt === 'scenario' && demo
			? scenarioItems(demo)
			: eniItems(views.enis, eni => store.profiles.get(eni)?.own ?? [], screen.width, names);

	const run = (command: Command) => {
		const current = latest.current;
		const opens = OPENS[command];
		if (opens) {
			dispatch(opens);
			return;
		}

		switch (command) {
			case 'scenario': {
				if (demo) {
					dispatch({type: 'prompt-opened', prompt: 'scenario', selected: currentScenarioIndex(demo)});
				}

				break;
			}

			case 'focus-next':
			case 'focus-previous': {
				dispatch({
					type: 'focus-moved',
					step: command === 'focus-next' ? 1 : -1,
					order: screen.rows.flat().map(box => box.pane),
				});
				break;
			}

			case 'up':
			case 'down':
			case 'page-up':
			case 'page-down': {
				const page = Math.max(paneHeight(current.focus) - 2, 1);
				const step = {up: -1, down: 1, 'page-up': -page, 'page-down': page}[command];
				dispatch({type: 'selection-moved', step, rows: rowsIn(views, current, findings, current.focus), at: clock()});
				break;
			}

			case 'drill': {
				// Enter on a finding shows all of it first; enter there narrows to its evidence.
				const finding = current.focus === 'diagnosis' ? selectedFinding(current) : undefined;
				if (finding) {
					dispatch({type: 'prompt-opened', prompt: 'detail', detail: finding.id});
					break;
				}

				const target = shown.current.get(current.focus)?.[current.selection[current.focus]]?.drill;
				if (target) {
					dispatch({type: 'filter-set', filter: combineFilters(current.filter, target)});
				}

				break;
			}

			case 'snapshot': {
				snapshot(current, findings, newest);
				break;
			}

			case 'refresh': {
				dispatch({type: 'notice-shown', text: "reading the VPC's configuration", at: clock()});
				void diagnosis.refresh?.().then(() => {
					const problem = diagnosis.configuration?.()?.problem;
					dispatch({
						type: 'notice-shown',
						text:
							problem === undefined ? "VPC's configuration read" : "VPC's configuration not read: see the note above",
						at: clock(),
					});
				});
				break;
			}

			case 'quit': {
				exit();
				break;
			}

			case 'suspend': {
				// Raw mode turns ctrl-z into a key; it stops the process as the terminal would have.
				process.kill(process.pid, 'SIGTSTP');
				break;
			}

			default: {
				break;
			}
		}
	};

	const enterLine = (prompt: LinePrompt) => {
		const {line, filter} = latest.current;
		try {
			const next = ENTERED[prompt](line.text, filter);
			dispatch({type: 'line-entered', prompt, text: line.text.trim()});
			dispatch({type: 'filter-set', filter: next});
		} catch (error) {
			if (!(error instanceof FilterError)) {
				throw error;
			}

			dispatch({type: 'prompt-failed', error: error.message});
		}
	};

	// One path for every keystroke, whatever is open: the prompt, a picker, an overlay or the panes.
	const onKeystroke = (stroke: Keystroke) => {
		const current = latest.current;
		const {key, input} = stroke;
		switch (current.prompt) {
			case undefined: {
				const command = commandFor(input, key, keys);
				if (command) {
					run(command);
				}

				return;
			}

			case 'filter':
			case 'cidr': {
				if (key.escape) {
					dispatch({type: 'prompt-closed'});
				} else if (key.return) {
					enterLine(current.prompt);
				} else {
					dispatch({type: 'line-edited', stroke});
				}

				return;
			}

			case 'eni':
			case 'scenario': {
				const outcome = steer(current.picker, stroke, pickerItems(current));
				if (outcome.kind === 'moved') {
					dispatch({type: 'picker-moved', picker: outcome.picker});
				} else if (outcome.kind === 'cancelled') {
					dispatch({type: 'prompt-closed'});
				} else if (current.prompt === 'eni') {
					dispatch({
						type: 'filter-set',
						filter: combineFilters(current.filter, {...EMPTY_FILTER, enis: [outcome.key]}),
					});
				} else if (demo) {
					demo.setScenario(outcome.key);
					dispatch({type: 'prompt-closed'});
					dispatch({type: 'notice-shown', text: `scenario: ${outcome.key}`, at: clock()});
				}

				return;
			}

			case 'help':
			case 'detail': {
				const command = commandFor(input, key, keys);
				if (key.escape || (current.prompt === 'help' && (command === 'help' || command === 'quit'))) {
					dispatch({type: 'prompt-closed'});
					return;
				}

				const finding = allFindings.find(each => each.id === current.detail);
				if (current.prompt === 'detail' && key.return && finding) {
					dispatch({type: 'filter-set', filter: combineFilters(current.filter, drillToFinding(finding))});
					return;
				}

				const room = Math.max(bodyHeight - 1, 1);
				const step = {up: -1, down: 1, 'page-up': -room, 'page-down': room}[command as 'up'] as number | undefined;
				if (step !== undefined) {
					dispatch({type: 'scrolled', step, last: overlayLines(current) - room});
				}
			}
		}
	};

	useKeystrokes(onKeystroke);

	const panes = {
		talkers: (paneWidth: number, height: number) => (
			<TopTalkers
				views={views}
				mode={state.views.talkers}
				width={paneWidth}
				height={height}
				focused={state.focus === 'talkers'}
				selected={state.selection.talkers}
				order={arrange('talkers')}
				names={names}
			/>
		),
		rejects: (paneWidth: number, height: number) => (
			<RejectedFlows
				views={views}
				mode={state.views.rejects}
				width={paneWidth}
				height={height}
				focused={state.focus === 'rejects'}
				selected={state.selection.rejects}
				now={now / 1000}
				order={arrange('rejects')}
				names={names}
			/>
		),
		protocols: (paneWidth: number, height: number) => (
			<Protocols
				views={views}
				mode={state.views.protocols}
				width={paneWidth}
				height={height}
				focused={state.focus === 'protocols'}
				selected={state.selection.protocols}
				order={arrange('protocols')}
			/>
		),
		diagnosis: (paneWidth: number, height: number) => (
			<Diagnosis
				findings={findings}
				width={paneWidth}
				height={height}
				focused={state.focus === 'diagnosis'}
				selected={state.selection.diagnosis}
				isNew={finding => diagnosis.isNew(finding, now)}
				order={arrange('diagnosis')}
				basis={{records: views.totals.flows, failing: state.failure !== undefined}}
			/>
		),
	};

	let body: ReactNode;
	if (state.prompt === 'help') {
		body = <HelpOverlay width={screen.width} height={bodyHeight} context={keys} top={state.scrollTop} />;
	} else if (state.prompt === 'detail' && detailed) {
		body = (
			<ScrolledText
				title={detailed.summary}
				lines={detailLines(detailed, screen.width, names)}
				width={screen.width}
				height={bodyHeight}
				top={state.scrollTop}
			/>
		);
	} else if (state.prompt === 'eni' || state.prompt === 'scenario') {
		const title = state.prompt === 'eni' ? ENI_PICKER_TITLE : `Demo scenario (now: ${demo?.current() ?? ''})`;
		body = (
			<ListPicker
				title={title}
				items={pickerItems(state)}
				header={state.prompt === 'eni' ? eniHeader(screen.width) : undefined}
				picker={state.picker}
				width={screen.width}
				height={bodyHeight}
			/>
		);
	} else {
		body = screen.rows.map(row => (
			<Box key={row.map(box => box.pane).join('+')} height={row[0]!.height} width={screen.width} columnGap={GUTTER}>
				{row.map(box => (
					<Box key={box.pane} width={box.width} height={box.height}>
						{panes[box.pane](box.width, box.height)}
					</Box>
				))}
			</Box>
		));
	}

	const footer =
		state.prompt === 'filter' || state.prompt === 'cidr' ? (
			<TextPrompt {...PROMPT_LABELS[state.prompt]} line={state.line} width={screen.width} />
		) : (
			<KeyHints width={screen.width} context={keys} />
		);

	if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
		// Panes this small would cut addresses in the middle; say what is needed instead.
		return (
			<Text wrap="wrap">{`flowtop needs a terminal of at least ${MIN_COLUMNS}x${MIN_ROWS}; this one is ${columns}x${rows}. Make it larger, or press q to quit.`}</Text>
		);
	}

	return (
		<Box flexDirection="column" width={screen.width} height={screen.height}>
			<Header content={header} width={screen.width} />
			{body}
			<StatusBar content={status} width={screen.width} />
			{footer}
		</Box>
	);
}
