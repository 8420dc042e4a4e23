import {type Filter, isEmptyFilter, matchesFilter} from '../engine/filter.js';
import type {FlowStore} from '../engine/store.js';
import {blockPublicAccess} from './block-public-access.js';
import {bruteForce} from './brute-force.js';
import {compareFindings, type Finding} from './finding.js';
import {interfaceSilent} from './interface-silent.js';
import {logSkipped} from './log-skipped.js';
import {naclReturnBlocked} from './nacl-return-blocked.js';
import {natUnsolicitedInbound} from './nat-unsolicited-inbound.js';
import {portScan} from './port-scan.js';
import {rejectedRequests} from './rejected-requests.js';
import {repeatedRejects} from './repeated-rejects.js';
import {identify, type InterfaceIdentity} from './snapshot.js';
import {unanswered} from './unanswered.js';

export interface DiagnoseOptions {
	/**
	 * Keep only findings with evidence the filter matches (`--eni`, `--port`, ...). The rules always
	 * read the whole window: a blocked response is only recognised next to its request.
	 */
	readonly filter?: Filter;
	/** What the VPC's configuration says of the interfaces, when it was read: direction, own addresses and kinds from it rather than inferred. */
	readonly identity?: InterfaceIdentity | undefined;
}

/** Every rule, in no particular order: diagnose() sorts what they find. */
export const RULES: ReadonlyArray<(store: FlowStore) => Finding[]> = [
	naclReturnBlocked,
	rejectedRequests,
	blockPublicAccess,
	portScan,
	bruteForce,
	natUnsolicitedInbound,
	repeatedRejects,
	unanswered,
	logSkipped,
	interfaceSilent,
];

/** The findings with evidence the filter matches: what a narrowed view still has to say. */
export function findingsMatching<T extends Finding>(findings: readonly T[], filter: Filter | undefined): T[] {
	return filter === undefined || isEmptyFilter(filter)
		? [...findings]
		: findings.filter(finding => finding.evidence.some(evidence => matchesFilter(filter, evidence)));
}

/** What is wrong in the window, most severe first, then by the number of records behind it. */
export function diagnose(store: FlowStore, options: DiagnoseOptions = {}): Finding[] {
	identify(store, options.identity);
	return findingsMatching(
		RULES.flatMap(rule => rule(store)),
		options.filter,
	).sort(compareFindings);
}
