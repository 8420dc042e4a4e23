import {parseFormatString} from '../../flowlog/format.js';

/**
 * The flow-log format the demo's VPC writes: a custom version 5 format, the one a team sets up when
 * it means to debug with flow logs rather than merely keep them.
 *
 * - The 14 default fields come first, in their usual order, so every default-format habit still holds.
 * - `flow-direction` says ingress or egress outright, where the default format leaves it to be
 *   inferred from the interface's address: the NACL return-traffic diagnosis turns on it.
 * - `tcp-flags` tells a bare SYN (an attempt: scans, brute force) from an established flow.
 * - `pkt-srcaddr` / `pkt-dstaddr` keep the original addresses behind a NAT gateway, whose records
 *   otherwise show only its own address.
 * - `vpc-id`, `subnet-id`, `instance-id`, `az-id` name where to apply the fix.
 * - `traffic-path` and `pkt-*-aws-service` show traffic leaving through the NAT or reaching S3.
 *
 * And a custom format makes every demo run exercise the harder query path: Insights discovers no
 * fields in it, so filters go through `parse`. The default format is an option (`--format`).
 */
export const DEMO_FORMAT = parseFormatString(
	'${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}' +
		' ${vpc-id} ${subnet-id} ${instance-id} ${az-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr}' +
		' ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}',
);
