/**
 * What a field holds while a query runs. Insights is loosely typed: a flow log's `bytes` is text
 * in the message yet compares as a number, so comparisons look at what a value reads as, and
 * timestamps stay Dates until they are printed the way GetQueryResults prints them.
 */
export type Value = string | number | boolean | Date | undefined;

const numeric = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

export function toNumber(value: Value): number | undefined {
	if (typeof value === 'number') {
		return value;
	}

	if (value instanceof Date) {
		return value.getTime();
	}

	if (typeof value === 'boolean') {
		return value ? 1 : 0;
	}

	return value !== undefined && numeric.test(value) ? Number(value) : undefined;
}

/** Equality as `=` sees it: numerically when both sides read as numbers, else as text. */
export function looseEquals(a: Value, b: Value): boolean {
	if (a === undefined || b === undefined) {
		return false;
	}

	const x = toNumber(a);
	const y = toNumber(b);
	if (x !== undefined && y !== undefined) {
		return x === y;
	}

	return text(a) === text(b);
}

/** Ordering as `<` sees it; undefined when either side is missing. */
export function looseCompare(a: Value, b: Value): number | undefined {
	if (a === undefined || b === undefined) {
		return undefined;
	}

	const x = toNumber(a);
	const y = toNumber(b);
	if (x !== undefined && y !== undefined) {
		return x - y;
	}

	const p = text(a);
	const q = text(b);
	return p < q ? -1 : p > q ? 1 : 0;
}

function pad(value: number, width: number): string {
	return String(value).padStart(width, '0');
}

/** `2024-05-01 12:00:00.000`, in UTC: how Insights prints @timestamp and bin(). */
export function formatTimestamp(date: Date): string {
	return (
		`${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)} ` +
		`${pad(date.getUTCHours(), 2)}:${pad(date.getUTCMinutes(), 2)}:${pad(date.getUTCSeconds(), 2)}.${pad(date.getUTCMilliseconds(), 3)}`
	);
}

export function text(value: Exclude<Value, undefined>): string {
	return value instanceof Date ? formatTimestamp(value) : String(value);
}

const chunk = /(\d+)|(\D+)/g;

function compareChunks(a: string, b: string): number {
	const left = a.match(chunk) ?? [];
	const right = b.match(chunk) ?? [];
	for (let i = 0; i < Math.min(left.length, right.length); i++) {
		const p = left[i]!;
		const q = right[i]!;
		const digits = /^\d/.test(p) && /^\d/.test(q);
		if (digits && p.length !== q.length) {
			return p.length - q.length;
		}

		if (p !== q) {
			return p < q ? -1 : 1;
		}
	}

	return left.length - right.length;
}

/**
 * The order `sort ... asc` gives, after AWS's description of its natural sort: every value that
 * is not a number comes before every number; numbers by value; other text in chunks, runs of
 * digits by length and then value, the rest by code unit. Missing values go last either way.
 */
export function naturalCompare(a: Value, b: Value, descending: boolean): number {
	if (a === undefined || b === undefined) {
		return a === b ? 0 : a === undefined ? 1 : -1;
	}

	const x = toNumber(a);
	const y = toNumber(b);
	let order: number;
	if (x !== undefined && y !== undefined) {
		order = x - y;
	} else if (x !== undefined) {
		order = 1;
	} else if (y !== undefined) {
		order = -1;
	} else {
		order = compareChunks(text(a), text(b));
	}

	return descending ? -order : order;
}
