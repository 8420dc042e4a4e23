import {type Filter, formatFilter} from '../../engine/filter.js';
import {filterIncludes} from './filter-includes.js';

/** Part of the timeline, in whole seconds, half-open: [from, to). */
export interface Gap {
	readonly from: number;
	readonly to: number;
	/** Filters whose records in this part were all fetched already: a backfill leaves them out. */
	readonly fetched: readonly Filter[];
}

interface Segment {
	from: number;
	to: number;
	/** No filter in the list includes another. */
	filters: Filter[];
}

function sameFilters(a: readonly Filter[], b: readonly Filter[]): boolean {
	return a.length === b.length && a.every((filter, i) => formatFilter(filter) === formatFilter(b[i]!));
}

function withFilter(filters: readonly Filter[], filter: Filter): Filter[] {
	if (filters.some(existing => filterIncludes(existing, filter))) {
		return [...filters];
	}

	return [...filters.filter(existing => !filterIncludes(filter, existing)), filter];
}

/**
 * Which filters' records have been fetched, for each stretch of time: what a backfill needs when
 * the filter widens. Only records fetched by a query that completed are ever dispatched, so "every
 * record dispatched in a stretch matches one of its filters" holds, and a backfill that asks for
 * `new and not (each fetched filter)` can never fetch a record twice, however long ago its @ptr was
 * forgotten. Late records of a stretch the lateness horizon has left behind are not fetched either
 * way: the poller re-covers the horizon for those.
 */
export class Coverage {
	private segments: Segment[] = [];

	/** Every record of [from, to) matching `filter` (and visible when the query ran) was fetched. */
	add(from: number, to: number, filter: Filter): void {
		if (to <= from) {
			return;
		}

		const next: Segment[] = [];
		let cursor = from;
		for (const segment of this.segments) {
			if (segment.to <= from || segment.from >= to) {
				next.push(segment);
				continue;
			}

			if (segment.from < from) {
				next.push({from: segment.from, to: from, filters: segment.filters});
			}

			const start = Math.max(segment.from, from);
			if (cursor < start) {
				next.push({from: cursor, to: start, filters: [filter]});
			}

			const end = Math.min(segment.to, to);
			next.push({from: start, to: end, filters: withFilter(segment.filters, filter)});
			cursor = end;
			if (segment.to > to) {
				next.push({from: to, to: segment.to, filters: segment.filters});
			}
		}

		if (cursor < to) {
			next.push({from: cursor, to, filters: [filter]});
		}

		next.sort((a, b) => a.from - b.from);
		this.segments = merged(next);
	}

	/** The parts of [from, to) where not every record matching `filter` was fetched. */
	missing(from: number, to: number, filter: Filter): Gap[] {
		const gaps: Gap[] = [];
		const push = (gap: Gap) => {
			const last = gaps.at(-1);
			if (last && last.to === gap.from && sameFilters(last.fetched, gap.fetched)) {
				gaps[gaps.length - 1] = {...last, to: gap.to};
			} else {
				gaps.push(gap);
			}
		};

		let cursor = from;
		for (const segment of this.segments) {
			if (segment.to <= cursor || segment.from >= to) {
				continue;
			}

			if (segment.from > cursor) {
				push({from: cursor, to: segment.from, fetched: []});
			}

			const start = Math.max(segment.from, cursor);
			const end = Math.min(segment.to, to);
			if (!segment.filters.some(fetched => filterIncludes(fetched, filter))) {
				push({from: start, to: end, fetched: segment.filters});
			}

			cursor = end;
		}

		if (cursor < to) {
			push({from: cursor, to, fetched: []});
		}

		return gaps;
	}

	/** Drop what lies before `time`: the window has slid past it. */
	forgetBefore(time: number): void {
		this.segments = this.segments
			.filter(segment => segment.to > time)
			.map(segment => (segment.from < time ? {...segment, from: time} : segment));
	}
}

function merged(segments: readonly Segment[]): Segment[] {
	const result: Segment[] = [];
	for (const segment of segments) {
		const last = result.at(-1);
		if (last && last.to === segment.from && sameFilters(last.filters, segment.filters)) {
			last.to = segment.to;
		} else {
			result.push({...segment});
		}
	}

	return result;
}
