import type {FlowStore} from '../engine/store.js';
import {diagnose} from './diagnose.js';
import {compareFindings, type Finding} from './finding.js';

// Long enough to catch the eye of someone who looked away for a moment; short enough that NEW
// still means new.
const HIGHLIGHT_MS = 30_000;
// Findings rest on capture windows of a minute: running every rule more often than once a second
// would only take time from drawing the screen.
const MIN_INTERVAL_MS = 1000;

export interface FindingTrackerOptions {
	/** The rules to run; diagnose() unless a test wants its own. */
	readonly diagnose?: (store: FlowStore) => readonly Finding[];
	readonly highlightMs?: number;
	readonly minIntervalMs?: number;
}

interface Tracked {
	readonly finding: Finding;
	/** Wall-clock milliseconds when this id was first reported. */
	readonly noticed: number;
}

/**
 * Findings across updates, for the live view: a finding reported again (same id) replaces the
 * old one instead of repeating, and keeps the time it was first noticed, so the pane can mark new
 * ones for a while. A finding the rules no longer report stays until its last record has left the
 * window: counts that dip below a threshold for one update do not make it flicker.
 */
export class FindingTracker {
	private readonly tracked = new Map<string, Tracked>();
	// Stryker disable next-line ArrayDeclaration: read only once an update has set it, for the store it ran on
	private current: readonly Finding[] = [];
	private store: FlowStore | undefined;
	// Stryker disable next-line UnaryOperator: compared only once an update has set it, for the store it ran on
	private version = -1;
	private ran = Number.NEGATIVE_INFINITY;
	private readonly rules: (store: FlowStore) => readonly Finding[];
	private readonly highlightMs: number;
	private readonly minIntervalMs: number;

	constructor(options: FindingTrackerOptions = {}) {
		this.rules = options.diagnose ?? diagnose;
		this.highlightMs = options.highlightMs ?? HIGHLIGHT_MS;
		this.minIntervalMs = options.minIntervalMs ?? MIN_INTERVAL_MS;
	}

	/** The findings for the store as it stands, most severe first; reruns the rules only when the store changed. */
	update(store: FlowStore, nowMilliseconds: number): readonly Finding[] {
		const unchanged = store === this.store && store.version === this.version;
		if (unchanged || (store === this.store && nowMilliseconds - this.ran < this.minIntervalMs)) {
			return this.current;
		}

		this.store = store;
		this.version = store.version;
		this.ran = nowMilliseconds;
		return this.merge(this.rules(store), store.cutoff(), nowMilliseconds);
	}

	/**
	 * Fold one run's findings in: `cutoff` is the start of the window in Unix seconds; findings not
	 * reported this time are dropped once their last record is older than that.
	 */
	merge(findings: readonly Finding[], cutoff: number, nowMilliseconds: number): readonly Finding[] {
		const reported = new Set<string>();
		for (const finding of findings) {
			reported.add(finding.id);
			this.tracked.set(finding.id, {finding, noticed: this.tracked.get(finding.id)?.noticed ?? nowMilliseconds});
		}

		for (const [id, {finding}] of this.tracked) {
			if (!reported.has(id) && finding.lastSeen < cutoff) {
				this.tracked.delete(id);
			}
		}

		this.current = [...this.tracked.values()].map(tracked => tracked.finding).sort(compareFindings);
		return this.current;
	}

	/** Whether the finding was first noticed within the highlight time. */
	isNew(finding: Finding, nowMilliseconds: number): boolean {
		const tracked = this.tracked.get(finding.id);
		return tracked !== undefined && nowMilliseconds - tracked.noticed < this.highlightMs;
	}
}
