import type {LogsClientOptions} from '../sources/insights/client.js';
import type {VpcConfiguration} from './configuration.js';
import {missingNote} from './configuration-feed.js';
import {createEc2Client} from './ec2-client.js';
import {loadVpcConfiguration} from './ec2-loader.js';

export interface ConfigurationRead {
	readonly configuration?: VpcConfiguration;
	/** What is missing and what flowtop does instead, when the read failed. */
	readonly note?: string;
}

/** One read for `--once`: the configuration, or a note that says why not. Never throws. */
export async function readConfiguration(access: LogsClientOptions): Promise<ConfigurationRead> {
	const client = createEc2Client(access);
	try {
		return {configuration: await loadVpcConfiguration(client)};
	} catch (error) {
		return {note: missingNote(error)};
	} finally {
		client.destroy();
	}
}
