import type {Command, ComparisonOperator, Expression, Query} from './ast.js';

/**
 * What a query's filters require of @ingestionTime, as a test of one ingestion time, or undefined
 * when they require nothing. A poller that asks for what reached CloudWatch since its last poll
 * (`filter toMillis(@ingestionTime) > a and toMillis(@ingestionTime) <= b`) wants a few seconds of
 * arrivals out of a window of millions of records; the endpoint stores events by delivery, each
 * delivery with one ingestion time, so it can pass over every delivery the test refuses without
 * reading a record of it. The filter still runs on what is read: this only skips what it would drop.
 */
export function ingestionWindow(query: Query): ((ingestionTime: number) => boolean) | undefined {
	const tests: Array<(time: number) => boolean> = [];
	for (const command of query.commands) {
		if (redefinesIngestionTime(command)) {
			break;
		}

		if (command.kind === 'stats' || command.kind === 'sort' || command.kind === 'limit') {
			break;
		}

		if (command.kind === 'filter') {
			for (const condition of conjuncts(command.condition)) {
				const test = comparison(condition);
				if (test) {
					tests.push(test);
				}
			}
		}
	}

	return tests.length === 0 ? undefined : time => tests.every(test => test(time));
}

function redefinesIngestionTime(command: Command): boolean {
	return (
		(command.kind === 'fields' && command.items.some(item => item.name === '@ingestionTime')) ||
		(command.kind === 'parse' && command.names.includes('@ingestionTime'))
	);
}

function conjuncts(condition: Expression): Expression[] {
	return condition.kind === 'logical' && condition.operator === 'and'
		? [...conjuncts(condition.left), ...conjuncts(condition.right)]
		: [condition];
}

const MIRRORED: Record<ComparisonOperator, ComparisonOperator> = {
	'=': '=',
	'!=': '!=',
	'<': '>',
	'<=': '>=',
	'>': '<',
	'>=': '<=',
};

function isIngestionMillis(expression: Expression): boolean {
	return expression.kind === 'toMillis' && expression.name === '@ingestionTime';
}

/** `toMillis(@ingestionTime) OP number`, either way round, as a test; undefined for any other condition. */
function comparison(condition: Expression): ((time: number) => boolean) | undefined {
	if (condition.kind !== 'compare') {
		return undefined;
	}

	const {left, right} = condition;
	const [operator, literal] = isIngestionMillis(left)
		? [condition.operator, right]
		: isIngestionMillis(right)
			? [MIRRORED[condition.operator], left]
			: [undefined, undefined];
	if (operator === undefined || literal?.kind !== 'literal' || typeof literal.value !== 'number') {
		return undefined;
	}

	const bound = literal.value;
	switch (operator) {
		case '=': {
			return time => time === bound;
		}

		case '!=': {
			return time => time !== bound;
		}

		case '<': {
			return time => time < bound;
		}

		case '<=': {
			return time => time <= bound;
		}

		case '>': {
			return time => time > bound;
		}

		case '>=': {
			return time => time >= bound;
		}
	}
}
