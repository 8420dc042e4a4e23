import {detach} from '../text/detach.js';

/** SKIPDATA or NODATA records of one interface: how many, and the time they cover (Unix seconds). */
export interface Gap {
	records: number;
	first: number;
	last: number;
}

/** One bucket's gaps as plain data, by interface id: what another thread sends back. */
export interface GapsPart {
	readonly skipped: ReadonlyArray<[string, Gap]>;
	readonly silent: ReadonlyArray<[string, Gap]>;
}

function note(gaps: Map<string, Gap>, eni: string, first: number, last: number, records: number): void {
	const gap = gaps.get(eni);
	if (gap) {
		gap.records += records;
		gap.first = Math.min(gap.first, first);
		gap.last = Math.max(gap.last, last);
	} else {
		gaps.set(eni, {records, first, last});
	}
}

/**
 * The records a bucket holds no conversation for, per interface: SKIPDATA (the log dropped
 * records there, so the panes undercount) and NODATA (no traffic, or capture stopped). One such
 * record comes per interface and capture window at most, so this stays as small as the interfaces.
 */
export class InterfaceGaps {
	readonly skipped = new Map<string, Gap>();
	readonly silent = new Map<string, Gap>();

	/**
	 * `records` SKIPDATA (`skipped`) or NODATA records of the interface `eni` from `time` to `end`:
	 * more than one when a `stats` row stands for them.
	 */
	add(eni: string | undefined, skipped: boolean, time: number, end: number, records: number): void {
		if (eni !== undefined) {
			note(skipped ? this.skipped : this.silent, detach(eni), time, end, records);
		}
	}

	absorb(other: GapsPart): void {
		for (const [eni, gap] of other.skipped) {
			note(this.skipped, eni, gap.first, gap.last, gap.records);
		}

		for (const [eni, gap] of other.silent) {
			note(this.silent, eni, gap.first, gap.last, gap.records);
		}
	}

	part(): GapsPart {
		return {skipped: [...this.skipped], silent: [...this.silent]};
	}
}
