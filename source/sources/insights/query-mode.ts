import {formatCount} from '../../text/units.js';

/** `--mode`: fetch raw records, let Insights aggregate, or choose by volume. */
export type ModeSetting = 'raw' | 'aggregate' | 'auto';
export const MODE_SETTINGS: readonly ModeSetting[] = ['raw', 'aggregate', 'auto'];

/** How the poller reads the log group now, and why: for the status bar. */
export interface QueryMode {
	readonly mode: 'raw' | 'aggregate';
	readonly reason: string;
}

/**
 * What a person should be told of the mode, on a line of its own: why the group is read from sums,
 * or why it could not be; nothing for raw records auto chose, the plain case, nor for a mode a flag
 * asked for and got whole.
 */
export function modeNote({mode, reason}: QueryMode): string | undefined {
	const plain = reason.startsWith('auto') ? mode === 'raw' : reason.startsWith('--mode') && !reason.includes('; ');
	return plain ? undefined : `${mode} mode: ${reason.replace(/^(auto|raw): /, '')}`;
}

/** Raw pages hold 10,000 records; more new records than half of that in a poll is no comfortable fit. */
export const RAW_COMFORT = 5000;
/**
 * Back to raw only well below that, so a volume near the line does not flip the mode every poll:
 * each switch re-reads the window.
 */
export const RAW_RETURN = 2000;

/**
 * Which mode the next poll uses. `auto` first counts the window's records (one `stats count(*)`):
 * a window that fits comfortably in raw pages is read raw, a bigger one from Insights' sums, so the
 * first screen of a busy group comes from a handful of queries. Then it follows the volume: raw
 * while a poll's new records fit comfortably in raw pages, aggregate when they do not. An endpoint
 * that cannot aggregate (moto) leaves raw mode for good, whatever the setting.
 */
export class QueryModes {
	private state: QueryMode;
	private unavailable = false;
	private counted = false;

	constructor(private readonly setting: ModeSetting) {
		this.state =
			setting === 'raw'
				? {mode: 'raw', reason: '--mode raw'}
				: setting === 'aggregate'
					? {mode: 'aggregate', reason: '--mode aggregate'}
					: {mode: 'raw', reason: 'auto: the window not counted yet'};
	}

	/** Whether the window must be counted before the first poll. */
	get counting(): boolean {
		return this.setting === 'auto' && !this.unavailable && !this.counted;
	}

	/** The window holds `records`: the first poll's mode. */
	afterCount(records: number): void {
		this.counted = true;
		this.state =
			records > RAW_COMFORT
				? {
						mode: 'aggregate',
						reason: `auto: ${formatCount(records)} records in the window (raw is comfortable to ${formatCount(RAW_COMFORT)})`,
					}
				: {mode: 'raw', reason: `auto: ${formatCount(records)} records in the window, raw pages hold them`};
	}

	get current(): QueryMode {
		return this.state;
	}

	/** The endpoint cannot aggregate, or the format cannot be: raw from now on. Returns whether the mode changed. */
	cannotAggregate(why: string): boolean {
		const changed = this.state.mode !== 'raw' || !this.unavailable;
		this.unavailable = true;
		this.state = {mode: 'raw', reason: `raw: ${why}`};
		return changed;
	}

	/** After a raw poll that took in `fresh` new records (`overflowed`: a page came back full). Returns whether the mode changed. */
	afterRaw(fresh: number, overflowed: boolean): boolean {
		if (this.setting !== 'auto' || this.unavailable || (fresh <= RAW_COMFORT && !overflowed)) {
			return false;
		}

		this.state = {
			mode: 'aggregate',
			reason: `auto: ${formatCount(fresh)} new records in a poll${overflowed ? ', a page full' : ''} (raw is comfortable to ${formatCount(RAW_COMFORT)})`,
		};
		return true;
	}

	/**
	 * After an aggregate poll of `records` over `windowMs`: the new records a poll of `intervalMs`
	 * brings. `shortfall` says what the poll could not read whole. Returns whether the mode changed.
	 */
	afterAggregate(records: number, windowMs: number, intervalMs: number, shortfall: string | undefined): boolean {
		const short = shortfall === undefined ? '' : `; ${shortfall}`;
		if (this.setting !== 'auto' || this.unavailable) {
			this.state = {mode: this.state.mode, reason: `${this.state.reason.split('; ')[0]!}${short}`};
			return false;
		}

		const perPoll = Number.isFinite(windowMs) && windowMs > 0 ? Math.ceil((records * intervalMs) / windowMs) : records;
		if (perPoll < RAW_RETURN) {
			this.state = {
				mode: 'raw',
				reason: `auto: about ${formatCount(perPoll)} new records a poll, raw pages hold them`,
			};
			return true;
		}

		this.state = {
			mode: 'aggregate',
			reason: `auto: about ${formatCount(perPoll)} new records a poll (raw is comfortable to ${formatCount(RAW_COMFORT)})${short}`,
		};
		return false;
	}
}
