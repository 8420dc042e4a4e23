import type {Filter, PortRange} from '../../engine/filter.js';
import type {Action} from '../../flowlog/record.js';
import {fieldSpec} from '../../flowlog/fields.js';
import type {FlowFormat} from '../../flowlog/format.js';
import type {AddressMatcher} from '../../net/address.js';

/**
 * The Filter as a Logs Insights condition over the fields Insights knows by name (auto-discovered
 * for the default format, `parse`d for a custom one).
 *
 * Each clause means exactly what matchesFilter means locally: a record that lacks a field (a `-`,
 * a NODATA record, a format without the column) matches no value of that field on either side.
 * That exactness is what lets a backfill query say `not (<old filter>)` and trust it.
 */

/** A kind's condition: text, or `false` when the format has none of its fields (nothing can match). */
type Clause = string | false;

type FieldName = 'interface-id' | 'srcaddr' | 'dstaddr' | 'srcport' | 'dstport' | 'protocol' | 'action';

type Fields = (name: FieldName) => string | undefined;

function quote(text: string): string {
	return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function fieldsOf(format: FlowFormat): Fields {
	const present = new Set(format.fields);
	return name => (present.has(name) ? fieldSpec(name)!.insights : undefined);
}

function anyOf(terms: readonly string[]): string {
	return terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`;
}

function oneOf(field: string, values: ReadonlyArray<string | number>): string {
	const literal = (value: string | number) => (typeof value === 'number' ? String(value) : quote(value));
	return values.length === 1 ? `${field} = ${literal(values[0]!)}` : `${field} in [${values.map(value => literal(value)).join(', ')}]`;
}

function valuesClause(field: string | undefined, values: ReadonlyArray<string | number>): Clause {
	return field === undefined ? false : oneOf(field, values);
}

// isIpInSubnet would take either family, but the family-specific functions say what is meant and
// never match an address of the other family, as the local matcher does not.
function subnetTest(field: string, matcher: AddressMatcher): string {
	return `${matcher.family === 4 ? 'isIpv4InSubnet' : 'isIpv6InSubnet'}(${field}, ${quote(matcher.cidr)})`;
}

function addressClause(fields: ReadonlyArray<string | undefined>, matchers: readonly AddressMatcher[]): Clause {
	const present = fields.filter(field => field !== undefined);
	if (present.length === 0) {
		return false;
	}

	return anyOf(present.flatMap(field => matchers.map(matcher => subnetTest(field, matcher))));
}

function portTerms(field: string, ranges: readonly PortRange[]): string[] {
	const singles = ranges.filter(range => range.from === range.to).map(range => range.from);
	const spans = ranges.filter(range => range.from !== range.to);
	return [
		...(singles.length > 0 ? [oneOf(field, singles)] : []),
		...spans.map(range => `(${field} >= ${range.from} and ${field} <= ${range.to})`),
	];
}

function portClause(fields: ReadonlyArray<string | undefined>, ranges: readonly PortRange[]): Clause {
	const present = fields.filter(field => field !== undefined);
	return present.length === 0 ? false : anyOf(present.flatMap(field => portTerms(field, ranges)));
}

// Keyed by every kind of Filter, so a kind added to the model fails to compile until it is pushed down.
const clauses: {readonly [K in keyof Filter]: (values: Filter[K], fields: Fields) => Clause} = {
	enis: (enis: readonly string[], fields) => valuesClause(fields('interface-id'), enis),
	addresses: (matchers: readonly AddressMatcher[], fields) => addressClause([fields('srcaddr'), fields('dstaddr')], matchers),
	sources: (matchers: readonly AddressMatcher[], fields) => addressClause([fields('srcaddr')], matchers),
	destinations: (matchers: readonly AddressMatcher[], fields) => addressClause([fields('dstaddr')], matchers),
	ports: (ranges: readonly PortRange[], fields) => portClause([fields('srcport'), fields('dstport')], ranges),
	protocols: (protocols: readonly number[], fields) => valuesClause(fields('protocol'), protocols),
	actions: (actions: readonly Action[], fields) => valuesClause(fields('action'), actions),
};

function kindClauses(filter: Filter, format: FlowFormat): Clause[] {
	const fields = fieldsOf(format);
	const result: Clause[] = [];
	for (const kind of Object.keys(clauses) as Array<keyof Filter>) {
		const values = filter[kind];
		if (values.length > 0) {
			result.push((clauses[kind] as (values: unknown, fields: Fields) => Clause)(values, fields));
		}
	}

	return result;
}

/**
 * What can be pushed down of a filter: the clauses the format has fields for, ANDed; undefined when
 * nothing can (an empty filter, or one on fields the format lacks). A clause left out only makes
 * the query return more: the local filter still drops what does not match.
 */
export function pushdownCondition(filter: Filter, format: FlowFormat): string | undefined {
	const texts = kindClauses(filter, format).filter(clause => clause !== false);
	return texts.length === 0 ? undefined : texts.join(' and ');
}

/**
 * The exact condition for "matches this filter": true for an empty filter (every record), false
 * when it needs a field the format lacks (no record can match it locally).
 */
export function exactCondition(filter: Filter, format: FlowFormat): string | boolean {
	const all = kindClauses(filter, format);
	if (all.includes(false)) {
		return false;
	}

	return all.length === 0 ? true : (all as string[]).join(' and ');
}

