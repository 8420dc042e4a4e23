import {EC2Client} from '@aws-sdk/client-ec2';
import {type AwsAccess, chainSettings, clientSettings} from '../aws-client-settings.js';

/**
 * An EC2 client with the logs client's credentials, Region and endpoint (a local endpoint such as
 * the demo's or moto answers both APIs). Import this module lazily: the EC2 SDK is large, and a run
 * must not pay for it at start-up.
 */
export function createEc2Client(options: AwsAccess): EC2Client {
	return new EC2Client(
		clientSettings(options, 2, () => {
			const standard = new EC2Client(chainSettings(options));
			const {credentials, region} = standard.config;
			standard.destroy();
			return {credentials, region};
		}),
	);
}
