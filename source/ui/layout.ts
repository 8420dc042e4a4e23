import type {PaneId} from './state.js';

/** Where a pane sits: columns and rows, its title line included. */
export interface PaneBox {
	readonly pane: PaneId;
	readonly width: number;
	readonly height: number;
}

/** Rows of panes, each row a list of panes side by side. */
export interface Layout {
	readonly width: number;
	/** Lines the app draws: one less than the terminal, or Ink clears the scrollback every frame. */
	readonly height: number;
	readonly rows: ReadonlyArray<readonly PaneBox[]>;
}

// Header, status bar and key hints.
const CHROME_LINES = 3;
// Past this width the four panes sit two by two; below it the rejected flows and the diagnosis
// take the full width, where their lines (addresses, ports, a sentence of advice) fit.
const GRID_MIN_WIDTH = 140;
// Below this width the talkers take the whole width and the protocols pane is not shown.
const SIDE_BY_SIDE_MIN_WIDTH = 80;
// Below this the screen says how big it needs to be instead of drawing panes too small to read.
export const MIN_COLUMNS = 50;
export const MIN_ROWS = 12;
// A pane is a title and at least this many rows.
const MIN_PANE_ROWS = 2;
// The gap between side-by-side panes.
export const GUTTER = 1;

function split(total: number, shares: readonly number[], minimum: number): number[] {
	const sizes = shares.map(share => Math.max(Math.floor(total * share), minimum));
	sizes[0]! += total - sizes.reduce((sum, size) => sum + size, 0);
	return sizes;
}

/**
 * The panes for a terminal of `columns` x `rows`. 80x24 keeps all four panes with titles and a few
 * rows each; more columns widen the panes (the grid from 140), more rows lengthen them.
 * `extraLines`: chrome beyond the usual three (a long error in the status bar).
 */
export function layout(columns: number, rows: number, extraLines = 0): Layout {
	const width = Math.max(columns, 40);
	const height = Math.max(rows - 1, CHROME_LINES + extraLines + 3 * (MIN_PANE_ROWS + 1));
	const body = height - CHROME_LINES - extraLines;
	if (width >= GRID_MIN_WIDTH) {
		const [top, bottom] = split(body, [0.55, 0.45], MIN_PANE_ROWS + 1);
		const left = Math.floor((width - GUTTER) / 2);
		const right = width - GUTTER - left;
		return {
			width,
			height,
			rows: [
				[
					{pane: 'talkers', width: left, height: top!},
					{pane: 'rejects', width: right, height: top!},
				],
				[
					{pane: 'protocols', width: left, height: bottom!},
					{pane: 'diagnosis', width: right, height: bottom!},
				],
			],
		};
	}

	const [top, middle, bottom] = split(body, [0.4, 0.3, 0.3], MIN_PANE_ROWS + 1);
	// Below 80 columns the protocols pane goes, whole, as btop drops boxes: beside it the talkers
	// would have to cut addresses in the middle.
	const talkers = width >= SIDE_BY_SIDE_MIN_WIDTH ? Math.floor((width - GUTTER) * 0.6) : width;
	return {
		width,
		height,
		rows: [
			talkers === width
				? [{pane: 'talkers', width, height: top!}]
				: [
						{pane: 'talkers', width: talkers, height: top!},
						{pane: 'protocols', width: width - GUTTER - talkers, height: top!},
					],
			[{pane: 'rejects', width, height: middle!}],
			[{pane: 'diagnosis', width, height: bottom!}],
		],
	};
}
