import ipaddr from 'ipaddr.js';
import type {
	Aggregate,
	AggregateFunction,
	Command,
	ComparisonOperator,
	Expression,
	NamedExpression,
	Query,
	SortKey,
	SubnetFunction,
} from './ast.js';
import {tokenize, type Token} from './lexer.js';
import {MalformedQueryError, unexpectedSymbol} from './malformed.js';
import {Glob} from './glob.js';
import {Pattern} from './pattern.js';

/**
 * Parses the Logs Insights subset the endpoint evaluates. Everything outside it is refused the
 * way StartQuery refuses a query it cannot compile, so a client that leans on an unsupported
 * construct finds out against the demo, not in production.
 */
export function parseQuery(text: string): Query {
	return new Parser(text).query();
}

const keywords = new Set(['and', 'or', 'not', 'in', 'like', 'as', 'by', 'asc', 'desc']);
const comparisons = new Set<string>(['=', '!=', '<', '<=', '>', '>=']);

type ScalarFunction = SubnetFunction | 'ispresent' | 'bin' | 'toMillis';

const scalarFunctions: ReadonlyMap<string, ScalarFunction> = new Map(
	(['isIpv4InSubnet', 'isIpv6InSubnet', 'isIpInSubnet', 'ispresent', 'bin', 'toMillis'] as const).map(name => [
		name.toLowerCase(),
		name,
	]),
);

const aggregateFunctions: ReadonlySet<string> = new Set<AggregateFunction>([
	'count',
	'count_distinct',
	'sum',
	'avg',
	'min',
	'max',
]);

function compileRegex(source: string, token: Token): Pattern {
	try {
		return Pattern.compile(source);
	} catch {
		throw new MalformedQueryError(
			`invalid regular expression /${source}/ at position ${token.start}`,
			token.start,
			token.end,
		);
	}
}

class Parser {
	private readonly tokens: Token[];
	private index = 0;
	private previousEnd = 0;

	constructor(private readonly text: string) {
		this.tokens = tokenize(text);
	}

	query(): Query {
		if (this.peek().kind === 'end') {
			throw new MalformedQueryError('the query is empty', 0, 0);
		}

		const commands: Command[] = [this.command()];
		while (this.acceptSymbol('|')) {
			commands.push(this.command());
		}

		const rest = this.peek();
		if (rest.kind !== 'end') {
			throw this.unexpected(rest);
		}

		return {commands};
	}

	private command(): Command {
		const head = this.next();
		if (head.kind !== 'word' || head.quoted) {
			throw this.unexpected(head);
		}

		switch (head.text.toLowerCase()) {
			case 'fields': {
				return {kind: 'fields', items: this.list(() => this.namedExpression())};
			}

			case 'display': {
				return {kind: 'display', names: this.list(() => this.fieldName())};
			}

			case 'filter': {
				return {kind: 'filter', condition: this.expression()};
			}

			case 'parse': {
				return this.parse();
			}

			case 'stats': {
				return this.stats();
			}

			case 'sort': {
				return {kind: 'sort', keys: this.list(() => this.sortKey())};
			}

			case 'limit': {
				const count = this.next();
				if (count.kind !== 'number' || !Number.isInteger(count.value) || count.value < 1) {
					throw this.unexpected(count);
				}

				return {kind: 'limit', count: count.value};
			}

			default: {
				throw this.unexpected(head);
			}
		}
	}

	private parse(): Command {
		let source = '@message';
		if (this.peek().kind === 'word') {
			source = this.fieldName();
		}

		const pattern = this.next();
		if (pattern.kind === 'regex') {
			const regex = compileRegex(pattern.text, pattern);
			const names = [...pattern.text.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map(match => match[1]!);
			if (names.length === 0) {
				throw new MalformedQueryError(
					'a parse regular expression needs named groups such as (?<name>...)',
					pattern.start,
					pattern.end,
				);
			}

			return {kind: 'parse', source, form: 'regex', pattern: regex, names};
		}

		if (pattern.kind !== 'string') {
			throw this.unexpected(pattern);
		}

		this.expectKeyword('as');
		const names = this.list(() => this.fieldName());
		const captures = pattern.text.split('*').length - 1;
		if (captures !== names.length) {
			throw new MalformedQueryError(
				`the parse pattern has ${captures} wildcard${captures === 1 ? '' : 's'} but ${names.length} field name${names.length === 1 ? '' : 's'} follow as`,
				pattern.start,
				this.previousEnd,
			);
		}

		return {kind: 'parse', source, form: 'glob', pattern: new Glob(pattern.text), names};
	}

	private stats(): Command {
		const aggregates = this.list(() => this.aggregate());
		const groups = this.acceptKeyword('by') ? this.list(() => this.namedExpression()) : [];
		return {kind: 'stats', aggregates, groups};
	}

	private aggregate(): Aggregate {
		const head = this.next();
		const fn = head.text.toLowerCase();
		if (head.kind !== 'word' || head.quoted || !aggregateFunctions.has(fn)) {
			throw this.unexpected(head);
		}

		this.expectSymbol('(');
		let arg: Expression | undefined;
		if (this.acceptSymbol('*')) {
			if (fn !== 'count') {
				throw new MalformedQueryError(`${fn}(*) is not allowed: only count takes *`, head.start, this.previousEnd);
			}
		} else if (!(fn === 'count' && this.peekSymbol(')'))) {
			arg = this.expression();
		}

		this.expectSymbol(')');
		const written = this.text.slice(head.start, this.previousEnd);
		const name = this.acceptKeyword('as') ? this.fieldName() : written;
		return {fn: fn as AggregateFunction, arg, name};
	}

	private sortKey(): SortKey {
		const expression = this.expression();
		if (this.acceptKeyword('desc')) {
			return {expression, descending: true};
		}

		this.acceptKeyword('asc');
		return {expression, descending: false};
	}

	private namedExpression(): NamedExpression {
		const start = this.peek().start;
		const expression = this.expression();
		const written = expression.kind === 'field' ? expression.name : this.text.slice(start, this.previousEnd);
		return {expression, name: this.acceptKeyword('as') ? this.fieldName() : written};
	}

	private expression(): Expression {
		let left = this.conjunction();
		while (this.acceptKeyword('or')) {
			left = {kind: 'logical', operator: 'or', left, right: this.conjunction()};
		}

		return left;
	}

	private conjunction(): Expression {
		let left = this.negation();
		while (this.acceptKeyword('and')) {
			left = {kind: 'logical', operator: 'and', left, right: this.negation()};
		}

		return left;
	}

	private negation(): Expression {
		if (this.acceptKeyword('not')) {
			return {kind: 'not', operand: this.negation()};
		}

		return this.comparison();
	}

	private comparison(): Expression {
		const left = this.additive();
		const next = this.peek();
		if (next.kind === 'symbol' && comparisons.has(next.text)) {
			this.next();
			return {kind: 'compare', operator: next.text as ComparisonOperator, left, right: this.additive()};
		}

		if (next.kind === 'symbol' && next.text === '=~') {
			this.next();
			return this.like(left);
		}

		const negated = this.isKeyword(next, 'not') && ['like', 'in'].some(word => this.isKeyword(this.peek(1), word));
		if (negated) {
			this.next();
		}

		let matched: Expression | undefined;
		if (this.acceptKeyword('like')) {
			matched = this.like(left);
		} else if (this.acceptKeyword('in')) {
			matched = {kind: 'in', subject: left, list: this.inList()};
		}

		if (!matched) {
			return left;
		}

		return negated ? {kind: 'not', operand: matched} : matched;
	}

	private like(subject: Expression): Expression {
		const pattern = this.next();
		if (pattern.kind === 'regex') {
			return {kind: 'like', subject, pattern: compileRegex(pattern.text, pattern)};
		}

		if (pattern.kind === 'string') {
			return {kind: 'like', subject, pattern: pattern.text};
		}

		throw this.unexpected(pattern);
	}

	private inList(): Array<string | number> {
		this.expectSymbol('[');
		const list = this.list(() => {
			const item = this.next();
			if (item.kind === 'string') {
				return item.text;
			}

			if (item.kind === 'number') {
				return item.value;
			}

			throw this.unexpected(item);
		});
		this.expectSymbol(']');
		return list;
	}

	private additive(): Expression {
		let left = this.multiplicative();
		for (;;) {
			const next = this.peek();
			if (next.kind !== 'symbol' || (next.text !== '+' && next.text !== '-')) {
				return left;
			}

			this.next();
			left = {kind: 'arithmetic', operator: next.text, left, right: this.multiplicative()};
		}
	}

	private multiplicative(): Expression {
		let left = this.unary();
		for (;;) {
			const next = this.peek();
			if (next.kind !== 'symbol' || (next.text !== '*' && next.text !== '/' && next.text !== '%')) {
				return left;
			}

			this.next();
			left = {kind: 'arithmetic', operator: next.text, left, right: this.unary()};
		}
	}

	private unary(): Expression {
		if (this.acceptSymbol('-')) {
			return {kind: 'negate', operand: this.unary()};
		}

		return this.primary();
	}

	private primary(): Expression {
		const token = this.next();
		switch (token.kind) {
			case 'number': {
				return {kind: 'literal', value: token.value};
			}

			case 'string': {
				return {kind: 'literal', value: token.text};
			}

			case 'symbol': {
				if (token.text === '(') {
					const inner = this.expression();
					this.expectSymbol(')');
					return inner;
				}

				throw this.unexpected(token);
			}

			case 'word': {
				if (!token.quoted && this.peekSymbol('(')) {
					return this.call(token);
				}

				if (!token.quoted && keywords.has(token.text.toLowerCase())) {
					throw this.unexpected(token);
				}

				return {kind: 'field', name: token.text};
			}

			default: {
				throw this.unexpected(token);
			}
		}
	}

	private call(head: Token): Expression {
		const name = scalarFunctions.get(head.text.toLowerCase());
		if (!name) {
			const aggregate = aggregateFunctions.has(head.text.toLowerCase());
			const what = aggregate
				? `aggregate function ${head.text} is only allowed in stats`
				: `function ${head.text} is not supported`;
			throw new MalformedQueryError(what, head.start, head.end);
		}

		this.expectSymbol('(');
		let call: Expression;
		switch (name) {
			case 'bin': {
				const period = this.next();
				if (period.kind !== 'period') {
					throw new MalformedQueryError('bin expects one time period, such as bin(5m)', period.start, period.end);
				}

				call = {kind: 'bin', milliseconds: period.value};
				break;
			}

			case 'ispresent': {
				call = {kind: 'ispresent', name: this.fieldName()};
				break;
			}

			// Documented as toMillis(fieldName: Timestamp): a field, not an expression.
			case 'toMillis': {
				call = {kind: 'toMillis', name: this.fieldName()};
				break;
			}

			default: {
				const subject = this.expression();
				this.expectSymbol(',');
				const subnet = this.next();
				if (subnet.kind !== 'string') {
					throw this.unexpected(subnet);
				}

				this.checkSubnet(name, subnet);
				call = {kind: 'inSubnet', fn: name, subject, cidr: subnet.text};
			}
		}

		this.expectSymbol(')');
		return call;
	}

	private checkSubnet(fn: SubnetFunction, subnet: Token): void {
		let kind: string;
		try {
			kind = ipaddr.parseCIDR(subnet.text)[0].kind();
		} catch {
			throw new MalformedQueryError(
				`${fn} expects a subnet in CIDR notation, not "${subnet.text}"`,
				subnet.start,
				subnet.end,
			);
		}

		if ((fn === 'isIpv4InSubnet' && kind !== 'ipv4') || (fn === 'isIpv6InSubnet' && kind !== 'ipv6')) {
			const family = fn === 'isIpv4InSubnet' ? 'IPv4' : 'IPv6';
			throw new MalformedQueryError(
				`${fn} expects an ${family} subnet, not "${subnet.text}"`,
				subnet.start,
				subnet.end,
			);
		}
	}

	private fieldName(): string {
		const token = this.next();
		if (token.kind !== 'word' || (!token.quoted && keywords.has(token.text.toLowerCase()))) {
			throw this.unexpected(token);
		}

		return token.text;
	}

	private list<T>(item: () => T): T[] {
		const items = [item()];
		while (this.acceptSymbol(',')) {
			items.push(item());
		}

		return items;
	}

	private peek(ahead = 0): Token {
		return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)]!;
	}

	private next(): Token {
		const token = this.peek();
		if (token.kind !== 'end') {
			this.index++;
			this.previousEnd = token.end;
		}

		return token;
	}

	private isKeyword(token: Token, word: string): boolean {
		return token.kind === 'word' && !token.quoted && token.text.toLowerCase() === word;
	}

	private acceptKeyword(word: string): boolean {
		if (this.isKeyword(this.peek(), word)) {
			this.next();
			return true;
		}

		return false;
	}

	private expectKeyword(word: string): void {
		if (!this.acceptKeyword(word)) {
			throw this.unexpected(this.peek());
		}
	}

	private peekSymbol(symbol: string): boolean {
		const token = this.peek();
		return token.kind === 'symbol' && token.text === symbol;
	}

	private acceptSymbol(symbol: string): boolean {
		if (this.peekSymbol(symbol)) {
			this.next();
			return true;
		}

		return false;
	}

	private expectSymbol(symbol: string): void {
		if (!this.acceptSymbol(symbol)) {
			throw this.unexpected(this.peek());
		}
	}

	private unexpected(token: Token): MalformedQueryError {
		const symbol = token.kind === 'end' ? '<EOF>' : this.text.slice(token.start, token.end);
		return unexpectedSymbol(this.text, symbol, token.start, token.end);
	}
}
