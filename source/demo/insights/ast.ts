import type {Glob} from './glob.js';
import type {Pattern} from './pattern.js';

/** The parsed form of a Logs Insights query: a pipeline of commands over rows of fields. */

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

export type Expression =
	| {readonly kind: 'literal'; readonly value: string | number}
	| {readonly kind: 'field'; readonly name: string}
	| {readonly kind: 'negate'; readonly operand: Expression}
	| {readonly kind: 'not'; readonly operand: Expression}
	| {readonly kind: 'logical'; readonly operator: 'and' | 'or'; readonly left: Expression; readonly right: Expression}
	| {
			readonly kind: 'compare';
			readonly operator: ComparisonOperator;
			readonly left: Expression;
			readonly right: Expression;
	  }
	| {
			readonly kind: 'arithmetic';
			readonly operator: ArithmeticOperator;
			readonly left: Expression;
			readonly right: Expression;
	  }
	/** `like "text"` matches a substring, `like /re/` and `=~ /re/` a regular expression. */
	| {readonly kind: 'like'; readonly subject: Expression; readonly pattern: string | Pattern}
	/** `in [22, "ssh"]`: the service takes literals only. */
	| {readonly kind: 'in'; readonly subject: Expression; readonly list: readonly (string | number)[]}
	/** `bin(5m)`: @timestamp rounded down to a multiple of the period. */
	| {readonly kind: 'bin'; readonly milliseconds: number}
	| {readonly kind: 'ispresent'; readonly name: string}
	/** `toMillis(@ingestionTime)`: a timestamp field as milliseconds since the epoch. */
	| {readonly kind: 'toMillis'; readonly name: string}
	| {readonly kind: 'inSubnet'; readonly fn: SubnetFunction; readonly subject: Expression; readonly cidr: string};

export type SubnetFunction = 'isIpv4InSubnet' | 'isIpv6InSubnet' | 'isIpInSubnet';

export type AggregateFunction = 'count' | 'count_distinct' | 'sum' | 'avg' | 'min' | 'max';

export interface Aggregate {
	readonly fn: AggregateFunction;
	/** Undefined for `count(*)` (and `count()`), which counts rows. */
	readonly arg: Expression | undefined;
	readonly name: string;
}

export interface NamedExpression {
	readonly expression: Expression;
	/** The alias, or the expression as written. */
	readonly name: string;
}

export interface SortKey {
	readonly expression: Expression;
	readonly descending: boolean;
}

export type Command =
	| {readonly kind: 'fields'; readonly items: readonly NamedExpression[]}
	| {readonly kind: 'display'; readonly names: readonly string[]}
	| {readonly kind: 'filter'; readonly condition: Expression}
	/**
	 * A glob is compiled to a regular expression whose groups, in order, fill `names`; the regex
	 * form names its own groups (`(?<name>...)`).
	 */
	| {
			readonly kind: 'parse';
			readonly source: string;
			readonly form: 'glob' | 'regex';
			readonly pattern: Pattern | Glob;
			readonly names: readonly string[];
	  }
	| {readonly kind: 'stats'; readonly aggregates: readonly Aggregate[]; readonly groups: readonly NamedExpression[]}
	| {readonly kind: 'sort'; readonly keys: readonly SortKey[]}
	| {readonly kind: 'limit'; readonly count: number};

export interface Query {
	readonly commands: readonly Command[];
}
