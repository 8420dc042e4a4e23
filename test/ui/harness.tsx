import {EventEmitter} from 'node:events';
import {render} from 'ink';
import type {Finding} from '../../source/diagnosis/finding.js';
import type {Filter} from '../../source/engine/filter.js';
import {type AggregatedRecords, FlowStore} from '../../source/engine/store.js';
import {ParseStats} from '../../source/flowlog/decoder.js';
import type {FlowRecord} from '../../source/flowlog/record.js';
import type {RecordSource, SourceListener, SourceStatus} from '../../source/sources/source.js';
import {App, type AppProps, type DiagnosisFeed} from '../../source/ui/app.js';
import {initialState, type UiState} from '../../source/ui/state.js';
import {Keyboard} from '../helpers/keyboard.js';

/** A terminal of a given size that keeps the last frame, and can be resized. */
class Terminal extends EventEmitter {
	frames: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write = (frame: string) => {
		this.frames.push(frame);
	};

	resize(columns: number, rows: number) {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

/** A source the test drives by hand: records and statuses arrive when the test says so. */
export class ScriptedSource implements RecordSource {
	readonly label = 'test-flows';
	readonly stats = new ParseStats();
	/** Every filter the view told the source of, in order. */
	readonly filters: Filter[] = [];
	stopped = false;
	private listener: SourceListener | undefined;

	start(listener: SourceListener): void {
		this.listener = listener;
	}

	emit(records: FlowRecord[]): void {
		this.listener!.records(records);
	}

	filterChanged(filter: Filter): void {
		this.filters.push(filter);
	}

	/** The whole window as Insights' sums, in place of what was handed over. */
	replace(rows: AggregatedRecords[]): void {
		this.listener!.replace!(rows);
	}

	/** Sums of what is new, added to what was handed over. */
	addSums(rows: AggregatedRecords[]): void {
		this.listener!.addSums!(rows);
	}

	status(status: SourceStatus): void {
		this.listener!.status(status);
	}

	async stop(): Promise<void> {
		this.stopped = true;
	}
}

export function fixedFindings(findings: readonly Finding[], fresh: ReadonlySet<string> = new Set()): DiagnosisFeed {
	return {
		update: () => findings,
		isNew: finding => fresh.has(finding.id),
	};
}

// Colour and cursor codes: the tests read the text a person sees.
// eslint-disable-next-line no-control-regex
const ansi = /\u001B\[[\d;?]*[A-Za-z]/g;

export const NOW = Date.UTC(2023, 10, 14, 22, 20, 0);

export interface InkScreen {
	readonly terminal: Terminal;
	/** The last frame, colour codes removed. */
	frame(): string;
	lines(): string[];
	press(keys: string): Promise<void>;
	/** Wait until the frame satisfies the check (or fail after three seconds with the frame shown). */
	waitFor(check: (frame: string) => boolean): Promise<string>;
	exited: Promise<void>;
	unmount(): void;
}

/** Render any Ink tree in a terminal of a given size, with a keyboard the test types on. */
export function renderInk(tree: React.ReactElement, size: {columns?: number; rows?: number} = {}): InkScreen {
	const terminal = new Terminal(size.columns ?? 100, size.rows ?? 30);
	const keyboard = new Keyboard();
	const instance = render(tree, {
		stdout: terminal as unknown as NodeJS.WriteStream,
		stdin: keyboard as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const frame = () => (terminal.frames.at(-1) ?? '').replaceAll(ansi, '');
	return {
		terminal,
		frame,
		lines: () => frame().split('\n'),
		async press(keys) {
			// Keys typed before the first frame's effects ran would reach no input handler.
			while (terminal.frames.length === 0) {
				await new Promise(resolve => setTimeout(resolve, 10));
			}

			await new Promise(resolve => setTimeout(resolve, 10));
			keyboard.write(keys);
			// Ink reads input on the next turn; a prompt opened by a key needs a moment before typing.
			await new Promise(resolve => setTimeout(resolve, 50));
		},
		async waitFor(check) {
			const deadline = Date.now() + 3000;
			while (!check(frame())) {
				if (Date.now() > deadline) {
					throw new Error(`the screen never matched; last frame:\n${frame()}`);
				}

				await new Promise(resolve => setTimeout(resolve, 10));
			}

			return frame();
		},
		exited: instance.waitUntilExit(),
		unmount: () => {
			instance.unmount();
		},
	};
}

export interface Screen extends InkScreen {
	readonly source: ScriptedSource;
	readonly store: FlowStore;
}

export function renderApp(
	options: {
		columns?: number;
		rows?: number;
		records?: FlowRecord[];
		state?: Partial<UiState>;
		diagnosis?: DiagnosisFeed;
		props?: Partial<AppProps>;
	} = {},
): Screen {
	const source = new ScriptedSource();
	const store = new FlowStore({windowSeconds: Number.POSITIVE_INFINITY});
	if (options.records) {
		store.add(options.records);
	}

	const screen = renderInk(
		<App
			store={store}
			source={source}
			initial={{...initialState({windowSeconds: Number.POSITIVE_INFINITY}), ...options.state}}
			diagnosis={options.diagnosis ?? fixedFindings([])}
			pricePerGb={0.005}
			clock={() => NOW}
			frameMilliseconds={10}
			{...options.props}
		/>,
		options,
	);
	return {...screen, source, store};
}
