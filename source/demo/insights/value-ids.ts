import type {Value} from './value.js';

/**
 * Dense ids for the values a `stats` groups by, one id per group key as aggregate.ts tells keys
 * apart (by type, and a time by its milliseconds), so a group is found by integers instead of by
 * a string made for every record. An id keeps the first value seen with it, as a group does.
 */
export class ValueIds {
	readonly values: Value[] = [];
	private readonly strings = new Map<string, number>();
	private readonly numbers = new Map<number, number>();
	private readonly times = new Map<number, number>();
	private readonly others = new Map<Value, number>();

	id(value: Value): number {
		if (typeof value === 'string') {
			return this.idIn(this.strings, value, value);
		}

		if (typeof value === 'number') {
			return this.idIn(this.numbers, value, value);
		}

		if (value instanceof Date) {
			return this.idIn(this.times, value.getTime(), value);
		}

		return this.idIn(this.others, value, value);
	}

	/** The id of the time at these milliseconds, made only when it is new. */
	timeId(milliseconds: number): number {
		const known = this.times.get(milliseconds);
		return known ?? this.idIn(this.times, milliseconds, new Date(milliseconds));
	}

	private idIn<K>(ids: Map<K, number>, key: K, value: Value): number {
		let id = ids.get(key);
		if (id === undefined) {
			id = this.values.length;
			this.values.push(value);
			ids.set(key, id);
		}

		return id;
	}
}
