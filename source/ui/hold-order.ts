/**
 * Rows in the order they were last shown, while the user is moving through them: the values keep
 * updating, but a row does not jump away from under the cursor. Rows new since then go last;
 * rows gone since then are gone.
 */
export function holdOrder<T extends {readonly key: string}>(rows: readonly T[], previous: readonly string[]): T[] {
	const position = new Map(previous.map((key, index) => [key, index]));
	return [...rows].sort(
		(a, b) => (position.get(a.key) ?? Number.MAX_SAFE_INTEGER) - (position.get(b.key) ?? Number.MAX_SAFE_INTEGER),
	);
}
