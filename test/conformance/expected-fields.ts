import {isFieldName} from '../../source/flowlog/fields.js';
import type {FieldExpectation} from './pair.js';

/** `log_status` → `log-status`: every underscore name in the corpus is the AWS name so spelt. */
export function hyphenate(name: string): string {
	return name.replaceAll('_', '-');
}

// Sources write times as epoch numbers, digit strings or ISO-8601; flowtop gives epoch seconds.
function epochSeconds(value: unknown): string {
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) {
		return String(value);
	}

	const milliseconds = typeof value === 'string' ? Date.parse(value) : Number.NaN;
	if (!Number.isInteger(milliseconds / 1000)) {
		throw new TypeError(`not a time in whole seconds: ${JSON.stringify(value)}`);
	}

	return String(milliseconds / 1000);
}

/** A source value as a canonical string, or undefined for the placeholders that mean absent. */
export function canonicalValue(field: string, value: unknown): string | undefined {
	if (value === null || value === undefined || value === '-') {
		return undefined;
	}

	if (field === 'start' || field === 'end') {
		return epochSeconds(value);
	}

	if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) {
		return String(value);
	}

	throw new TypeError(`unexpected value for ${field}: ${JSON.stringify(value)}`);
}

/**
 * Collects one expected record. Several source keys may name the same AWS field (Elastic's
 * `source.ip` and `source.address`); they must agree, or the corpus itself is inconsistent.
 */
export class ExpectedFields {
	private readonly fields = new Map<string, string>();
	private readonly ignored = new Set<string>();
	private readonly folded = new Set<string>();

	constructor(private readonly origin: string) {}

	set(field: string, value: unknown, foldCase = false): void {
		if (!isFieldName(field)) {
			throw new Error(`${this.origin}: "${field}" is not an AWS flow-log field`);
		}

		const canonical = canonicalValue(field, value);
		if (foldCase) {
			this.folded.add(field);
		}

		if (canonical === undefined) {
			return;
		}

		const previous = this.fields.get(field);
		if (previous === undefined) {
			this.fields.set(field, canonical);
		} else if (!sameValue(previous, canonical, this.folded.has(field))) {
			throw new Error(`${this.origin}: ${field} is both "${previous}" and "${canonical}"`);
		}
	}

	ignore(fields: Iterable<string>): void {
		for (const field of fields) {
			this.ignored.add(field);
		}
	}

	build(partial = false): FieldExpectation {
		return {kind: 'fields', fields: this.fields, ignore: this.ignored, foldCase: this.folded, partial};
	}
}

/** A record keyed by underscore flow-log names (VRL, flowlogs-reader, Beats' original mode). */
export function fromUnderscoreNames(
	origin: string,
	values: Readonly<Record<string, unknown>>,
	partial = false,
): FieldExpectation {
	const expected = new ExpectedFields(origin);
	for (const [key, value] of Object.entries(values)) {
		expected.set(hyphenate(key), value);
	}

	return expected.build(partial);
}

export function sameValue(a: string, b: string, foldCase: boolean): boolean {
	return foldCase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * The documented meaning of a line without an independent oracle: format fields zipped with the
 * line's tokens. Used only where a source gives inputs but no parsed values (VRL "must parse",
 * AWS's own examples).
 */
export function positional(origin: string, fields: readonly string[], tokens: readonly string[]): FieldExpectation {
	if (fields.length !== tokens.length) {
		throw new Error(`${origin}: ${tokens.length} tokens for ${fields.length} fields`);
	}

	const expected = new ExpectedFields(origin);
	for (const [i, field] of fields.entries()) {
		expected.set(field, tokens[i]);
	}

	return expected.build();
}
