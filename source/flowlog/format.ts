import {DEFAULT_FIELDS, FIELDS, fieldSpec, isFieldName} from './fields.js';
import {editDistance} from '../text/edit-distance.js';

/**
 * The layout of a flow-log record: which field sits in which column. Built from an AWS format
 * string (`${version} ${srcaddr} ...`, as given to CreateFlowLogs), from an S3 header line
 * (`version srcaddr ...`), or the default.
 */
export interface FlowFormat {
	readonly fields: readonly string[];
	/** True for the default v2 layout, whose fields Logs Insights discovers on its own. */
	readonly isDefault: boolean;
}

export class FormatError extends Error {
	override readonly name = 'FormatError';
}

export const DEFAULT_FORMAT: FlowFormat = {fields: DEFAULT_FIELDS, isDefault: true};

function closestField(name: string): string | undefined {
	let best: string | undefined;
	let bestDistance = 3;
	for (const spec of FIELDS) {
		const distance = editDistance(name, spec.name);
		if (distance < bestDistance) {
			best = spec.name;
			bestDistance = distance;
		}
	}

	return best;
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((name, i) => name === b[i]);
}

export function formatOf(fields: readonly string[]): FlowFormat {
	return {fields, isDefault: sameFields(fields, DEFAULT_FIELDS)};
}

/**
 * Parse `--format`: either AWS's `${field} ${field}` form or bare names separated by spaces.
 * Underscores are accepted for hyphens (`account_id`), the spelling several tools use.
 */
export function parseFormatString(text: string): FlowFormat {
	const tokens = text.trim().split(/\s+/).filter(Boolean);
	if (tokens.length === 0) {
		throw new FormatError('the format is empty: give field names such as "${version} ${srcaddr} ${dstaddr}"');
	}

	const fields: string[] = [];
	for (const token of tokens) {
		const match = /^\$\{([^}]*)\}$/.exec(token);
		const name = (match ? match[1]! : token).replaceAll('_', '-');
		if (!isFieldName(name)) {
			const guess = closestField(name);
			throw new FormatError(
				`unknown flow-log field "${name}" in the format${guess ? ` (did you mean ${guess}?)` : ''}`,
			);
		}

		if (fields.includes(name)) {
			throw new FormatError(`field "${name}" appears twice in the format`);
		}

		fields.push(name);
	}

	return formatOf(fields);
}

/** AWS's own spelling of a format, as CreateFlowLogs takes it. */
export function awsFormatString(format: FlowFormat): string {
	return format.fields.map(name => `\${${name}}`).join(' ');
}

/** The version AWS writes for records of this format: the highest version among its fields. */
export function formatVersion(format: FlowFormat): number {
	let version = 2;
	for (const name of format.fields) {
		version = Math.max(version, fieldSpec(name)?.version ?? 2);
	}

	return version;
}

const headerToken = /^[a-z][a-z0-9-]*$/;

/**
 * Recognise an S3-style header line: lower-case field names (hyphens, as AWS writes them). A data
 * line always holds a number, an address, an upper-case word, an id with digits or `-`, so it never
 * qualifies. A column AWS adds after this catalog was written is kept as an opaque text field, as
 * long as most columns are known.
 */
export function headerFormat(line: string): FlowFormat | undefined {
	const tokens = line.trim().split(/\s+/);
	if (tokens[0] === '' || !tokens.every(token => headerToken.test(token))) {
		return undefined;
	}

	const known = tokens.filter(token => isFieldName(token)).length;
	return known * 2 > tokens.length ? formatOf(tokens) : undefined;
}

export type FieldValues = Readonly<Record<string, string | number | undefined>>;

/** Write one record in a format, `-` for anything absent: what AWS puts in a log event. */
export function formatLine(values: FieldValues, format: FlowFormat): string {
	let line = '';
	for (const [i, name] of format.fields.entries()) {
		const value = values[name];
		if (i > 0) {
			line += ' ';
		}

		line += value === undefined || value === '' ? '-' : String(value);
	}

	return line;
}
