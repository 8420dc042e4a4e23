import {aggregateRows} from './aggregate.js';
import type {Command, Query} from './ast.js';
import {compileExpression, truthy} from './expression.js';
import type {Row} from './row.js';
import {naturalCompare, text, type Value} from './value.js';

/**
 * A command that looks at one row at a time, or one that needs all of them (stats, sort, limit).
 * A stats stage also says what it computes, so a scan can aggregate as it goes.
 */
type Stage =
	| {readonly kind: 'row'; readonly apply: (row: Row) => Row | undefined}
	| {
			readonly kind: 'all';
			readonly apply: (rows: readonly Row[]) => Row[];
			readonly stats?: Pick<Extract<Command, {kind: 'stats'}>, 'aggregates' | 'groups'>;
	  };

export interface Plan {
	/** The stages up to the first that needs every row: run as each record is scanned. */
	readonly perRecord: readonly Stage[];
	/** The rest: run over the matched rows whenever results are asked for. */
	readonly tail: readonly Stage[];
	/** The fields each result row shows, in order. */
	readonly columns: readonly string[];
}

function stage(command: Command): Stage | undefined {
	switch (command.kind) {
		case 'fields': {
			const computed = command.items
				.filter(item => !(item.expression.kind === 'field' && item.expression.name === item.name))
				.map(item => ({name: item.name, evaluate: compileExpression(item.expression)}));
			if (computed.length === 0) {
				return undefined;
			}

			return {
				kind: 'row',
				apply: row => row.with(new Map(computed.map(({name, evaluate}) => [name, evaluate(row)]))),
			};
		}

		case 'display': {
			return undefined;
		}

		case 'filter': {
			const condition = compileExpression(command.condition);
			return {kind: 'row', apply: row => (truthy(condition(row)) ? row : undefined)};
		}

		case 'parse': {
			const {source, pattern, names} = command;
			const named = command.form === 'regex';
			return {
				kind: 'row',
				apply(row) {
					const value = row.get(source);
					const match = value === undefined ? undefined : pattern.exec(text(value));
					if (!match) {
						return row;
					}

					const captured = new Map<string, Value>();
					for (const [i, name] of names.entries()) {
						const part = match.group(named ? name : i + 1);
						if (part !== undefined) {
							captured.set(name, part);
						}
					}

					return row.with(captured);
				},
			};
		}

		case 'stats': {
			const {aggregates, groups} = command;
			return {kind: 'all', apply: rows => aggregateRows(rows, aggregates, groups), stats: {aggregates, groups}};
		}

		case 'sort': {
			const keys = command.keys.map(key => ({evaluate: compileExpression(key.expression), descending: key.descending}));
			return {
				kind: 'all',
				apply(rows) {
					const keyed = rows.map(row => ({row, values: keys.map(key => key.evaluate(row))}));
					keyed.sort((a, b) => {
						for (const [i, key] of keys.entries()) {
							const order = naturalCompare(a.values[i], b.values[i], key.descending);
							if (order !== 0) {
								return order;
							}
						}

						return 0;
					});
					return keyed.map(({row}) => row);
				},
			};
		}

		case 'limit': {
			const {count} = command;
			return {kind: 'all', apply: rows => rows.slice(0, count)};
		}
	}
}

function addUnique(list: string[], names: readonly string[]): void {
	for (const name of names) {
		if (!list.includes(name)) {
			list.push(name);
		}
	}
}

/**
 * Which fields the results show. Without `fields`/`display`, a record shows @timestamp and
 * @message (and what `parse` extracted); `fields` commands add up, `display` has the last word,
 * `stats` replaces records with its groups and aggregates. Records always carry @ptr, as AWS's do.
 */
function columnsOf(commands: readonly Command[]): string[] {
	let chosen: string[] | undefined;
	const parsed: string[] = [];
	// Rows stay log records until stats turns them into groups.
	let raw = true;
	for (const command of commands) {
		switch (command.kind) {
			case 'fields': {
				chosen ??= [];
				addUnique(
					chosen,
					command.items.map(item => item.name),
				);
				break;
			}

			case 'display': {
				chosen = [...command.names];
				break;
			}

			case 'parse': {
				addUnique(parsed, command.names);
				break;
			}

			case 'stats': {
				chosen = [...command.groups.map(group => group.name), ...command.aggregates.map(aggregate => aggregate.name)];
				raw = false;
				break;
			}

			default:
		}
	}

	const columns = chosen ?? ['@timestamp', '@message', ...parsed];
	if (raw) {
		addUnique(columns, ['@ptr']);
	}

	return columns;
}

export function planQuery(query: Query): Plan {
	const stages = query.commands.map(command => stage(command)).filter(candidate => candidate !== undefined);
	const firstAll = stages.findIndex(candidate => candidate.kind === 'all');
	const split = firstAll < 0 ? stages.length : firstAll;
	return {perRecord: stages.slice(0, split), tail: stages.slice(split), columns: columnsOf(query.commands)};
}
