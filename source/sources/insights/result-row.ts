import type {ResultField} from '@aws-sdk/client-cloudwatch-logs';

/** One raw record of a query's results. */
export interface ResultRow {
	readonly ptr: string;
	/** Milliseconds since the epoch: for flow logs, the record's start. */
	readonly timestamp: number;
	/** When CloudWatch received it; NaN if the row did not say. */
	readonly ingestionTime: number;
	readonly message: string;
}

/** Insights prints times as `2024-05-01 12:05:00.000`, in UTC. */
export function parseInsightsTime(text: string | undefined): number {
	if (text === undefined) {
		return Number.NaN;
	}

	return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/** A result row as a record, or undefined for a row without @ptr or @message (nothing to count it by). */
export function resultRow(fields: readonly ResultField[]): ResultRow | undefined {
	let ptr: string | undefined;
	let timestamp: string | undefined;
	let ingestion: string | undefined;
	let message: string | undefined;
	for (const {field, value} of fields) {
		switch (field) {
			case '@ptr': {
				ptr = value;
				break;
			}

			case '@timestamp': {
				timestamp = value;
				break;
			}

			case '@ingestionTime': {
				ingestion = value;
				break;
			}

			case '@message': {
				message = value;
				break;
			}

			default:
		}
	}

	if (ptr === undefined || message === undefined) {
		return undefined;
	}

	return {ptr, timestamp: parseInsightsTime(timestamp), ingestionTime: parseInsightsTime(ingestion), message};
}
