/** Raw records, so every message goes through flowtop's one parser whatever the format. */
export const RECORD_FIELDS = '@timestamp, @message, @ptr, @ingestionTime';

/**
 * The raw records of a time range, all of them. Fields are neither parsed nor filtered on the
 * service: the one parser reads any format, and the view's filter is applied to the store, not to
 * what is fetched (poller.ts says why).
 */
export const RECORDS_QUERY = `fields ${RECORD_FIELDS}`;

/** What reached CloudWatch in (after, upTo], in milliseconds of @ingestionTime. */
export interface IngestionWindow {
	readonly after: number;
	readonly upTo: number;
}

/** The filter form AWS documents: `toMillis(fieldName: Timestamp)` gives a number, compared as one. */
export function ingestedIn({after, upTo}: IngestionWindow): string {
	return `filter toMillis(@ingestionTime) > ${after} and toMillis(@ingestionTime) <= ${upTo}`;
}

/** The raw records that reached CloudWatch in the window, whatever their own time. */
export function newRecordsQuery(window: IngestionWindow): string {
	return `${RECORDS_QUERY} | ${ingestedIn(window)}`;
}

/** How many records reached CloudWatch in the window: one row, to check a closed window against. */
export function countQuery(window: IngestionWindow): string {
	return `${ingestedIn(window)} | stats count(*) as records`;
}
