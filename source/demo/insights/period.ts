/**
 * Time periods as Insights writes them in `bin(5m)`: a whole number and a unit. Calendar units
 * (mo, q, y) have no fixed length and are left out of this subset.
 */
const unitMilliseconds: Readonly<Record<string, number>> = {
	ms: 1,
	s: 1000,
	m: 60_000,
	h: 3_600_000,
	d: 86_400_000,
	w: 604_800_000,
};

/** Milliseconds in `amount` of `unit`, or undefined when the unit is not one of the subset's. */
export function periodMilliseconds(amount: number, unit: string): number | undefined {
	const size = unitMilliseconds[unit];
	return size === undefined ? undefined : amount * size;
}
