import type {Expression} from './ast.js';
import type {Row} from './row.js';
import {subnetTest} from './subnet.js';
import {looseCompare, looseEquals, text, toNumber, type Value} from './value.js';

/** Expressions only read fields, so anything that can read one is enough. */
export type Evaluator = (row: Pick<Row, 'get'>) => Value;

export function truthy(value: Value): boolean {
	if (typeof value === 'number') {
		return value !== 0;
	}

	return value !== undefined && value !== false && value !== '';
}

export function arithmetic(operator: string, x: number, y: number): number | undefined {
	switch (operator) {
		case '+': {
			return x + y;
		}

		case '-': {
			return x - y;
		}

		case '*': {
			return x * y;
		}

		case '/': {
			return y === 0 ? undefined : x / y;
		}

		default: {
			return y === 0 ? undefined : x % y;
		}
	}
}

/**
 * `in` over a list of literals, as `=` against each item would answer but in one lookup: the lists
 * flowtop's aggregate queries send name hundreds of addresses, and every record asks.
 */
function membership(items: readonly (string | number)[]): (value: Value) => boolean {
	const numbers = new Set<number>();
	const numericTexts = new Set<string>();
	const texts = new Set<string>();
	for (const item of items) {
		const number = toNumber(item);
		if (number === undefined) {
			texts.add(text(item));
		} else {
			numbers.add(number);
			numericTexts.add(text(item));
		}
	}

	if (numbers.size === 0) {
		// A list of text only (addresses, names): only the text a value is written as can match.
		return value => value !== undefined && texts.has(text(value));
	}

	return value => {
		if (value === undefined) {
			return false;
		}

		const written = text(value);
		if (texts.has(written)) {
			return true;
		}

		const number = toNumber(value);
		return number === undefined ? numericTexts.has(written) : numbers.has(number);
	};
}

/** Turns a parsed expression into a function of a row, once per query rather than once per row. */
export function compileExpression(expression: Expression): Evaluator {
	switch (expression.kind) {
		case 'literal': {
			const {value} = expression;
			return () => value;
		}

		case 'field': {
			const {name} = expression;
			return row => row.get(name);
		}

		case 'negate': {
			const operand = compileExpression(expression.operand);
			return row => {
				const value = toNumber(operand(row));
				return value === undefined ? undefined : -value;
			};
		}

		case 'not': {
			const operand = compileExpression(expression.operand);
			return row => !truthy(operand(row));
		}

		case 'logical': {
			const left = compileExpression(expression.left);
			const right = compileExpression(expression.right);
			return expression.operator === 'and'
				? row => truthy(left(row)) && truthy(right(row))
				: row => truthy(left(row)) || truthy(right(row));
		}

		case 'compare': {
			const left = compileExpression(expression.left);
			const right = compileExpression(expression.right);
			switch (expression.operator) {
				case '=': {
					return row => looseEquals(left(row), right(row));
				}

				case '!=': {
					return row => {
						const a = left(row);
						const b = right(row);
						return a !== undefined && b !== undefined && !looseEquals(a, b);
					};
				}

				default: {
					const test = {
						'<': (n: number) => n < 0,
						'<=': (n: number) => n <= 0,
						'>': (n: number) => n > 0,
						'>=': (n: number) => n >= 0,
					}[expression.operator];
					return row => {
						const order = looseCompare(left(row), right(row));
						return order !== undefined && test(order);
					};
				}
			}
		}

		case 'arithmetic': {
			const left = compileExpression(expression.left);
			const right = compileExpression(expression.right);
			const {operator} = expression;
			return row => {
				const x = toNumber(left(row));
				const y = toNumber(right(row));
				return x === undefined || y === undefined ? undefined : arithmetic(operator, x, y);
			};
		}

		case 'like': {
			const subject = compileExpression(expression.subject);
			const {pattern} = expression;
			if (typeof pattern === 'string') {
				return row => {
					const value = subject(row);
					return value !== undefined && text(value).includes(pattern);
				};
			}

			return row => {
				const value = subject(row);
				return value !== undefined && pattern.test(text(value));
			};
		}

		case 'in': {
			const subject = compileExpression(expression.subject);
			const isMember = membership(expression.list);
			return row => isMember(subject(row));
		}

		case 'ispresent': {
			const {name} = expression;
			return row => row.get(name) !== undefined;
		}

		case 'toMillis': {
			const {name} = expression;
			return row => {
				const time = row.get(name);
				return time instanceof Date ? time.getTime() : undefined;
			};
		}

		case 'bin': {
			const size = expression.milliseconds;
			return row => {
				const time = row.get('@timestamp');
				return time instanceof Date ? new Date(Math.floor(time.getTime() / size) * size) : undefined;
			};
		}

		case 'inSubnet': {
			const subject = compileExpression(expression.subject);
			const inSubnet = subnetTest(expression.fn, expression.cidr);
			return row => inSubnet(subject(row));
		}
	}
}
