import type {FlowStore} from '../engine/store.js';
import {interfaceEvidence} from './evidence.js';
import type {Finding} from './finding.js';
import {gapsByInterface} from './log-skipped.js';
import {snapshotOf} from './snapshot.js';
import {clockTime, filterText, plural} from './wording.js';

// A capture window of slack: a NODATA record and the interface's last record can overlap by one.
const OVERLAP_SECONDS = 60;
// Idle for a minute or two is every quiet interface; three minutes without a packet on one that
// carried traffic across minutes is worth a look.
const MIN_SILENT_SECONDS = 180;
const MIN_BUSY_SECONDS = 120;

/**
 * interface-silent: an interface that carried traffic and then reports only NODATA (no packet in
 * a capture window): stopped, detached, or its traffic moved, or simply idle now. Without it, a
 * pane with nothing from that interface reads as all clear.
 */
export function interfaceSilent(store: FlowStore): Finding[] {
	const snapshot = snapshotOf(store);
	const findings: Finding[] = [];
	for (const [eni, gap] of gapsByInterface(snapshot.buckets, 'silent')) {
		const profile = store.profiles.get(eni);
		if (!profile || profile.records === 0 || profile.lastSeen - profile.firstSeen < MIN_BUSY_SECONDS) {
			continue;
		}

		const from = Math.max(gap.first, profile.lastSeen);
		if (gap.first < profile.lastSeen - OVERLAP_SECONDS || gap.last - from < MIN_SILENT_SECONDS) {
			continue;
		}

		const minutes = Math.round((gap.last - profile.lastSeen) / 60);
		findings.push({
			id: ['interface-silent', eni].join('|'),
			kind: 'interface-silent',
			severity: 'warning',
			eni,
			count: gap.records,
			confidence: 'medium',
			why: `traffic until ${clockTime(profile.lastSeen)}, then ${plural(gap.records, 'NODATA record')} for ${plural(minutes, 'minute')}; an idle interface looks the same`,
			summary: `${eni} went quiet at ${clockTime(profile.lastSeen)}: NODATA for ${plural(minutes, 'minute')}`,
			advice:
				`${eni} carried traffic until ${clockTime(profile.lastSeen)} UTC and has logged no packet since (NODATA). ` +
				'Check that its instance is running and the interface attached, and whether its traffic moved (a failover, a new instance, ' +
				'a DNS or target-group change). Its absence from the panes is not an all-clear.',
			firstSeen: from,
			lastSeen: gap.last,
			evidence: [interfaceEvidence(eni, gap.records)],
			get filter() {
				return filterText([eni]);
			},
		});
	}

	return findings;
}
