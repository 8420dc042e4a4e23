/** Raw records, so every message goes through flowtop's one parser whatever the format. */
export const RECORD_FIELDS = '@timestamp, @message, @ptr, @ingestionTime';

/**
 * The Logs Insights query of every poll: the raw records of the time range, all of them. Fields
 * are neither parsed nor filtered on the service: the one parser reads any format, and the view's
 * filter is applied to the store, not to what is fetched (poller.ts says why).
 */
export const RECORDS_QUERY = `fields ${RECORD_FIELDS}`;
