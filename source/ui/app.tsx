import {Box, useApp, useInput, type Key} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {findingsMatching} from '../diagnosis/diagnose.js';
import type {Finding} from '../diagnosis/finding.js';
import {combineFilters, EMPTY_FILTER, FilterError, formatFilter, parseAddress, parseFilter, type Filter} from '../engine/filter.js';
import type {FlowStore} from '../engine/store.js';
import {computeViews, REPORT_SECTIONS} from '../engine/views.js';
import {buildReport} from '../report.js';
import type {RecordSource} from '../sources/source.js';
import {Diagnosis} from './diagnosis.js';
import {EniPicker} from './eni-picker.js';
import {Header} from './header.js';
import {HelpOverlay, helpLines} from './help-overlay.js';
import {holdOrder} from './hold-order.js';
import {KeyHints} from './key-hints.js';
import {commandFor, type Command} from './keymap.js';
import {GUTTER, layout} from './layout.js';
import type {Row} from './pane-rows.js';
import {Protocols} from './protocols.js';
import {RejectedFlows} from './rejected-flows.js';
import {ScenarioPicker, type DemoControl} from './scenario-picker.js';
import {writeSnapshot} from './snapshot.js';
import {reduce, recordsPerSecond, type Action, type PaneId, type UiState} from './state.js';
import {StatusBar, statusContent} from './status-bar.js';
import {TextPrompt} from './text-prompt.js';
import {TopTalkers} from './top-talkers.js';
import {useTerminalSize} from './use-terminal-size.js';

/** What the diagnosis pane needs: findings for the store as it stands, and which are new. */
export interface DiagnosisFeed {
	update(store: FlowStore, nowMilliseconds: number): readonly Finding[];
	isNew(finding: Finding, nowMilliseconds: number): boolean;
	/** One line for the status bar while the diagnosis works without the VPC's configuration. */
	note?(): string | undefined;
	/** An interface's name and kind, where the VPC's configuration knows it. */
	describe?(eni: string): string | undefined;
}

export interface AppProps {
	readonly store: FlowStore;
	readonly source: RecordSource;
	readonly initial: UiState;
	readonly diagnosis: DiagnosisFeed;
	readonly pricePerGb: number;
	readonly demo?: DemoControl;
	/** Milliseconds since the epoch; replaceable in tests. */
	readonly clock?: () => number;
	/** How often the panes pick up new data: twice a second is plenty over SSH, and keys redraw at once. */
	readonly frameMilliseconds?: number;
	/** Where `x` writes snapshots. */
	readonly snapshotDirectory?: string;
}

const noKey: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
};

/** One character of a chunk of several keystrokes, as Ink would have reported it alone. */
function keyOf(character: string): {input: string; key: Key} {
	switch (character) {
		case '\t': {
			return {input: '', key: {...noKey, tab: true}};
		}

		case '\r': {
			return {input: '', key: {...noKey, return: true}};
		}

		default: {
			return {input: character, key: noKey};
		}
	}
}

const opensPrompt: ReadonlySet<Command> = new Set(['filter', 'pick-eni', 'cidr', 'scenario', 'help']);

// Rows computed per list: more than the tallest pane shows, so scrolling has somewhere to go.
const VIEW_ROWS = 100;

/** A counter that follows the store's version a few times a second, and not at all while paused. */
function useFrame(store: FlowStore, paused: boolean, milliseconds: number): number {
	const [frame, setFrame] = useState(store.version);
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

export function App({store, source, initial, diagnosis, pricePerGb, demo, clock = Date.now, frameMilliseconds = 500, snapshotDirectory = process.cwd()}: AppProps) {
	const {exit} = useApp();
	const [state, setState] = useState(initial);
	// Commands read the state as the actions before them in the same chunk of keys left it, not as
	// it was when the frame was drawn: `tab tab enter` typed at once drills where the tabs led.
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

	useEffect(() => {
		source.start({
			records(records) {
				store.add(records);
				let newest: number | undefined;
				for (const record of records) {
					const end = record.end ?? record.start;
					if (end !== undefined && (newest === undefined || end > newest)) {
						newest = end;
					}
				}

				dispatch({type: 'batch-received', records: records.length, newest, at: clock()});
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

	const views = useMemo(
		() => computeViews(store, state.filter, {metric: state.metric, limit: VIEW_ROWS, windowSeconds: state.windowSeconds}),
		[store, frame, state.filter, state.metric, state.windowSeconds],
	);
	const allFindings = useMemo(() => diagnosis.update(store, clock()), [store, frame, diagnosis]);
	const findings = useMemo(() => findingsMatching(allFindings, state.filter), [allFindings, state.filter]);

	const windowCounts = store.windowCounts();
	const notice = state.promptError
		? {text: state.promptError, error: true}
		: state.notice && now < state.notice.until ? {text: state.notice.text, error: false} : undefined;
	const status = statusContent({
		recordsPerSecond: recordsPerSecond(state.arrivals, now),
		inWindow: windowCounts.ok + windowCounts.nodata + windowCounts.skipdata,
		malformed: source.stats.malformed,
		summarized: store.summarized,
		source: state.source,
		cost: state.cost,
		pricePerGb,
		notice,
		configuration: diagnosis.note?.(),
		now,
		width: Math.max(columns, 40),
	});
	const screen = layout(columns, rows, status.above.length);
	const bodyHeight = screen.rows.reduce((sum, row) => sum + row[0]!.height, 0);
	const arrange = (pane: PaneId) => (paneRows: readonly Row[]): readonly Row[] => {
		const previous = shown.current.get(pane) ?? [];
		const arranged = state.focus === pane && now < state.holdOrderUntil
			? holdOrder(paneRows, previous.map(row => row.key))
			: paneRows;
		shown.current.set(pane, arranged);
		return arranged;
	};

	const rowsOf = (pane: PaneId): number => {
		const {views: paneViews} = latest.current;
		switch (pane) {
			case 'talkers': {
				return paneViews.talkers === 'pairs' ? views.talkers.pair.length : paneViews.talkers === 'sources' ? views.talkers.src.length : views.talkers.dst.length;
			}

			case 'rejects': {
				return {sources: views.rejectsBySource.length, targets: views.rejectsByTarget.length, interfaces: views.rejectsByEni.length, recent: views.recentRejects.length}[paneViews.rejects];
			}

			case 'protocols': {
				return paneViews.protocols === 'protocols' ? views.protocols.length : views.services.length;
			}

			case 'diagnosis': {
				return findings.length;
			}
		}
	};

	const paneHeight = (pane: PaneId) => screen.rows.flat().find(box => box.pane === pane)?.height ?? 10;

	const setFilter = (filter: Filter) => {
		dispatch({type: 'filter-set', filter});
	};

	const drill = () => {
		const {focus, selection, filter} = latest.current;
		const target = shown.current.get(focus)?.[selection[focus]]?.drill;
		if (target) {
			setFilter(combineFilters(filter, target));
		}
	};

	const snapshot = () => {
		try {
			const {filter, windowSeconds} = latest.current;
			const reportViews = computeViews(store, filter, {limit: 10, windowSeconds, sections: REPORT_SECTIONS});
			const path = writeSnapshot(buildReport(store, source.stats, reportViews, findings), snapshotDirectory, clock());
			dispatch({type: 'notice-shown', text: `snapshot written to ${path}`, at: clock()});
		} catch (error) {
			dispatch({type: 'notice-shown', text: `could not write the snapshot: ${(error as Error).message}`, at: clock()});
		}
	};

	const run = (command: Command) => {
		switch (command) {
			case 'filter': {
				dispatch({type: 'prompt-opened', prompt: 'filter'});
				break;
			}

			case 'pick-eni': {
				dispatch({type: 'prompt-opened', prompt: 'eni'});
				break;
			}

			case 'cidr': {
				dispatch({type: 'prompt-opened', prompt: 'cidr'});
				break;
			}

			case 'scenario': {
				dispatch({type: 'prompt-opened', prompt: 'scenario'});
				break;
			}

			case 'help': {
				dispatch({type: 'prompt-opened', prompt: 'help'});
				break;
			}

			case 'back': {
				dispatch({type: 'filter-back'});
				break;
			}

			case 'focus-next':
			case 'focus-previous': {
				dispatch({type: 'focus-moved', step: command === 'focus-next' ? 1 : -1, order: screen.rows.flat().map(box => box.pane)});
				break;
			}

			case 'up':
			case 'down':
			case 'page-up':
			case 'page-down': {
				const {focus} = latest.current;
				const page = Math.max(paneHeight(focus) - 2, 1);
				const step = {up: -1, down: 1, 'page-up': -page, 'page-down': page}[command];
				dispatch({type: 'selection-moved', step, rows: rowsOf(focus), at: clock()});
				break;
			}

			case 'drill': {
				drill();
				break;
			}

			case 'sort': {
				dispatch({type: 'metric-cycled'});
				break;
			}

			case 'view': {
				dispatch({type: 'view-cycled'});
				break;
			}

			case 'window': {
				dispatch({type: 'window-cycled'});
				break;
			}

			case 'pause': {
				dispatch({type: 'paused-toggled'});
				break;
			}

			case 'snapshot': {
				snapshot();
				break;
			}

			case 'quit': {
				exit();
				break;
			}
		}
	};

	useInput((input, key) => {
		// Keys typed faster than a frame arrive together: obey each of them.
		const keys = input.length > 1 && !key.ctrl && !key.meta ? [...input].map(character => keyOf(character)) : [{input, key}];
		for (const each of keys) {
			const command = commandFor(each.input, each.key, demo !== undefined);
			if (command) {
				run(command);
			}

			if (command && opensPrompt.has(command)) {
				break;
			}
		}
	}, {isActive: state.prompt === undefined});

	// Help closes on esc, ? or q; the text prompts on esc (their input handles the rest); the
	// pickers handle their own keys.
	useInput((input, key) => {
		if (key.escape || (state.prompt === 'help' && (input === '?' || input === 'q'))) {
			dispatch({type: 'prompt-closed'});
			return;
		}

		const command = state.prompt === 'help' ? commandFor(input, key, demo !== undefined) : undefined;
		const room = Math.max(bodyHeight - 1, 1);
		const step = command === 'up' ? -1 : command === 'down' ? 1 : command === 'page-up' ? -room : command === 'page-down' ? room : 0;
		if (step !== 0) {
			dispatch({type: 'help-scrolled', step, last: helpLines(screen.width, demo !== undefined).length - room});
		}
	}, {isActive: state.prompt === 'help' || state.prompt === 'filter' || state.prompt === 'cidr'});

	const submitFilter = (text: string) => {
		try {
			setFilter(parseFilter(text));
		} catch (error) {
			if (error instanceof FilterError) {
				dispatch({type: 'prompt-failed', error: error.message});
			} else {
				throw error;
			}
		}
	};

	const submitCidr = (text: string) => {
		try {
			setFilter(combineFilters(latest.current.filter, {...EMPTY_FILTER, addresses: [parseAddress(text.trim())]}));
		} catch (error) {
			if (error instanceof FilterError) {
				dispatch({type: 'prompt-failed', error: error.message});
			} else {
				throw error;
			}
		}
	};

	const panes = {
		talkers: (width: number, height: number) => <TopTalkers views={views} mode={state.views.talkers} width={width} height={height} focused={state.focus === 'talkers'} selected={state.selection.talkers} order={arrange('talkers')}/>,
		rejects: (width: number, height: number) => <RejectedFlows views={views} mode={state.views.rejects} width={width} height={height} focused={state.focus === 'rejects'} selected={state.selection.rejects} now={now / 1000} order={arrange('rejects')}/>,
		protocols: (width: number, height: number) => <Protocols views={views} mode={state.views.protocols} width={width} height={height} focused={state.focus === 'protocols'} selected={state.selection.protocols} order={arrange('protocols')}/>,
		diagnosis: (width: number, height: number) => <Diagnosis findings={findings} width={width} height={height} focused={state.focus === 'diagnosis'} selected={state.selection.diagnosis} isNew={finding => diagnosis.isNew(finding, now)} order={arrange('diagnosis')}/>,
	};

	let body;
	if (state.prompt === 'help') {
		body = <HelpOverlay width={screen.width} height={bodyHeight} demo={demo !== undefined} top={state.helpTop}/>;
	} else if (state.prompt === 'eni') {
		body = (
			<EniPicker
				enis={views.enis}
				describe={eni => diagnosis.describe?.(eni)}
				width={screen.width}
				height={bodyHeight}
				onPick={eni => {
					setFilter(combineFilters(latest.current.filter, {...EMPTY_FILTER, enis: [eni]}));
				}}
				onCancel={() => {
					dispatch({type: 'prompt-closed'});
				}}
			/>
		);
	} else if (state.prompt === 'scenario' && demo) {
		body = (
			<ScenarioPicker
				demo={demo}
				width={screen.width}
				height={bodyHeight}
				onPick={name => {
					demo.setScenario(name);
					dispatch({type: 'prompt-closed'});
					dispatch({type: 'notice-shown', text: `scenario: ${name}`, at: clock()});
				}}
				onCancel={() => {
					dispatch({type: 'prompt-closed'});
				}}
			/>
		);
	} else {
		body = screen.rows.map(row => (
			<Box key={row.map(box => box.pane).join('+')} height={row[0]!.height} width={screen.width} columnGap={GUTTER}>
				{row.map(box => <Box key={box.pane} width={box.width} height={box.height}>{panes[box.pane](box.width, box.height)}</Box>)}
			</Box>
		));
	}

	let footer;
	if (state.prompt === 'filter') {
		footer = <TextPrompt label='filter' initial={formatFilter(state.filter)} placeholder='eni-0abc 10.0.0.0/16 src:10.0.1.5 port:22 tcp reject' width={screen.width} onSubmit={submitFilter}/>;
	} else if (state.prompt === 'cidr') {
		footer = <TextPrompt label='address or CIDR' initial='' placeholder='10.0.0.0/16' width={screen.width} onSubmit={submitCidr}/>;
	} else {
		footer = <KeyHints width={screen.width} demo={demo !== undefined}/>;
	}

	return (
		<Box flexDirection='column' width={screen.width} height={screen.height}>
			<Header label={source.label} windowSeconds={state.windowSeconds} filter={state.filter} paused={state.paused} waiting={state.waiting} newest={state.newest} width={screen.width}/>
			{body}
			<StatusBar content={status} width={screen.width}/>
			{footer}
		</Box>
	);
}

