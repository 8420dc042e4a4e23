import type {VpcConfiguration} from './configuration.js';

// Security groups and NACLs change by hand, rarely: a read every five minutes keeps up at a few
// describe calls, and an interface the records name that the last read did not know asks sooner.
const REFRESH_MS = 5 * 60_000;
const SOONEST_MS = 60_000;

const DENIED = new Set([
	'UnauthorizedOperation',
	'AccessDenied',
	'AccessDeniedException',
	'AuthFailure',
	'UnauthorizedAccess',
	'Blocked',
]);

export interface ConfigurationFeedOptions {
	/** Reads the configuration; throws what the EC2 API threw. */
	readonly load: () => Promise<VpcConfiguration>;
	/** Milliseconds since the epoch. */
	readonly clock?: () => number;
	readonly refreshMs?: number | undefined;
}

/** What the status bar or the report says when `--no-ec2` turned the configuration off. */
export const EC2_OFF_NOTE = 'EC2 configuration off (--no-ec2): findings infer from the traffic';

/** The one line the status bar shows when the configuration is missing: what, and what flowtop does instead. */
export function missingNote(error: unknown): string {
	const {name, message} = error as Error;
	if (DENIED.has(name)) {
		const action = /ec2:\w+/.exec(message)?.[0] ?? 'ec2:Describe*';
		return `no EC2 read access (${action} refused): findings infer from the traffic; see the README's optional EC2 actions`;
	}

	return `EC2 configuration not read (${message.split('\n')[0]}): findings infer from the traffic`;
}

/** A refresh failed while an earlier read stands: the names and rules shown are that read's. */
export function staleNote(error: unknown): string {
	const {name, message} = error as Error;
	const reason = DENIED.has(name)
		? `${/ec2:\w+/.exec(message)?.[0] ?? 'ec2:Describe*'} refused`
		: message.split('\n')[0];
	return `EC2 configuration refresh failed (${reason}): rules and names are from the last good read`;
}

/** What the status bar says of the configuration: when it was read, and what went wrong since. */
export interface ConfigurationStatus {
	/** Milliseconds since the epoch of the last good read, if any. */
	readonly readAt: number | undefined;
	readonly reading: boolean;
	/** Why it is missing, or why the last refresh failed. */
	readonly problem: string | undefined;
}

/**
 * The VPC's configuration for the live view: read once at start, again on a slow timer and when
 * asked, kept as the last good read. A failed read leaves the diagnosis on inference and says so
 * in one line; it never stops anything else.
 */
export class ConfigurationFeed {
	private configuration: VpcConfiguration | undefined;
	private problem: string | undefined;
	private loading: Promise<void> | undefined;
	private timer: NodeJS.Timeout | undefined;
	private lastLoad = Number.NEGATIVE_INFINITY;
	private readAt: number | undefined;
	private readonly clock: () => number;

	constructor(private readonly options: ConfigurationFeedOptions) {
		this.clock = options.clock ?? Date.now;
	}

	/** The last configuration read, if any. */
	current(): VpcConfiguration | undefined {
		return this.configuration;
	}

	/** What the status bar should say while the configuration is missing. */
	note(): string | undefined {
		return this.problem;
	}

	status(): ConfigurationStatus {
		return {readAt: this.readAt, reading: this.loading !== undefined, problem: this.problem};
	}

	start(): void {
		void this.refresh();
		this.timer = setInterval(() => void this.refresh(), this.options.refreshMs ?? REFRESH_MS);
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** Read it again now (one read at a time); resolves when that read is done. */
	async refresh(): Promise<void> {
		this.loading ??= this.read().finally(() => {
			this.loading = undefined;
		});
		return this.loading;
	}

	/** An interface the configuration does not know showed up: read again, at most once a minute. */
	askAbout(eni: string): void {
		if (this.configuration && !this.configuration.interface(eni) && this.clock() - this.lastLoad >= SOONEST_MS) {
			void this.refresh();
		}
	}

	private async read(): Promise<void> {
		this.lastLoad = this.clock();
		try {
			this.configuration = await this.options.load();
			this.readAt = this.clock();
			this.problem = undefined;
		} catch (error) {
			this.problem = this.configuration ? staleNote(error) : missingNote(error);
		}
	}
}
