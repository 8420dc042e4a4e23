/** Numbers as a person reads them at a glance: binary units for bytes, k/M/G for counts. */

const byteUnits = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(bytes: number): string {
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < byteUnits.length - 1) {
		value /= 1024;
		unit++;
	}

	if (unit === 0) {
		return `${value} B`;
	}

	return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${byteUnits[unit]}`;
}

const countUnits = ['', 'k', 'M', 'G', 'T'];

export function formatCount(count: number): string {
	let value = count;
	let unit = 0;
	while (value >= 1000 && unit < countUnits.length - 1) {
		value /= 1000;
		unit++;
	}

	if (unit === 0) {
		return String(Math.round(value));
	}

	return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}${countUnits[unit]}`;
}

/** `15m`, `1h30m`, `90s`, `2d` -> seconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
	const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
	if (!match || text.trim() === '') {
		return undefined;
	}

	const [, days, hours, minutes, seconds] = match;
	const total =
		Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
	return total > 0 ? total : undefined;
}

export function formatDuration(seconds: number): string {
	if (seconds === Number.POSITIVE_INFINITY) {
		return 'all';
	}

	const parts: string[] = [];
	let rest = Math.round(seconds);
	for (const [unit, size] of [
		['d', 86_400],
		['h', 3600],
		['m', 60],
		['s', 1],
	] as const) {
		if (rest >= size) {
			parts.push(`${Math.floor(rest / size)}${unit}`);
			rest %= size;
		}
	}

	return parts.join('') || '0s';
}

export function formatPercent(part: number, whole: number): string {
	if (whole <= 0) {
		return '0%';
	}

	const percent = (part / whole) * 100;
	return percent >= 10 || percent === 0 ? `${percent.toFixed(0)}%` : `${percent.toFixed(1)}%`;
}

/** An age in its largest whole unit, as a column of them reads best: `45s`, `3m`, `2h`, `4d`, `3y`. */
export function formatAge(seconds: number): string {
	const value = Math.max(Math.floor(seconds), 0);
	for (const [unit, size] of [
		['y', 31_536_000],
		['d', 86_400],
		['h', 3600],
		['m', 60],
	] as const) {
		if (value >= size) {
			return `${Math.floor(value / size)}${unit}`;
		}
	}

	return `${value}s`;
}
