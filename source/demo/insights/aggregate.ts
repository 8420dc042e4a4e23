import type {Aggregate, NamedExpression} from './ast.js';
import {compileExpression, type Evaluator} from './expression.js';
import {MapRow, type Row} from './row.js';
import {naturalCompare, text, toNumber, type Value} from './value.js';

interface Accumulator {
	add(row: Row): void;
	result(): Value;
}

type AccumulatorFactory = () => Accumulator;

function extreme(evaluate: Evaluator, sign: 1 | -1): AccumulatorFactory {
	return () => {
		let best: Value;
		return {
			add(row) {
				const value = evaluate(row);
				if (value !== undefined && (best === undefined || sign * naturalCompare(value, best, false) > 0)) {
					best = value;
				}
			},
			result: () => best,
		};
	};
}

function numeric(evaluate: Evaluator, finish: (sum: number, count: number) => number): AccumulatorFactory {
	return () => {
		let sum = 0;
		let count = 0;
		return {
			add(row) {
				const value = toNumber(evaluate(row));
				if (value !== undefined) {
					sum += value;
					count++;
				}
			},
			result: () => (count === 0 ? undefined : finish(sum, count)),
		};
	};
}

function factory(aggregate: Aggregate): AccumulatorFactory {
	if (aggregate.arg === undefined) {
		return () => {
			let count = 0;
			return {
				add() {
					count++;
				},
				result: () => count,
			};
		};
	}

	const evaluate = compileExpression(aggregate.arg);
	switch (aggregate.fn) {
		case 'count': {
			return () => {
				let count = 0;
				return {
					add(row) {
						if (evaluate(row) !== undefined) {
							count++;
						}
					},
					result: () => count,
				};
			};
		}

		case 'count_distinct': {
			return () => {
				const seen = new Set<string>();
				return {
					add(row) {
						const value = evaluate(row);
						if (value !== undefined) {
							seen.add(text(value));
						}
					},
					result: () => seen.size,
				};
			};
		}

		case 'sum': {
			return numeric(evaluate, sum => sum);
		}

		case 'avg': {
			return numeric(evaluate, (sum, count) => sum / count);
		}

		case 'min': {
			return extreme(evaluate, -1);
		}

		case 'max': {
			return extreme(evaluate, 1);
		}
	}
}

// A time by its milliseconds: bin(1m) makes a Date for every record, and printing it was most of a group's key.
function groupKey(values: readonly Value[]): string {
	let key = '';
	for (const value of values) {
		key += value === undefined ? '\u0001' : `${typeof value}:${value instanceof Date ? value.getTime() : value}\u0000`;
	}

	return key;
}

/**
 * `stats`: one row per distinct combination of the `by` values (records missing a `by` field form
 * their own group, with that field absent), holding the group values and then the aggregates. A
 * row with no value at all (a `stats` over fields the group lacks) is no row, as the service has it.
 * Rows are added one at a time, so a query over millions of records holds its groups, not its rows.
 */
export class Aggregation {
	private readonly factories: readonly AccumulatorFactory[];
	private readonly groupBy: readonly Evaluator[];
	private readonly buckets = new Map<string, {keys: Value[]; accumulators: Accumulator[]}>();

	constructor(
		private readonly aggregates: readonly Aggregate[],
		private readonly groups: readonly NamedExpression[],
	) {
		this.factories = aggregates.map(aggregate => factory(aggregate));
		this.groupBy = groups.map(group => compileExpression(group.expression));
	}

	add(row: Row): void {
		const keys = this.groupBy.map(evaluate => evaluate(row));
		const key = groupKey(keys);
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = {keys, accumulators: this.factories.map(make => make())};
			this.buckets.set(key, bucket);
		}

		for (const accumulator of bucket.accumulators) {
			accumulator.add(row);
		}
	}

	/** The groups, in the order they appeared, up to `max` of them. */
	rows(max = Number.POSITIVE_INFINITY): Row[] {
		const result: Row[] = [];
		for (const {keys, accumulators} of this.buckets.values()) {
			if (result.length >= max) {
				break;
			}

			const row = statsRow(
				this.groups,
				this.aggregates,
				keys,
				accumulators.map(accumulator => accumulator.result()),
			);
			if (row) {
				result.push(row);
			}
		}

		return result;
	}
}

/** A group's row: its `by` values, then its aggregates; none when it has no value at all. */
export function statsRow(
	groups: readonly NamedExpression[],
	aggregates: readonly Aggregate[],
	keys: readonly Value[],
	results: readonly Value[],
): Row | undefined {
	const values = new Map<string, Value>();
	for (const [i, group] of groups.entries()) {
		values.set(group.name, keys[i]);
	}

	for (const [i, aggregate] of aggregates.entries()) {
		values.set(aggregate.name, results[i]);
	}

	return [...values.values()].some(value => value !== undefined) ? new MapRow(values) : undefined;
}

/** `stats` over rows already at hand: a later stats, over the groups of an earlier one. */
export function aggregateRows(
	rows: readonly Row[],
	aggregates: readonly Aggregate[],
	groups: readonly NamedExpression[],
): Row[] {
	const aggregation = new Aggregation(aggregates, groups);
	for (const row of rows) {
		aggregation.add(row);
	}

	return aggregation.rows();
}
