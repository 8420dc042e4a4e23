import {statsRow} from './aggregate.js';
import type {Aggregate, Command, Expression, NamedExpression, Query, SortKey} from './ast.js';
import type {Column, FieldValue} from './column.js';
import {arithmetic, compileExpression, type Evaluator, truthy} from './expression.js';
import type {FieldDictionary} from './field-dictionary.js';
import {DISCOVERED, type FieldSource, GlobSource} from './field-source.js';
import type {Glob} from './glob.js';
import {PairTable} from './pair-table.js';
import type {RecordBatch} from './record-batch.js';
import type {Row} from './row.js';
import {looseCompare, looseEquals, naturalCompare, toNumber, type Value} from './value.js';
import {ValueIds} from './value-ids.js';

/**
 * The queries flowtop polls with, `[parse @message "<glob>" as ...] | filter ... | stats ... by ...`,
 * evaluated over a block's columns instead of row by row: no object per record, a test on one
 * field worked out once per distinct value of the block, a group found by integer ids. Every
 * expression still means what expression.ts says it means: what is not worked out here runs
 * through compileExpression over a row that reads the columns, and a query of any other shape is
 * not taken (compileColumnStats gives undefined) and runs through the rows as before.
 */

/** One record's value of an expression, in the block it was bound to. */
type Eval = (index: number) => Value;
/** Whether one record passes a filter, in the block it was bound to. */
/**
 * A filter over the records [from, to) of a block: out[i - from] is 1 for each record that passes,
 * 0 for one that fails or that `active`, where given, leaves out (active[i - from] 0). A filter
 * is worked out a node at a time over the whole range, each in a tight loop, rather than a tree
 * of calls for each record: the verdicts of most nodes are a table lookup, and calling through
 * the tree cost more than the lookups.
 */
type Mask = (from: number, to: number, out: Uint8Array, active: Uint8Array | undefined) => void;

/** A buffer of at least `length` bytes, the last one given when it is long enough: for one node's own use between calls. */
function scratch(): (length: number) => Uint8Array {
	let buffer = new Uint8Array(0);
	return length => {
		if (buffer.length < length) {
			buffer = new Uint8Array(Math.max(length, 2 * buffer.length));
		}

		return buffer;
	};
}

/** `a and b`: b asked only of what a passes. */
function both(left: Bind<Mask>, right: Bind<Mask>): Bind<Mask> {
	return block => {
		const [l, r] = [left(block), right(block)];
		const passed = scratch();
		return (from, to, out, active) => {
			const own = passed(to - from);
			l(from, to, own, active);
			r(from, to, out, own);
		};
	};
}

/** `a or b`: b asked only of what a fails. */
function either(left: Bind<Mask>, right: Bind<Mask>): Bind<Mask> {
	return block => {
		const [l, r] = [left(block), right(block)];
		const [passed, rest] = [scratch(), scratch()];
		return (from, to, out, active) => {
			const own = passed(to - from);
			const others = rest(to - from);
			l(from, to, own, active);
			for (let i = 0; i < to - from; i++) {
				others[i] = (!active || active[i] === 1) && own[i] === 0 ? 1 : 0;
			}

			r(from, to, out, others);
			for (let i = 0; i < to - from; i++) {
				out[i] = out[i]! | own[i]!;
			}
		};
	};
}
/** What a block's records are read through, made once per block a query reads. */
type Bind<T> = (block: BoundBlock) => T;

/** The `parse` whose names are in effect where an expression stands: none before it. */
type Scope = GlobSource | undefined;

/** Where a field's value comes from. */
type Origin =
	| {readonly kind: 'column'; readonly slot: number}
	/** The same for every record of a delivery: @ingestionTime, @logStream, @log, or a field no record has. */
	| {readonly kind: 'block'; readonly read: (batch: RecordBatch) => Value}
	| {readonly kind: 'record'; readonly read: (batch: RecordBatch, index: number) => Value};

const SYSTEM: ReadonlyMap<string, Origin> = new Map<string, Origin>([
	['@timestamp', {kind: 'record', read: (batch, index) => new Date(batch.timestampAt(index))}],
	['@message', {kind: 'record', read: (batch, index) => batch.event(index).message}],
	['@ptr', {kind: 'record', read: (batch, index) => batch.event(index).ptr}],
	['@ingestionTime', {kind: 'block', read: batch => new Date(batch.ingestionTime)}],
	['@logStream', {kind: 'block', read: batch => batch.logStream}],
	['@log', {kind: 'block', read: batch => batch.log}],
]);
const ABSENT: Origin = {kind: 'block', read: () => undefined};

/** Every field name an expression reads, @timestamp for bin(). */
function namesIn(expression: Expression, names = new Set<string>()): Set<string> {
	switch (expression.kind) {
		case 'literal': {
			break;
		}

		case 'field':
		case 'ispresent':
		case 'toMillis': {
			names.add(expression.name);
			break;
		}

		case 'bin': {
			names.add('@timestamp');
			break;
		}

		case 'negate':
		case 'not': {
			namesIn(expression.operand, names);
			break;
		}

		case 'logical':
		case 'compare':
		case 'arithmetic': {
			namesIn(expression.left, names);
			namesIn(expression.right, names);
			break;
		}

		case 'like':
		case 'in':
		case 'inSubnet': {
			namesIn(expression.subject, names);
			break;
		}
	}

	return names;
}

/** A query's fields in the columns of one block. */
class BoundBlock {
	private readonly read = new Map<FieldSource, ReadonlyMap<string, Column>>();
	private readonly numbers: Array<Float64Array | undefined> = [];

	constructor(
		readonly batch: RecordBatch,
		private readonly stats: ColumnStats,
	) {}

	column(slot: number): Column {
		const {source, name} = this.stats.slots[slot]!;
		let column = this.read.get(source)?.get(name);
		if (!column) {
			// Every field the query reads through the source at once: one pass over the messages.
			const columns = this.batch.columns(source, this.stats.namesFrom(source), this.stats.dictionary);
			this.read.set(source, columns);
			column = columns.get(name)!;
		}

		return column;
	}

	/** Each distinct value of a column as toNumber reads it, NaN for one that is no number (toNumber never gives NaN). */
	numbersOf(slot: number): Float64Array {
		let numbers = this.numbers[slot];
		if (!numbers) {
			const {ids} = this.column(slot);
			const {dictionary} = this.stats;
			numbers = new Float64Array(ids.length);
			for (let code = 0; code < ids.length; code++) {
				numbers[code] = dictionary.numberOf(ids[code]!);
			}

			this.numbers[slot] = numbers;
		}

		return numbers;
	}

	row(scope: Scope): BlockRow {
		return new BlockRow(this, scope);
	}

	/** What the column ids stand for. */
	get values(): readonly FieldValue[] {
		return this.stats.dictionary.values;
	}

	origin(name: string, scope: Scope): Origin {
		return this.stats.origin(name, scope);
	}
}

/** A record of a bound block as a row, for what compileExpression evaluates: `index` says which. */
class BlockRow {
	index = 0;

	constructor(
		private readonly block: BoundBlock,
		private readonly scope: Scope,
	) {}

	get(name: string): Value {
		const origin = this.block.origin(name, this.scope);
		switch (origin.kind) {
			case 'column': {
				const {codes, ids} = this.block.column(origin.slot);
				return this.block.values[ids[codes[this.index]!]!];
			}

			case 'block': {
				return origin.read(this.block.batch);
			}

			case 'record': {
				return origin.read(this.block.batch, this.index);
			}
		}
	}
}

type Comparison = (a: Value, b: Value) => boolean;

const COMPARISONS: Record<Extract<Expression, {kind: 'compare'}>['operator'], Comparison> = {
	'=': looseEquals,
	'!=': (a, b) => a !== undefined && b !== undefined && !looseEquals(a, b),
	'<': (a, b) => (looseCompare(a, b) ?? Number.NaN) < 0,
	'<=': (a, b) => (looseCompare(a, b) ?? Number.NaN) <= 0,
	'>': (a, b) => (looseCompare(a, b) ?? Number.NaN) > 0,
	'>=': (a, b) => (looseCompare(a, b) ?? Number.NaN) >= 0,
};

/** The same comparisons on two numbers: what looseEquals and looseCompare come to when both sides read as numbers. */
const NUMERIC: Record<Extract<Expression, {kind: 'compare'}>['operator'], (x: number, y: number) => boolean> = {
	'=': (x, y) => x === y,
	'!=': (x, y) => x !== y,
	'<': (x, y) => x - y < 0,
	'<=': (x, y) => x - y <= 0,
	'>': (x, y) => x - y > 0,
	'>=': (x, y) => x - y >= 0,
};

/** An aggregate's per-group state, in arrays indexed by group. */
interface Accumulator {
	/** Room for this many groups, numbered from 0 in the order they appear. */
	readonly reserve: (groups: number) => void;
	readonly bind: Bind<(group: number, index: number) => void>;
	readonly result: (group: number) => Value;
}

/** What a query made for one block: its filters, its grouping and its aggregates over the block's columns. */
interface BoundQuery {
	/** Undefined where the query has no filter. */
	readonly select: Mask | undefined;
	readonly group: (index: number) => number;
	readonly add: ReadonlyArray<(group: number, index: number) => void>;
}

/** A one-column test's verdicts by store-wide id: 0 not yet asked, 1 false, 2 true. */
interface SharedVerdicts {
	verdicts: Uint8Array;
}

const verdictsByDictionary = new WeakMap<FieldDictionary, Map<string, SharedVerdicts>>();
/** Tests whose verdicts are kept per dictionary, the last used: a poll's parts ask a dozen or so. */
const KEPT_TESTS = 16;

/** A test's text for sharing its verdicts: undefined for one that holds a regular expression, which has no plain text here. */
function testKey(expression: Expression): string | undefined {
	let plain = true;
	const key = JSON.stringify(expression, (_name, value: unknown) => {
		if (
			typeof value === 'object' &&
			value !== null &&
			!Array.isArray(value) &&
			Object.getPrototypeOf(value) !== Object.prototype
		) {
			plain = false;
			return undefined;
		}

		return value;
	});
	return plain ? key : undefined;
}

/**
 * The verdicts of a one-column test (`srcAddr not in [...]`, `isIpInSubnet(dstAddr, ...)`) kept
 * across queries: a verdict depends on the value alone, and the parts of one aggregate poll ask the
 * same tests of every client address of the window, each of them once per query before.
 */
function sharedVerdicts(dictionary: FieldDictionary, key: string): SharedVerdicts {
	let tests = verdictsByDictionary.get(dictionary);
	if (!tests) {
		tests = new Map();
		verdictsByDictionary.set(dictionary, tests);
	}

	let shared = tests.get(key);
	if (shared) {
		tests.delete(key);
	} else {
		shared = {verdicts: new Uint8Array(0)};
		if (tests.size >= KEPT_TESTS) {
			tests.delete(tests.keys().next().value!);
		}
	}

	tests.set(key, shared);
	return shared;
}

export class ColumnStats {
	readonly slots: Array<{readonly source: FieldSource; readonly name: string}> = [];
	/** Where each name is read from by what comes after the `parse`, and by what comes before it. */
	private readonly parsed = new Map<string, Origin>();
	private readonly unparsed = new Map<string, Origin>();
	private readonly select: Bind<Mask> | undefined;
	private readonly selected = scratch();
	/** The value each key's ids stand for. */
	private readonly keyValues: Array<(id: number) => Value> = [];
	private readonly keys: Array<Bind<(index: number) => number>>;
	private readonly accumulators: Accumulator[];
	private readonly bound = new Map<RecordBatch, BoundQuery>();
	/** Level k > 0 maps a node of level k - 1 and an id of key k to a node of level k; level 0's nodes are key 0's ids. */
	private levels: PairTable[];
	/** The group of each node of the last level. */
	private groupOfNode = new Int32Array(1024).fill(-1);
	/** Each group's key ids, a row of `groups.length` per group, in the order groups appeared. */
	private groupIds = new Int32Array(1024);
	private groupCount = 0;
	/** Groups the accumulators have room for. */
	private capacity = 0;
	private pinned: FieldDictionary | undefined;

	constructor(
		private readonly glob: GlobSource | undefined,
		filters: ReadonlyArray<{readonly condition: Expression; readonly scope: Scope}>,
		private readonly aggregates: readonly Aggregate[],
		private readonly groups: readonly NamedExpression[],
	) {
		this.select = this.conjunction(filters.map(({condition, scope}) => this.condition(condition, scope)));
		this.keys = groups.map(group => this.key(group.expression));
		this.levels = groups.map(() => new PairTable());
		this.accumulators = aggregates.map(aggregate => this.accumulator(aggregate));
	}

	/** The dictionary every block is read in: the store's when the query read its first block. */
	get dictionary(): FieldDictionary {
		return this.pinned!;
	}

	/** The names the query reads through a source. */
	namesFrom(source: FieldSource): string[] {
		return this.slots.filter(slot => slot.source === source).map(slot => slot.name);
	}

	origin(name: string, scope: Scope): Origin {
		const known = scope ? this.parsed : this.unparsed;
		let origin = known.get(name);
		if (!origin) {
			origin = this.originOf(name, scope);
			known.set(name, origin);
		}

		return origin;
	}

	/** Adds the records [from, to) of a batch; returns how many made it through the filters. */
	add(batch: RecordBatch, from: number, to: number): number {
		this.pinned ??= batch.dictionary();
		let bound = this.bound.get(batch);
		if (!bound) {
			const block = new BoundBlock(batch, this);
			bound = {
				select: this.select?.(block),
				group: this.grouper(block),
				add: this.accumulators.map(accumulator => accumulator.bind(block)),
			};
			this.bound.set(batch, bound);
		}

		const {select, group, add} = bound;
		let mask: Uint8Array | undefined;
		if (select) {
			mask = this.selected(to - from);
			select(from, to, mask, undefined);
		}

		let matched = 0;
		for (let index = from; index < to; index++) {
			if (mask && mask[index - from] === 0) {
				continue;
			}

			matched++;
			const number = group(index);
			for (const accumulate of add) {
				accumulate(number, index);
			}
		}

		return matched;
	}

	/** A batch the query has read to its end: what was made for it goes. */
	finished(batch: RecordBatch): void {
		this.bound.delete(batch);
	}

	/**
	 * The query has read all it covers: what finds a record's group goes, the groups stay (a top list
	 * of a million groups kept for the next query sorted another way holds its sums, not its tables).
	 */
	seal(): void {
		this.bound.clear();
		this.levels = [];
		this.groupOfNode = new Int32Array(0);
	}

	/** The groups so far, as aggregate.ts makes them: in the order they appeared, up to `max` of them. */
	rows(max = Number.POSITIVE_INFINITY): Row[] {
		const rows: Row[] = [];
		for (let group = 0; group < this.groupCount && rows.length < max; group++) {
			const row = this.row(group);
			if (row) {
				rows.push(row);
			}
		}

		return rows;
	}

	/**
	 * The first `count` groups in the order `sort` would put them, as a stable sort then `limit`
	 * give them: `stats ... | sort sumBytes desc | limit 15` over a million groups keeps fifteen,
	 * rather than making a row of every group to sort them all.
	 */
	top(keys: readonly SortKey[], count: number): Row[] {
		const readers = keys.map(key => this.reader((key.expression as Extract<Expression, {kind: 'field'}>).name));
		const chosen: Array<{group: number; values: Value[]}> = [];
		const before = (values: readonly Value[], other: readonly Value[]): boolean => {
			for (let i = 0; i < keys.length; i++) {
				const order = naturalCompare(values[i], other[i], keys[i]!.descending);
				if (order !== 0) {
					return order < 0;
				}
			}

			// The one seen first stays first, as in a stable sort.
			return false;
		};

		const values: Value[] = [];
		for (let group = 0; group < this.groupCount && count > 0; group++) {
			for (let i = 0; i < readers.length; i++) {
				values[i] = readers[i]!(group);
			}

			if ((chosen.length === count && !before(values, chosen.at(-1)!.values)) || this.isEmpty(group)) {
				continue;
			}

			let at = chosen.length;
			while (at > 0 && before(values, chosen[at - 1]!.values)) {
				at--;
			}

			chosen.splice(at, 0, {group, values: [...values]});
			if (chosen.length > count) {
				chosen.pop();
			}
		}

		return chosen.map(({group}) => this.row(group)!);
	}

	/** A group's value of a field of its row: an aggregate's (the last of that name), else a key's. */
	private reader(name: string): (group: number) => Value {
		const aggregate = this.aggregates.map(candidate => candidate.name).lastIndexOf(name);
		if (aggregate >= 0) {
			const accumulator = this.accumulators[aggregate]!;
			return group => accumulator.result(group);
		}

		const key = this.groups.map(candidate => candidate.name).lastIndexOf(name);
		const width = this.groups.length;
		return key < 0 ? () => undefined : group => this.keyValues[key]!(this.groupIds[group * width + key]!);
	}

	/** A group with no value at all, which makes no row. */
	private isEmpty(group: number): boolean {
		const width = this.groups.length;
		return (
			this.keyValues.every((value, key) => value(this.groupIds[group * width + key]!) === undefined) &&
			this.accumulators.every(accumulator => accumulator.result(group) === undefined)
		);
	}

	private row(group: number): Row | undefined {
		const width = this.groups.length;
		return statsRow(
			this.groups,
			this.aggregates,
			this.keyValues.map((value, key) => value(this.groupIds[group * width + key]!)),
			this.accumulators.map(accumulator => accumulator.result(group)),
		);
	}

	private originOf(name: string, scope: Scope): Origin {
		const system = SYSTEM.get(name);
		if (system) {
			return system;
		}

		const source: FieldSource | undefined = scope?.names.includes(name)
			? scope
			: DISCOVERED.names.includes(name)
				? DISCOVERED
				: undefined;
		if (!source) {
			return ABSENT;
		}

		let slot = this.slots.findIndex(candidate => candidate.source === source && candidate.name === name);
		if (slot < 0) {
			slot = this.slots.push({source, name}) - 1;
		}

		return {kind: 'column', slot};
	}

	private conjunction(masks: ReadonlyArray<Bind<Mask>>): Bind<Mask> | undefined {
		return masks.reduce<Bind<Mask> | undefined>((left, right) => (left ? both(left, right) : right), undefined);
	}

	/**
	 * A filter's condition as a test of each record: `and`, `or` and `not` as tests of their own, and
	 * what reads one column and nothing else worked out once per value of the whole query (a verdict
	 * per dictionary id, every block sharing it) rather than once per value of each block. A busy
	 * VPC's ports and clients are new in nearly every block, and `dstPort in [...]` asked anew in
	 * each was most of what an aggregate poll's filters cost.
	 */
	private condition(expression: Expression, scope: Scope): Bind<Mask> {
		// A whole subtree of one column (`isIpInSubnet(srcAddr, a) or isIpInSubnet(srcAddr, b) ...`)
		// is one verdict per value, not one table and one evaluation per node.
		const names = [...namesIn(expression)];
		const origin = names.length === 1 ? this.origin(names[0]!, scope) : undefined;
		if (origin?.kind === 'column' && expression.kind !== 'field') {
			return this.verdictPerId(origin.slot, names[0]!, expression);
		}

		switch (expression.kind) {
			case 'logical': {
				const left = this.condition(expression.left, scope);
				const right = this.condition(expression.right, scope);
				return expression.operator === 'and' ? both(left, right) : either(left, right);
			}

			case 'not': {
				const operand = this.condition(expression.operand, scope);
				return block => {
					const o = operand(block);
					return (from, to, out, active) => {
						o(from, to, out, active);
						for (let i = 0; i < to - from; i++) {
							out[i] = active && active[i] === 0 ? 0 : out[i]! ^ 1;
						}
					};
				};
			}

			default: {
				const value = this.compile(expression, scope);
				return block => {
					const read = value(block);
					return (from, to, out, active) => {
						for (let index = from; index < to; index++) {
							out[index - from] = (!active || active[index - from] === 1) && truthy(read(index)) ? 1 : 0;
						}
					};
				};
			}
		}
	}

	/**
	 * A test of one column's value, its verdict kept by the value's store-wide id (0 not yet asked,
	 * 1 false, 2 true), and in each block by the block's code for it.
	 */
	private verdictPerId(slot: number, name: string, expression: Expression): Bind<Mask> {
		const general = compileExpression(expression);
		const key = testKey(expression);
		const row = {value: undefined as Value, get: (field: string) => (field === name ? row.value : undefined)};
		let shared: SharedVerdicts | undefined;
		const verdictOf = (id: number, values: readonly Value[]): number => {
			shared ??= key === undefined ? {verdicts: new Uint8Array(0)} : sharedVerdicts(this.dictionary, key);
			if (id >= shared.verdicts.length) {
				// Grown to the ids met, not to the dictionary: an action's or a status's few values keep it small.
				const larger = new Uint8Array(Math.max(id + 1, 2 * shared.verdicts.length));
				larger.set(shared.verdicts);
				shared.verdicts = larger;
			}

			let verdict = shared.verdicts[id]!;
			if (verdict === 0) {
				row.value = values[id];
				verdict = truthy(general(row)) ? 2 : 1;
				shared.verdicts[id] = verdict;
			}

			return verdict;
		};

		return block => {
			const {codes, ids} = block.column(slot);
			const {values} = block;
			const byCode = new Uint8Array(ids.length);
			return (from, to, out, active) => {
				for (let index = from; index < to; index++) {
					if (active && active[index - from] === 0) {
						out[index - from] = 0;
						continue;
					}

					const code = codes[index]!;
					let verdict = byCode[code]!;
					if (verdict === 0) {
						verdict = verdictOf(ids[code]!, values);
						byCode[code] = verdict;
					}

					out[index - from] = verdict >> 1;
				}
			};
		};
	}

	private compile(expression: Expression, scope: Scope): Bind<Eval> {
		if (expression.kind === 'field') {
			return this.field(expression.name, scope);
		}

		const origins = [...namesIn(expression)].map(name => this.origin(name, scope));
		const general = compileExpression(expression);
		if (origins.every(origin => origin.kind === 'block')) {
			return block => {
				const value = general(block.row(scope));
				return () => value;
			};
		}

		const columns = origins.filter(origin => origin.kind === 'column');
		if (columns.length === 1 && origins.every(origin => origin.kind !== 'record')) {
			return this.perValue(columns[0]!.slot, general, scope);
		}

		switch (expression.kind) {
			case 'logical': {
				const left = this.compile(expression.left, scope);
				const right = this.compile(expression.right, scope);
				return expression.operator === 'and'
					? block => {
							const [l, r] = [left(block), right(block)];
							return index => truthy(l(index)) && truthy(r(index));
						}
					: block => {
							const [l, r] = [left(block), right(block)];
							return index => truthy(l(index)) || truthy(r(index));
						};
			}

			case 'not': {
				const operand = this.compile(expression.operand, scope);
				return block => {
					const o = operand(block);
					return index => !truthy(o(index));
				};
			}

			case 'compare': {
				return this.comparison(expression, scope);
			}

			case 'arithmetic': {
				const [left, right] = [this.compile(expression.left, scope), this.compile(expression.right, scope)];
				const {operator} = expression;
				return block => {
					const [l, r] = [left(block), right(block)];
					return index => {
						const x = toNumber(l(index));
						const y = toNumber(r(index));
						return x === undefined || y === undefined ? undefined : arithmetic(operator, x, y);
					};
				};
			}

			case 'toMillis': {
				// Every record has a @timestamp, read as a number where a row would make a Date of it.
				if (expression.name === '@timestamp') {
					return block => index => block.batch.timestampAt(index);
				}

				return this.rowByRow(general, scope);
			}

			default: {
				return this.rowByRow(general, scope);
			}
		}
	}

	/** An expression through the rows' evaluator, over a row that reads the block's columns. */
	private rowByRow(general: Evaluator, scope: Scope): Bind<Eval> {
		return block => {
			const row = block.row(scope);
			return index => {
				row.index = index;
				return general(row);
			};
		};
	}

	private field(name: string, scope: Scope): Bind<Eval> {
		const origin = this.origin(name, scope);
		switch (origin.kind) {
			case 'column': {
				const {slot} = origin;
				return block => {
					const {codes, ids} = block.column(slot);
					const {values} = block;
					return index => values[ids[codes[index]!]!];
				};
			}

			case 'block': {
				return block => {
					const value = origin.read(block.batch);
					return () => value;
				};
			}

			case 'record': {
				return block => index => origin.read(block.batch, index);
			}
		}
	}

	/** An expression of one column (and of what is the same for a whole block): worked out once per distinct value. */
	private perValue(slot: number, general: Evaluator, scope: Scope): Bind<Eval> {
		return block => {
			const {codes, ids} = block.column(slot);
			const known = new Array<Value>(ids.length);
			const done = new Uint8Array(ids.length);
			const row = block.row(scope);
			return index => {
				const code = codes[index]!;
				if (done[code] === 0) {
					row.index = index;
					known[code] = general(row);
					done[code] = 1;
				}

				return known[code];
			};
		};
	}

	/** Two fields compared (`srcPort <= dstPort`): as numbers when both read as numbers, else as compare does. */
	private comparison(expression: Extract<Expression, {kind: 'compare'}>, scope: Scope): Bind<Eval> {
		const compare = COMPARISONS[expression.operator];
		const {left, right} = expression;
		const leftOrigin = left.kind === 'field' ? this.origin(left.name, scope) : undefined;
		const rightOrigin = right.kind === 'field' ? this.origin(right.name, scope) : undefined;
		if (leftOrigin?.kind === 'column' && rightOrigin?.kind === 'column') {
			const numeric = NUMERIC[expression.operator];
			// One value against itself: what `pktSrcAddr != srcAddr` meets on nearly every record.
			const reflexive = compare('0', '0');
			const [a, b] = [leftOrigin.slot, rightOrigin.slot];
			return block => {
				const [x, y] = [block.column(a), block.column(b)];
				const [xs, ys] = [block.numbersOf(a), block.numbersOf(b)];
				const {values} = block;
				return index => {
					const p = x.codes[index]!;
					const q = y.codes[index]!;
					const id = x.ids[p]!;
					if (id === y.ids[q]! && id !== 0) {
						return reflexive;
					}

					const m = xs[p]!;
					const n = ys[q]!;
					// NaN is no number: a side is text or absent, and compare decides as it always does.
					return !Number.isNaN(m) && !Number.isNaN(n) ? numeric(m, n) : compare(values[x.ids[p]!], values[y.ids[q]!]);
				};
			};
		}

		const [l, r] = [this.compile(left, scope), this.compile(right, scope)];
		return block => {
			const [x, y] = [l(block), r(block)];
			return index => compare(x(index), y(index));
		};
	}

	/** A group key's id for each record: a column's store-wide ids, else ids of the query's own. */
	private key(expression: Expression): Bind<(index: number) => number> {
		const origin = expression.kind === 'field' ? this.origin(expression.name, this.glob) : undefined;
		if (origin?.kind === 'column') {
			const {slot} = origin;
			this.keyValues.push(id => this.dictionary.values[id]);
			return block => {
				const {codes, ids} = block.column(slot);
				return index => ids[codes[index]!]!;
			};
		}

		const ids = new ValueIds();
		this.keyValues.push(id => ids.values[id]);
		if (expression.kind === 'bin') {
			const size = expression.milliseconds;
			return block => {
				let time = Number.NaN;
				let id = -1;
				return index => {
					const timestamp = block.batch.timestampAt(index);
					if (timestamp !== time) {
						time = timestamp;
						id = ids.timeId(Math.floor(timestamp / size) * size);
					}

					return id;
				};
			};
		}

		const evaluate = this.compile(expression, this.glob);
		return block => {
			const value = evaluate(block);
			return index => ids.id(value(index));
		};
	}

	/** Each record's group, a new one opened the first time its key is seen. */
	private grouper(block: BoundBlock): (index: number) => number {
		const keys = this.keys.map(key => key(block));
		const width = keys.length;
		const {levels, accumulators} = this;
		return index => {
			let node = 0;
			const at = this.groupCount * width;
			if (at + width > this.groupIds.length) {
				this.groupIds = grown(this.groupIds, at + width, 0);
			}

			// The ids of a group not yet known land where its row will be.
			const {groupIds} = this;
			for (let k = 0; k < width; k++) {
				const id = keys[k]!(index);
				groupIds[at + k] = id;
				if (k === 0) {
					node = id;
				} else {
					node = levels[k]!.id(node, id);
				}
			}

			if (node >= this.groupOfNode.length) {
				this.groupOfNode = grown(this.groupOfNode, node + 1, -1);
			}

			let group = this.groupOfNode[node]!;
			if (group < 0) {
				group = this.groupCount++;
				this.groupOfNode[node] = group;
				if (this.groupCount > this.capacity) {
					this.capacity = Math.max(this.groupCount, 2 * this.capacity);
					for (const accumulator of accumulators) {
						accumulator.reserve(this.capacity);
					}
				}
			}

			return group;
		};
	}

	private accumulator(aggregate: Aggregate): Accumulator {
		const {fn, arg} = aggregate;
		if (arg === undefined) {
			return this.counter(() => () => true);
		}

		const origin = arg.kind === 'field' ? this.origin(arg.name, this.glob) : undefined;
		const slot = origin?.kind === 'column' ? origin.slot : undefined;
		const evaluate = this.compile(arg, this.glob);
		switch (fn) {
			case 'count': {
				return this.counter(block => {
					const value = evaluate(block);
					return index => value(index) !== undefined;
				});
			}

			case 'sum':
			case 'avg': {
				return this.summer(
					fn,
					slot === undefined
						? block => {
								const value = evaluate(block);
								return index => toNumber(value(index));
							}
						: block => {
								const {codes} = block.column(slot);
								const numbers = block.numbersOf(slot);
								return index => {
									const number = numbers[codes[index]!]!;
									return !Number.isNaN(number) ? number : undefined;
								};
							},
				);
			}

			default: {
				return this.extreme(fn === 'max' ? 1 : -1, evaluate, slot);
			}
		}
	}

	private counter(counts: Bind<(index: number) => boolean>): Accumulator {
		let totals = new Float64Array(0);
		return {
			reserve(groups) {
				totals = grownNumbers(totals, groups, 0);
			},
			bind(block) {
				const counted = counts(block);
				return (group, index) => {
					if (counted(index)) {
						totals[group]!++;
					}
				};
			},
			result: group => totals[group],
		};
	}

	private summer(fn: 'sum' | 'avg', number: Bind<(index: number) => number | undefined>): Accumulator {
		let sums = new Float64Array(0);
		let counts = new Float64Array(0);
		return {
			reserve(groups) {
				sums = grownNumbers(sums, groups, 0);
				counts = grownNumbers(counts, groups, 0);
			},
			bind(block) {
				const read = number(block);
				return (group, index) => {
					const value = read(index);
					if (value !== undefined) {
						sums[group]! += value;
						counts[group]!++;
					}
				};
			},
			result: group => (counts[group] === 0 ? undefined : fn === 'sum' ? sums[group] : sums[group]! / counts[group]!),
		};
	}

	/** min and max: the first value no other beats, as aggregate.ts keeps it; numbers compared as numbers without reading text again. */
	private extreme(sign: 1 | -1, evaluate: Bind<Eval>, slot: number | undefined): Accumulator {
		const best: Value[] = [];
		let bestNumbers = new Float64Array(0);
		return {
			reserve(groups) {
				while (best.length < groups) {
					best.push(undefined);
				}

				bestNumbers = grownNumbers(bestNumbers, groups, Number.NaN);
			},
			bind(block) {
				const value = evaluate(block);
				const numbers = slot === undefined ? undefined : block.numbersOf(slot);
				const codes = slot === undefined ? undefined : block.column(slot).codes;
				return (group, index) => {
					const candidate = value(index);
					if (candidate === undefined) {
						return;
					}

					const held = best[group];
					const number = numbers && codes ? numbers[codes[index]!]! : Number.NaN;
					const heldNumber = bestNumbers[group]!;
					if (
						held === undefined ||
						sign *
							(!Number.isNaN(number) && !Number.isNaN(heldNumber)
								? number - heldNumber
								: naturalCompare(candidate, held, false)) >
							0
					) {
						best[group] = candidate;
						bestNumbers[group] = number;
					}
				};
			},
			result: group => best[group],
		};
	}
}

/** `array` with room for `length`, the new room filled with `fill`. */
function grownNumbers(array: Float64Array<ArrayBuffer>, length: number, fill: number): Float64Array<ArrayBuffer> {
	const larger = new Float64Array(length).fill(fill);
	larger.set(array);
	return larger;
}

/** `array` with room for `length` at least, the new room filled with `fill`. */
function grown(array: Int32Array<ArrayBuffer>, length: number, fill: number): Int32Array<ArrayBuffer> {
	const larger = new Int32Array(Math.max(length, array.length * 2)).fill(fill);
	larger.set(array);
	return larger;
}

/**
 * `expression` with each field `fields` computed written as its expression, or undefined where a
 * computed name stands in a place that takes a name (`ispresent(delay)`), which only rows answer.
 */
function substituted(expression: Expression, computed: ReadonlyMap<string, Expression>): Expression | undefined {
	const inner = (operand: Expression) => substituted(operand, computed);
	switch (expression.kind) {
		case 'field': {
			return computed.get(expression.name) ?? expression;
		}

		case 'ispresent':
		case 'toMillis': {
			return computed.has(expression.name) ? undefined : expression;
		}

		case 'negate':
		case 'not': {
			const operand = inner(expression.operand);
			return operand && {...expression, operand};
		}

		case 'logical':
		case 'compare':
		case 'arithmetic': {
			const [left, right] = [inner(expression.left), inner(expression.right)];
			return left && right && {...expression, left, right};
		}

		case 'like':
		case 'in':
		case 'inSubnet': {
			const subject = inner(expression.subject);
			return subject && {...expression, subject};
		}

		default: {
			return expression;
		}
	}
}

/**
 * A stats command with what `fields` computed before it written in: the same groups and sums, as
 * nothing between the two changes a row (compileColumnStats takes no filter or parse after a
 * computed `fields`).
 */
function withComputed(
	command: Extract<Command, {kind: 'stats'}>,
	computed: ReadonlyMap<string, Expression>,
): {aggregates: Aggregate[]; groups: NamedExpression[]} | undefined {
	const aggregates: Aggregate[] = [];
	for (const aggregate of command.aggregates) {
		const arg = aggregate.arg && substituted(aggregate.arg, computed);
		if (aggregate.arg && !arg) {
			return undefined;
		}

		aggregates.push({...aggregate, arg});
	}

	const groups: NamedExpression[] = [];
	for (const group of command.groups) {
		const expression = substituted(group.expression, computed);
		if (!expression) {
			return undefined;
		}

		groups.push({...group, expression});
	}

	return {aggregates, groups};
}

/** The column form of a query, or undefined for a query of another shape, which runs row by row. */
export function compileColumnStats(query: Query): ColumnStats | undefined {
	let glob: GlobSource | undefined;
	const filters: Array<{condition: Expression; scope: Scope}> = [];
	/** What `fields` computed (`fields toMillis(@ingestionTime) - toMillis(@timestamp) as delay`), by name. */
	const computed = new Map<string, Expression>();
	for (const command of query.commands) {
		if (computed.size > 0 && (command.kind === 'filter' || command.kind === 'parse')) {
			return undefined;
		}

		switch (command.kind) {
			case 'parse': {
				if (
					glob ||
					command.form !== 'glob' ||
					command.source !== '@message' ||
					command.names.some(name => name.startsWith('@'))
				) {
					return undefined;
				}

				glob = new GlobSource(command.pattern as Glob, command.names);
				break;
			}

			case 'filter': {
				// A filter before the parse reads the fields as they were before it.
				filters.push({condition: command.condition, scope: glob});
				break;
			}

			case 'fields': {
				// Every item of one command reads the row as it came, not its neighbours' values.
				const items = command.items.map(item => ({
					name: item.name,
					expression: substituted(item.expression, computed),
				}));
				for (const {name, expression} of items) {
					if (!expression || name.startsWith('@')) {
						return undefined;
					}

					if (!(expression.kind === 'field' && expression.name === name)) {
						computed.set(name, expression);
					}
				}

				break;
			}

			case 'display': {
				break;
			}

			case 'stats': {
				const written = withComputed(command, computed);
				return !written || command.aggregates.some(aggregate => aggregate.fn === 'count_distinct')
					? undefined
					: new ColumnStats(glob, filters, written.aggregates, written.groups);
			}

			default: {
				return undefined;
			}
		}
	}

	return undefined;
}
