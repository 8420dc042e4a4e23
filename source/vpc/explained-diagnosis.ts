import type {EC2Client} from '@aws-sdk/client-ec2';
import {diagnose} from '../diagnosis/diagnose.js';
import type {Finding} from '../diagnosis/finding.js';
import {FindingTracker} from '../diagnosis/finding-tracker.js';
import type {FlowStore} from '../engine/store.js';
import type {LogsClientOptions} from '../sources/insights/client.js';
import type {VpcConfiguration} from './configuration.js';
import {ConfigurationFeed, type ConfigurationStatus, EC2_OFF_NOTE} from './configuration-feed.js';
import {explainFindings} from './explain-findings.js';
import {type InterfaceNames, interfaceNames} from './interface-names.js';

export interface ExplainedDiagnosisOptions {
	/** How to reach AWS (the log group's, or the demo's); undefined for a file, which has no account to ask. */
	readonly aws: (() => Promise<LogsClientOptions>) | undefined;
	/** False with `--no-ec2`. */
	readonly ec2: boolean;
	readonly refreshMs?: number | undefined;
	/** Each configuration read, as it is read: the source keeps the NAT gateways it names by name. */
	readonly onRead?: ((configuration: VpcConfiguration) => void) | undefined;
}

/**
 * The live view's findings, explained by the VPC's configuration when it can be read: the rules
 * run on the records alone, explainFindings() adds what the configuration says, and note() is the
 * status bar's line while it cannot be read.
 */
export class ExplainedDiagnosis {
	private readonly tracker: FindingTracker;
	private readonly feed: ConfigurationFeed | undefined;
	private client: Promise<EC2Client> | undefined;

	constructor(private readonly options: ExplainedDiagnosisOptions) {
		const {aws} = options;
		this.feed =
			aws && options.ec2
				? new ConfigurationFeed({
						// The EC2 SDK loads with the first read, not with the view.
						load: async () => {
							this.client ??= Promise.all([aws(), import('./ec2-client.js')]).then(([access, {createEc2Client}]) =>
								createEc2Client(access),
							);
							const [client, {loadVpcConfiguration}] = await Promise.all([this.client, import('./ec2-loader.js')]);
							const configuration = await loadVpcConfiguration(client);
							options.onRead?.(configuration);
							return configuration;
						},
						refreshMs: options.refreshMs,
					})
				: undefined;
		this.tracker = new FindingTracker({diagnose: store => this.explain(store)});
		this.feed?.start();
	}

	update(store: FlowStore, nowMilliseconds: number): readonly Finding[] {
		return this.tracker.update(store, nowMilliseconds);
	}

	isNew(finding: Finding, nowMilliseconds: number): boolean {
		return this.tracker.isNew(finding, nowMilliseconds);
	}

	note(): string | undefined {
		return this.options.aws && !this.options.ec2 ? EC2_OFF_NOTE : this.feed?.note();
	}

	/** The names of interfaces and addresses, as the last configuration read knows them. */
	names(): InterfaceNames {
		return interfaceNames(this.feed?.current());
	}

	/** Where the configuration is read: when it last was, and what went wrong since; undefined where it is not read. */
	configuration(): ConfigurationStatus | undefined {
		return this.feed?.status();
	}

	/** Read the configuration again now. */
	async refresh(): Promise<void> {
		await this.feed?.refresh();
	}

	stop(): void {
		this.feed?.stop();
		void this.client?.then(
			client => client.destroy(),
			() => undefined,
		);
	}

	private explain(store: FlowStore): Finding[] {
		const configuration = this.feed?.current();
		const findings = explainFindings(diagnose(store, {identity: configuration}), configuration);
		for (const finding of findings) {
			if (finding.eni !== undefined) {
				this.feed?.askAbout(finding.eni);
			}
		}

		return findings;
	}
}
