import {ExpectedFields, hyphenate} from './expected-fields.js';
import type {FieldExpectation} from './pair.js';

/** Elastic keys (ECS and integration renames) that carry a flow-log field: normalize.md's map. */
const ecsFields: Readonly<Record<string, string>> = {
	'cloud.account.id': 'account-id',
	'source.address': 'srcaddr',
	'source.ip': 'srcaddr',
	'destination.address': 'dstaddr',
	'destination.ip': 'dstaddr',
	'source.port': 'srcport',
	'destination.port': 'dstport',
	'network.iana_number': 'protocol',
	'source.packets': 'packets',
	'network.packets': 'packets',
	'source.bytes': 'bytes',
	'network.bytes': 'bytes',
	'event.start': 'start',
	'event.end': 'end',
	'@timestamp': 'end',
	'event.action': 'action',
	'cloud.instance.id': 'instance-id',
	'cloud.region': 'region',
	'cloud.availability_zone': 'az-id',
	'aws.vpcflow.sublocation.type': 'sublocation-type',
	'aws.vpcflow.sublocation.id': 'sublocation-id',
	'aws.vpcflow.pkt_src_service': 'pkt-src-aws-service',
	'aws.vpcflow.pkt_dst_service': 'pkt-dst-aws-service',
	'network.direction': 'flow-direction',
	'orchestrator.cluster.id': 'ecs-cluster-arn',
	'orchestrator.cluster.name': 'ecs-cluster-name',
	'orchestrator.resource.name': 'ecs-container-instance-arn',
	'orchestrator.resource.id': 'ecs-container-instance-id',
	'container.id': 'ecs-container-id',
	'service.name': 'ecs-service-name',
	'event.reason': 'reject-reason',
};

// Enrichment and bookkeeping a plain parser does not produce; the input line is not a field either.
const derivedKeys = new Set([
	'aws.vpcflow.tcp_flags_array',
	'network.transport',
	'network.type',
	'event.outcome',
	'event.type',
	'event.kind',
	'event.category',
	'related.ip',
	'network.community_id',
	'cloud.provider',
	'ecs.version',
	'tags',
	'log.offset',
	'orchestrator.type',
	'orchestrator.resource.type',
	'event.original',
	'message',
]);

const derivedPattern = /\.(?:geo|as)\./;

/** Nested Elastic documents as flat dotted keys; arrays are values, empty objects vanish. */
export function flatten(
	document: Readonly<Record<string, unknown>>,
	prefix = '',
	out: Record<string, unknown> = {},
): Record<string, unknown> {
	for (const [key, value] of Object.entries(document)) {
		const name = prefix + key;
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			flatten(value as Record<string, unknown>, `${name}.`, out);
		} else {
			out[name] = value;
		}
	}

	return out;
}

/** The AWS fields an Elastic event (ECS mode, or a pipeline's output) says the line holds. */
export function elasticExpectation(
	origin: string,
	document: Readonly<Record<string, unknown>>,
	ignore: readonly string[] = [],
): FieldExpectation {
	const expected = new ExpectedFields(origin);
	expected.ignore(ignore);
	for (const [key, value] of Object.entries(flatten(document))) {
		if (derivedKeys.has(key) || derivedPattern.test(key)) {
			continue;
		}

		const field =
			ecsFields[key] ?? (key.startsWith('aws.vpcflow.') ? hyphenate(key.slice('aws.vpcflow.'.length)) : undefined);
		if (field === undefined) {
			throw new Error(`${origin}: no flow-log field for Elastic key ${key}`);
		}

		// Beats writes event.action in lower case; the aws.vpcflow copy keeps AWS's spelling.
		expected.set(field, value, key === 'event.action');
	}

	return expected.build();
}
