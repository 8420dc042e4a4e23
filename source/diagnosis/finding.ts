/** The finding kinds; the strings are part of the JSON contract. */
export type FindingKind =
	| 'nacl-return-blocked'
	| 'inbound-rejected'
	| 'outbound-rejected'
	| 'port-scan'
	| 'brute-force'
	| 'nat-unsolicited-inbound'
	| 'repeated-rejects';

export type Severity = 'critical' | 'warning' | 'info';

/** One record's worth of evidence, as a person reads it in the pane. */
export interface Evidence {
	readonly eni: string | undefined;
	readonly src: string | undefined;
	readonly dst: string | undefined;
	readonly srcPort: number | undefined;
	readonly dstPort: number | undefined;
	readonly protocol: number | undefined;
	readonly action: 'ACCEPT' | 'REJECT' | undefined;
	readonly flows: number;
	readonly packets: number;
	readonly bytes: number;
}

export interface Finding {
	/** Stable across updates, so a finding merges instead of repeating. */
	readonly id: string;
	readonly kind: FindingKind;
	readonly severity: Severity;
	readonly eni: string | undefined;
	readonly src?: string;
	readonly dst?: string;
	readonly port?: number;
	/** For nacl-return-blocked: the direction of the blocked response. */
	readonly direction?: 'inbound' | 'outbound';
	/** Records behind the finding. */
	readonly count: number;
	readonly summary: string;
	readonly advice: string;
	/** Unix seconds. */
	readonly firstSeen: number;
	readonly lastSeen: number;
	readonly evidence: readonly Evidence[];
}
