/**
 * A copy of a string that does not keep its parent alive. The parser slices fields out of
 * megabyte-sized chunks of input; V8 shares the chunk with every slice of 13 characters or more,
 * so one ENI id kept in a long-lived map would pin a whole chunk. Called only when a value is
 * first stored, never per record.
 */
export function detach(text: string): string {
	return ` ${text}`.slice(1);
}
