import {describe, expect, it} from 'vitest';
import {DEFAULT_FIELDS, FIELDS, fieldSpec, isFieldName} from '../../source/flowlog/fields.js';

function namesWhere(keep: (spec: (typeof FIELDS)[number]) => boolean): string[] {
	return FIELDS.filter(keep).map(spec => spec.name);
}

describe('the flow-log fields AWS documents', () => {
	it('are typed as their values are: numbers, addresses, or opaque text', () => {
		expect(namesWhere(spec => spec.type === 'int')).toEqual([
			'version',
			'srcport',
			'dstport',
			'protocol',
			'packets',
			'bytes',
			'start',
			'end',
			'tcp-flags',
			'traffic-path',
			'packets-lost-no-route',
			'packets-lost-blackhole',
			'packets-lost-mtu-exceeded',
			'packets-lost-ttl-expired',
			'encryption-status',
		]);
		expect(namesWhere(spec => spec.type === 'ip')).toEqual(['srcaddr', 'dstaddr', 'pkt-srcaddr', 'pkt-dstaddr']);
		expect(namesWhere(spec => spec.type === 'string')).toHaveLength(53);
		expect(fieldSpec('account-id')?.type).toBe('string');
		expect(fieldSpec('next-hop-interface-type')?.type).toBe('string');
	});

	it('carry the version that introduced them: the default format is version 2', () => {
		const inVersion = (version: number) => namesWhere(spec => spec.version === version);
		expect(inVersion(2)).toEqual(DEFAULT_FIELDS);
		expect(inVersion(3)).toEqual([
			'vpc-id',
			'subnet-id',
			'instance-id',
			'tcp-flags',
			'type',
			'pkt-srcaddr',
			'pkt-dstaddr',
		]);
		expect(inVersion(4)).toEqual(['region', 'az-id', 'sublocation-type', 'sublocation-id']);
		expect(inVersion(5)).toEqual(['pkt-src-aws-service', 'pkt-dst-aws-service', 'flow-direction', 'traffic-path']);
		expect(inVersion(6)).toEqual([
			'resource-type',
			'tgw-id',
			'tgw-attachment-id',
			'tgw-src-vpc-account-id',
			'tgw-dst-vpc-account-id',
			'tgw-src-vpc-id',
			'tgw-dst-vpc-id',
			'tgw-src-subnet-id',
			'tgw-dst-subnet-id',
			'tgw-src-eni',
			'tgw-dst-eni',
			'tgw-src-az-id',
			'tgw-dst-az-id',
			'tgw-pair-attachment-id',
			'packets-lost-no-route',
			'packets-lost-blackhole',
			'packets-lost-mtu-exceeded',
			'packets-lost-ttl-expired',
		]);
		expect(inVersion(7)).toEqual([
			'ecs-cluster-arn',
			'ecs-cluster-name',
			'ecs-container-instance-arn',
			'ecs-container-instance-id',
			'ecs-container-id',
			'ecs-second-container-id',
			'ecs-service-name',
			'ecs-task-definition-arn',
			'ecs-task-arn',
			'ecs-task-id',
		]);
		expect(inVersion(8)).toEqual(['reject-reason']);
		expect(inVersion(9)).toEqual(['resource-id']);
		expect(inVersion(10)).toEqual(['encryption-status']);
		expect(inVersion(11)).toEqual([
			'instance-tag',
			'instance-tag-2',
			'interface-tag',
			'interface-tag-2',
			'asg-tag',
			'asg-tag-2',
			'interface-type',
			'next-hop-interface-id',
			'next-hop-subnet-id',
			'next-hop-az-id',
			'next-hop-vpc-id',
			'next-hop-interface-type',
		]);
	});

	it('go by the names Logs Insights discovers for the default format, and camelCase for the rest', () => {
		expect(DEFAULT_FIELDS.map(name => fieldSpec(name)?.insights)).toEqual([
			'version',
			'accountId',
			'interfaceId',
			'srcAddr',
			'dstAddr',
			'srcPort',
			'dstPort',
			'protocol',
			'packets',
			'bytes',
			'startTime',
			'endTime',
			'action',
			'logStatus',
		]);
		expect(
			['pkt-srcaddr', 'pkt-dstaddr', 'tcp-flags', 'flow-direction', 'instance-tag-2', 'tgw-src-az-id'].map(
				name => fieldSpec(name)?.insights,
			),
		).toEqual(['pktSrcAddr', 'pktDstAddr', 'tcpFlags', 'flowDirection', 'instanceTag2', 'tgwSrcAzId']);
	});

	it('are known by their AWS names only', () => {
		expect(isFieldName('srcaddr')).toBe(true);
		expect(isFieldName('srcAddr')).toBe(false);
		expect(isFieldName('src_addr')).toBe(false);
		expect(fieldSpec('nonsense')).toBeUndefined();
	});
});
