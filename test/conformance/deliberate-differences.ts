import {OUTCOME, type Comparison, type Difference} from './compare.js';

/**
 * Where a source parts from flowtop's parser policy on purpose. A difference matched here is
 * reported as deliberate instead of failed; list only genuine policy choices, never a parser bug.
 */
export interface DeliberateDifference {
	readonly source: string;
	/** Case ids covered (line pairs and file entries alike). */
	readonly id: RegExp;
	/** The differing field, or OUTCOME when one side has a record and the other rejects the line. */
	readonly field: string;
	readonly reason: string;
}

export const deliberateDifferences: readonly DeliberateDifference[] = [
	{
		source: 'panther',
		id: /^TestStandardVpcFlowLog#1$/,
		field: OUTCOME,
		reason:
			'Panther ignores tokens beyond the header; flowtop rejects a line with the wrong number of fields rather than guess which tokens belong to which column',
	},
	{
		source: 'panther',
		id: /^TestVpcFlowLogNoData#1$/,
		field: 'account-id',
		reason:
			'Panther drops the account-id "unknown" (AWS-managed interfaces); flowtop keeps it as the string "unknown" so that traffic stays visible and filterable',
	},
	{
		source: 'integrations',
		id: /^test-v5-all-fields\.log#1$/,
		field: OUTCOME,
		reason:
			'Elastic takes the 9-digit start 164000066 as 1975-03-14; flowtop counts a time before 2000 (or after tomorrow) as malformed, since one such record would stretch the time axis over decades of empty minutes',
	},
];

export function covers(entry: DeliberateDifference, comparison: Comparison, difference: Difference): boolean {
	return entry.source === comparison.source && entry.id.test(comparison.id) && entry.field === difference.field;
}
