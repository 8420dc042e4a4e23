import type {ResultField} from '@aws-sdk/client-cloudwatch-logs';

/** One raw record of a query's results. */
export interface ResultRow {
	readonly ptr: string;
	/**
	 * What tells this record from every other: its @ptr and a hash of its message. AWS's @ptr alone
	 * would do, but moto numbers @ptr from 0 in each query's results.
	 */
	readonly key: string;
	/** Milliseconds since the epoch: for flow logs, the record's start. Undefined when the row did not say it readably. */
	readonly timestamp: number | undefined;
	/** When CloudWatch received it; undefined when the row did not say it readably (moto never does). */
	readonly ingestionTime: number | undefined;
	readonly message: string;
}

// Year 10000 and on is no time a log record can carry; Date would accept it and a request would not.
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const INSIGHTS_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)Z?$/;
const EPOCH_MILLISECONDS = /^\d{1,16}$/;

/**
 * A time as CloudWatch Logs-compatible endpoints print it, in milliseconds since the epoch:
 * `2024-05-01 12:05:00.000` in UTC (AWS), epoch milliseconds as text (moto) or as a number.
 * Undefined for anything else: a value that cannot be read is never guessed at.
 */
export function parseInsightsTime(value: unknown): number | undefined {
	let milliseconds: number | undefined;
	if (typeof value === 'number') {
		milliseconds = value;
	} else if (typeof value === 'string') {
		const text = value.trim();
		const printed = INSIGHTS_TIME.exec(text);
		if (printed) {
			// Stryker disable next-line MethodExpression: V8 reads a fraction of up to nine digits to the millisecond all the same
			milliseconds = Date.parse(`${printed[1]}T${printed[2]!.slice(0, 12)}Z`);
		} else if (EPOCH_MILLISECONDS.test(text)) {
			milliseconds = Number(text);
		}
	}

	// Stryker disable next-line ConditionalExpression: `undefined` is no safe integer either; the test is for the type checker
	return milliseconds !== undefined && Number.isSafeInteger(milliseconds) && milliseconds >= 0 && milliseconds <= LATEST
		? milliseconds
		: undefined;
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

	return {
		ptr,
		key: `${ptr}#${fnv1a(message)}`,
		timestamp: parseInsightsTime(timestamp),
		ingestionTime: parseInsightsTime(ingestion),
		message,
	};
}

/** 32-bit FNV-1a over UTF-16 code units, as 8 hex digits: cheap, and enough beside a @ptr. */
function fnv1a(text: string): string {
	let hash = 0x81_1c_9d_c5;
	// Stryker disable next-line EqualityOperator: a step past the end mixes in 0 and multiplies by an odd number, so keys that differed still differ
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01_00_01_93);
	}

	// Stryker disable next-line StringLiteral: unpadded hex tells hashes apart all the same; the padding is for reading
	return (hash >>> 0).toString(16).padStart(8, '0');
}
