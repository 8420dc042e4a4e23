import {parseFormatString, type FlowFormat} from '../../source/flowlog/format.js';

const v2 =
	'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
const v5 = `${v2} vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path`;
const ecs = `${v5} ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id`;

/**
 * The Elastic module and pipeline have no format string: they pick a layout by how many tokens a
 * line has (normalize.md; the 36/39/40 layouts are inferred from the expected outputs).
 */
const layouts = new Map<number, string>([
	[14, v2],
	[6, 'instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr'],
	[
		17,
		'version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status',
	],
	[
		21,
		'version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status',
	],
	[29, v5],
	[39, ecs],
	[40, `${ecs} reject-reason`],
	[
		36,
		'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region flow-direction pkt-src-aws-service pkt-dst-aws-service',
	],
]);

/** The layout Elastic would choose for this line (tokens split on single spaces, as its dissect does). */
export function tokenCountLayout(line: string): FlowFormat | undefined {
	const layout = layouts.get(line.split(' ').length);
	return layout === undefined ? undefined : parseFormatString(layout);
}
