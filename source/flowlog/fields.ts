/**
 * Every field AWS documents for VPC (and Transit Gateway) flow-log records, with the version that
 * introduced it, the name Logs Insights gives it, and how its value is typed.
 *
 * The version matters because AWS writes the highest version among a custom format's fields into
 * `${version}`; the Insights name matters because the default format's fields are auto-discovered
 * under those names and custom formats are `parse`d into the same names, so one query builder
 * serves both.
 */

export type FieldType =
	/** Whole number that fits a JavaScript number exactly (ports, protocol, counters, epochs). */
	| 'int'
	/** IPv4 or IPv6 address. */
	| 'ip'
	/** Opaque text (ids, enums, names). */
	| 'string';

export interface FieldSpec {
	/** The AWS name, as written in a format string: `interface-id`. */
	readonly name: string;
	/** The Logs Insights field name: `interfaceId`. */
	readonly insights: string;
	readonly type: FieldType;
	/** Flow-log version that introduced the field (6 marks Transit Gateway flow-log fields). */
	readonly version: number;
}

function camel(name: string): string {
	return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

// Insights spells a few default-format fields its own way; everything else is camelCase.
const insightsOverrides: Record<string, string> = {
	srcaddr: 'srcAddr',
	dstaddr: 'dstAddr',
	srcport: 'srcPort',
	dstport: 'dstPort',
	start: 'startTime',
	end: 'endTime',
	'pkt-srcaddr': 'pktSrcAddr',
	'pkt-dstaddr': 'pktDstAddr',
};

function field(name: string, type: FieldType, version: number): FieldSpec {
	return {name, insights: insightsOverrides[name] ?? camel(name), type, version};
}

export const FIELDS: readonly FieldSpec[] = [
	field('version', 'int', 2), // flow-log version: 2 for the default format, else the highest version among the fields
	field('account-id', 'string', 2), // AWS account owning the interface (may be "unknown" for AWS-managed interfaces)
	field('interface-id', 'string', 2), // network interface the traffic is recorded on
	field('srcaddr', 'ip', 2), // source address (the interface's own private address for outgoing traffic)
	field('dstaddr', 'ip', 2), // destination address (the interface's own private address for incoming traffic)
	field('srcport', 'int', 2), // source port
	field('dstport', 'int', 2), // destination port
	field('protocol', 'int', 2), // IANA protocol number
	field('packets', 'int', 2), // packets in the flow during the capture window
	field('bytes', 'int', 2), // bytes in the flow during the capture window
	field('start', 'int', 2), // Unix seconds of the first packet in the capture window
	field('end', 'int', 2), // Unix seconds of the last packet in the capture window
	field('action', 'string', 2), // ACCEPT or REJECT
	field('log-status', 'string', 2), // OK, NODATA (no traffic) or SKIPDATA (records skipped)
	field('vpc-id', 'string', 3), // VPC of the interface
	field('subnet-id', 'string', 3), // subnet of the interface
	field('instance-id', 'string', 3), // instance attached to the interface, if owned by you
	field('tcp-flags', 'int', 3), // OR of TCP flags seen: FIN 1, SYN 2, RST 4, SYN-ACK 18
	field('type', 'string', 3), // IPv4, IPv6 or EFA
	field('pkt-srcaddr', 'ip', 3), // packet-level (original) source address
	field('pkt-dstaddr', 'ip', 3), // packet-level (original) destination address
	field('region', 'string', 4), // Region of the interface
	field('az-id', 'string', 4), // Availability Zone id of the interface
	field('sublocation-type', 'string', 4), // wavelength, outpost or localzone
	field('sublocation-id', 'string', 4), // id of the sublocation
	field('pkt-src-aws-service', 'string', 5), // AWS service owning pkt-srcaddr (S3, EC2, ...)
	field('pkt-dst-aws-service', 'string', 5), // AWS service owning pkt-dstaddr
	field('flow-direction', 'string', 5), // ingress or egress, relative to the interface
	field('traffic-path', 'int', 5), // path egress traffic takes (1 VPC, 2 IGW, 3 VGW, 4 peering, 5 TGW, 6-8 other)
	field('resource-type', 'string', 6), // Transit Gateway flow logs: type of the resource (TransitGatewayAttachment)
	field('tgw-id', 'string', 6), // transit gateway id
	field('tgw-attachment-id', 'string', 6), // transit gateway attachment id
	field('tgw-src-vpc-account-id', 'string', 6), // account of the source VPC
	field('tgw-dst-vpc-account-id', 'string', 6), // account of the destination VPC
	field('tgw-src-vpc-id', 'string', 6), // source VPC
	field('tgw-dst-vpc-id', 'string', 6), // destination VPC
	field('tgw-src-subnet-id', 'string', 6), // source subnet
	field('tgw-dst-subnet-id', 'string', 6), // destination subnet
	field('tgw-src-eni', 'string', 6), // source attachment ENI
	field('tgw-dst-eni', 'string', 6), // destination attachment ENI
	field('tgw-src-az-id', 'string', 6), // source Availability Zone id
	field('tgw-dst-az-id', 'string', 6), // destination Availability Zone id
	field('tgw-pair-attachment-id', 'string', 6), // the attachment of the other direction of the flow
	field('packets-lost-no-route', 'int', 6), // packets lost: no route
	field('packets-lost-blackhole', 'int', 6), // packets lost: blackhole route
	field('packets-lost-mtu-exceeded', 'int', 6), // packets lost: MTU exceeded
	field('packets-lost-ttl-expired', 'int', 6), // packets lost: TTL expired
	field('ecs-cluster-arn', 'string', 7), // ECS cluster ARN
	field('ecs-cluster-name', 'string', 7), // ECS cluster name
	field('ecs-container-instance-arn', 'string', 7), // ECS container instance ARN
	field('ecs-container-instance-id', 'string', 7), // ECS container instance id
	field('ecs-container-id', 'string', 7), // Docker id of the first container of the task
	field('ecs-second-container-id', 'string', 7), // Docker id of the second container of the task
	field('ecs-service-name', 'string', 7), // ECS service name
	field('ecs-task-definition-arn', 'string', 7), // ECS task definition ARN
	field('ecs-task-arn', 'string', 7), // ECS task ARN
	field('ecs-task-id', 'string', 7), // ECS task id
	field('reject-reason', 'string', 8), // why traffic was rejected (BPA: VPC Block Public Access)
	field('resource-id', 'string', 9), // id of the resource the interface belongs to (a NAT gateway, say)
	field('encryption-status', 'int', 10), // 0 not encrypted, 1 encrypted by Nitro, 2 by the application, 3 both
	field('instance-tag', 'string', 11), // value of the first selected instance tag
	field('instance-tag-2', 'string', 11), // value of the second selected instance tag
	field('interface-tag', 'string', 11), // value of the first selected interface tag
	field('interface-tag-2', 'string', 11), // value of the second selected interface tag
	field('asg-tag', 'string', 11), // value of the first selected Auto Scaling group tag
	field('asg-tag-2', 'string', 11), // value of the second selected Auto Scaling group tag
	field('interface-type', 'string', 11), // kind of interface: interface, nat_gateway, network_load_balancer, ...
	field('next-hop-interface-id', 'string', 11), // interface the traffic is routed to next
	field('next-hop-subnet-id', 'string', 11), // subnet of the next hop
	field('next-hop-az-id', 'string', 11), // Availability Zone id of the next hop
	field('next-hop-vpc-id', 'string', 11), // VPC of the next hop
	field('next-hop-interface-type', 'string', 11), // kind of the next-hop interface
];

const byName = new Map(FIELDS.map(spec => [spec.name, spec]));

export function fieldSpec(name: string): FieldSpec | undefined {
	return byName.get(name);
}

export function isFieldName(name: string): boolean {
	return byName.has(name);
}

/** The format AWS writes when no custom format is given (all version 2 fields, in table order). */
export const DEFAULT_FIELDS: readonly string[] = FIELDS.filter(spec => spec.version === 2).map(spec => spec.name);
