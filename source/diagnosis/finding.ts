import type {Filterable} from '../engine/filter.js';
import type {Direction} from '../net/direction.js';
import type {RuleExplanation} from '../vpc/rule-explanation.js';

/** The finding kinds; the strings are part of the JSON contract. */
export type FindingKind =
	| 'nacl-return-blocked'
	| 'inbound-rejected'
	| 'outbound-rejected'
	| 'port-scan'
	| 'brute-force'
	| 'nat-unsolicited-inbound'
	| 'repeated-rejects'
	| 'unanswered'
	| 'log-skipped'
	| 'interface-silent';

export type Severity = 'critical' | 'warning' | 'info';

/**
 * How sure the records make a finding: `high` when they leave one reading, `medium` when a likely
 * one, `low` when it is a pattern worth a look that everyday traffic also makes.
 */
export type Confidence = 'high' | 'medium' | 'low';

/** One conversation's worth of evidence, as a person reads it in the pane; filters match it. */
export interface Evidence extends Filterable {
	readonly flows: number;
	readonly packets: number;
	readonly bytes: number;
}

/** Ports of one host a sweep was refused on, where one interface logged it. */
export interface RefusedTargets {
	readonly eni: string;
	readonly src: string;
	readonly dst: string;
	readonly protocol: number;
	readonly ports: readonly number[];
}

/** A target that let a sweep in: a port of a host, or the host itself for a protocol without ports. */
export interface AnsweredTarget {
	readonly host: string;
	readonly protocol: number;
	readonly port: number;
}

/** What a sweep tried: every target refused, and those that answered. */
export interface Sweep {
	readonly refused: readonly RefusedTargets[];
	readonly answered: readonly AnsweredTarget[];
}

export interface Finding {
	/** Stable across updates, so a finding merges instead of repeating. */
	readonly id: string;
	readonly kind: FindingKind;
	readonly severity: Severity;
	/** Undefined for repeated-rejects, which is about one source across interfaces. */
	readonly eni: string | undefined;
	readonly src?: string;
	readonly dst?: string;
	/** The service's port: the server port of the connections concerned. */
	readonly port?: number;
	/**
	 * For nacl-return-blocked: the direction of the blocked response. For inbound-rejected and
	 * outbound-rejected: the direction of the refused requests.
	 */
	readonly direction?: Direction;
	/** The log's own reason for the refusals, when it gave one: `BPA`, VPC Block Public Access, not a rule of the interface. */
	readonly rejectReason?: 'BPA';
	/** Records behind the finding. */
	readonly count: number;
	readonly confidence: Confidence;
	/** Why that confidence, in one sentence of evidence: shares, spread, what would tell otherwise. */
	readonly why: string;
	/** One line, about 70 columns where it can be. */
	readonly summary: string;
	/** What to check or change first, in plain words. */
	readonly advice: string;
	/** Unix seconds. */
	readonly firstSeen: number;
	readonly lastSeen: number;
	/** A few records that show it, the telling ones first. */
	readonly evidence: readonly Evidence[];
	/** The interface's name and kind, when the VPC's configuration is known (read through EC2). */
	readonly name?: string;
	readonly type?: string;
	/** The entry that refuses the flows, or that nothing configured now would, when the configuration is known. */
	readonly rule?: RuleExplanation;
	/** For port-scan: every target, so the configuration can say what refused each (the evidence holds a few). */
	readonly sweep?: Sweep;
	/** The engine's filter text form (`eni-0abc port:5432 tcp`) that narrows every pane to the evidence. */
	readonly filter: string;
}

// Fields may be added to a finding (EC2 rule names, interface names and types) without breaking
// anything that reads it: every consumer picks the fields it knows.

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {critical: 0, warning: 1, info: 2};

/** The order the pane and the report list findings in: most severe first, then the most records. */
export function compareFindings(a: Finding, b: Finding): number {
	return (
		SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
		b.count - a.count ||
		(a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
}
