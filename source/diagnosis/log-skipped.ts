import type {Gap} from '../engine/interface-gaps.js';
import type {FlowStore} from '../engine/store.js';
import {interfaceEvidence} from './evidence.js';
import type {Finding} from './finding.js';
import {snapshotOf} from './snapshot.js';
import {clockTime, filterText, plural} from './wording.js';

/** Every gap of each interface across the window's buckets, summed. */
export function gapsByInterface(
	buckets: ReadonlyArray<{gaps: {skipped: ReadonlyMap<string, Gap>; silent: ReadonlyMap<string, Gap>}}>,
	kind: 'skipped' | 'silent',
): Map<string, Gap> {
	const gaps = new Map<string, Gap>();
	for (const bucket of buckets) {
		for (const [eni, gap] of bucket.gaps[kind]) {
			const sum = gaps.get(eni);
			if (sum) {
				sum.records += gap.records;
				sum.first = Math.min(sum.first, gap.first);
				sum.last = Math.max(sum.last, gap.last);
			} else {
				gaps.set(eni, {...gap});
			}
		}
	}

	return gaps;
}

/**
 * log-skipped: SKIPDATA records, the log's own word that it dropped records on an interface for
 * a capture window (an internal capacity limit or error at AWS). Every pane undercounts that
 * interface there, and a quiet pane may only be a blind one.
 */
export function logSkipped(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	return [...gapsByInterface(snapshot.buckets, 'skipped')].map(([eni, gap]) => ({
		id: ['log-skipped', eni].join('|'),
		kind: 'log-skipped',
		severity: 'warning',
		eni,
		count: gap.records,
		confidence: 'high',
		why: `${plural(gap.records, 'SKIPDATA record')}: the log says so itself`,
		summary: `${eni}: flow logs skipped records ${clockTime(gap.first)}-${clockTime(gap.last)}; panes undercount`,
		advice:
			`Flow logs skipped records on ${eni} from ${clockTime(gap.first)} to ${clockTime(gap.last)} UTC (${plural(gap.records, 'SKIPDATA record')}): ` +
			'every pane undercounts that interface for those minutes, and no finding there can be trusted to be complete. Nothing to change ' +
			'in the VPC; if it recurs, AWS hit an internal capacity limit or error: capture less (a narrower filter or fewer fields) or ask AWS Support.',
		firstSeen: gap.first,
		lastSeen: gap.last,
		evidence: [interfaceEvidence(eni, gap.records)],
		get filter() {
			return filterText([eni]);
		},
	}));
}
