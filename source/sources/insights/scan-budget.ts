/**
 * `--budget $/h`: what Logs Insights may cost an hour. Every poll scans the lateness horizon again,
 * so the cost per hour is bytes scanned per poll x polls per hour x price; when the bytes the
 * recent polls measured would cost more at the chosen interval, polls are spaced out until they
 * would not. Never closer together than the interval asked for.
 */

const HOUR_MS = 3_600_000;
/** Polls averaged over: enough to smooth out the re-checks that come every few polls. */
const RECENT_POLLS = 12;

export interface Spacing {
	/** From the start of one poll to the start of the next. */
	readonly intervalMs: number;
	/** Dollars an hour the recent polls would cost at the interval asked for; set when that is over budget. */
	readonly wouldCostPerHour?: number;
}

export class ScanBudget {
	private readonly recent: number[] = [];

	constructor(
		/** Dollars an hour; Infinity for no limit. */
		readonly dollarsPerHour: number,
		private readonly pricePerGb: number,
	) {}

	/** One poll scanned this many bytes. */
	scanned(bytes: number): void {
		this.recent.push(bytes);
		if (this.recent.length > RECENT_POLLS) {
			this.recent.shift();
		}
	}

	/** How far apart polls go now, given the interval asked for. */
	spacing(intervalMs: number): Spacing {
		if (this.recent.length === 0 || !Number.isFinite(this.dollarsPerHour)) {
			return {intervalMs};
		}

		const dollarsPerPoll = (average(this.recent) / 1e9) * this.pricePerGb;
		const costPerHour = dollarsPerPoll * (HOUR_MS / intervalMs);
		if (costPerHour <= this.dollarsPerHour) {
			return {intervalMs};
		}

		const stretched = Math.ceil(((dollarsPerPoll / this.dollarsPerHour) * HOUR_MS) / 1000) * 1000;
		return {intervalMs: Math.max(intervalMs, stretched), wouldCostPerHour: costPerHour};
	}
}

function average(values: readonly number[]): number {
	return values.reduce((sum, value) => sum + value, 0) / values.length;
}
