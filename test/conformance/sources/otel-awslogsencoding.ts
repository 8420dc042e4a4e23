import {parse} from 'yaml';
import {DEFAULT_FORMAT, parseFormatString, type FlowFormat} from '../../../source/flowlog/format.js';
import type {SourceDirectory} from '../corpus.js';
import {ExpectedFields} from '../expected-fields.js';
import {malformed, type Expectation, type FileCase} from '../pair.js';

interface Attribute {
	readonly key: string;
	readonly value: {readonly stringValue?: string; readonly intValue?: string};
}

interface LogRecord {
	readonly attributes: readonly Attribute[];
	readonly timeUnixNano?: string;
}

interface Expected {
	readonly resourceLogs: ReadonlyArray<{
		readonly resource: {readonly attributes: readonly Attribute[]};
		readonly scopeLogs: ReadonlyArray<{readonly logRecords: readonly LogRecord[]}>;
	}>;
}

/** OTel attribute → AWS field, after normalize.md (the old names are from an older revision). */
const attributeFields: Readonly<Record<string, string>> = {
	'cloud.account.id': 'account-id',
	'cloud.region': 'region',
	'aws.vpc.flow.log.version': 'version',
	'aws.vpc.flow.version': 'version',
	'network.interface.name': 'interface-id',
	'aws.eni.id': 'interface-id',
	'source.address': 'srcaddr',
	'destination.address': 'dstaddr',
	'source.port': 'srcport',
	'destination.port': 'dstport',
	'aws.vpc.flow.packets': 'packets',
	'aws.vpc.flow.bytes': 'bytes',
	'aws.vpc.flow.start': 'start',
	'aws.vpc.flow.end': 'end',
	'aws.vpc.flow.action': 'action',
	'aws.vpc.flow.status': 'log-status',
	'network.tcp.flags': 'tcp-flags',
	'aws.vpc.flow.packets_lost_no_route': 'packets-lost-no-route',
	'aws.vpc.flow.packets_lost_blackhole': 'packets-lost-blackhole',
	'aws.vpc.flow.packets_lost_mtu_exceeded': 'packets-lost-mtu-exceeded',
	'aws.vpc.flow.packets_lost_ttl_expired': 'packets-lost-ttl-expired',
	'aws.tgw.id': 'tgw-id',
	'aws.tgw.attachment.id': 'tgw-attachment-id',
	'aws.tgw.attachment.pair.id': 'tgw-pair-attachment-id',
	'aws.tgw.source.vpc.id': 'tgw-src-vpc-id',
	'aws.tgw.destination.vpc.id': 'tgw-dst-vpc-id',
	'aws.tgw.source.vpc.subnet.id': 'tgw-src-subnet-id',
	'aws.tgw.destination.vpc.subnet.id': 'tgw-dst-subnet-id',
	'aws.tgw.source.eni.id': 'tgw-src-eni',
	'aws.tgw.destination.eni.id': 'tgw-dst-eni',
	'aws.tgw.source.az.id': 'tgw-src-az-id',
	'aws.tgw.destination.az.id': 'tgw-dst-az-id',
	'aws.ecs.cluster.arn': 'ecs-cluster-arn',
	'aws.ecs.cluster.name': 'ecs-cluster-name',
	'aws.ecs.container.instance.arn': 'ecs-container-instance-arn',
	'aws.ecs.container.instance.id': 'ecs-container-instance-id',
	'aws.ecs.container.id': 'ecs-container-id',
	'aws.ecs.second.container.id': 'ecs-second-container-id',
	'aws.ecs.service.name': 'ecs-service-name',
	'aws.ecs.task.definition.arn': 'ecs-task-definition-arn',
	'aws.ecs.task.arn': 'ecs-task-arn',
	'aws.ecs.task.id': 'ecs-task-id',
};

// The unmarshaler names the protocol instead of numbering it, and says receive/send for the direction.
const protocolNumbers: Readonly<Record<string, number>> = {icmp: 1, tcp: 6, udp: 17};
const directions: Readonly<Record<string, string>> = {receive: 'ingress', send: 'egress'};

// Resource attributes that describe where the logs came from, not a flow-log field.
const provenance = new Set(['cloud.provider', 'aws.log.group.names', 'aws.log.stream.names']);

const emitted = new Set([...Object.values(attributeFields), 'protocol', 'type', 'flow-direction', 'end']);

function attributeValue(attribute: Attribute): string | undefined {
	return attribute.value.stringValue ?? attribute.value.intValue;
}

function translate(table: Readonly<Record<string, string | number>>, attribute: Attribute): string | number {
	const value = table[attributeValue(attribute) ?? ''];
	if (value === undefined) {
		throw new Error(`otel: unknown ${attribute.key} ${JSON.stringify(attribute.value)}`);
	}

	return value;
}

function setAttribute(expected: ExpectedFields, attribute: Attribute): void {
	const value = attributeValue(attribute);
	switch (attribute.key) {
		case 'network.protocol.name': {
			expected.set('protocol', translate(protocolNumbers, attribute));
			break;
		}

		case 'network.type': {
			expected.set('type', value, true);
			break;
		}

		case 'network.io.direction': {
			expected.set('flow-direction', translate(directions, attribute));
			break;
		}

		default: {
			const field = attributeFields[attribute.key];
			if (field === undefined) {
				throw new Error(`otel: no flow-log field for attribute ${attribute.key}`);
			}

			expected.set(field, value);
		}
	}
}

function expectations(name: string, document: Expected, fields: readonly string[]): Expectation[] {
	const out: Expectation[] = [];
	for (const resourceLog of document.resourceLogs) {
		const resource = resourceLog.resource.attributes.filter(attribute => !provenance.has(attribute.key));
		for (const record of resourceLog.scopeLogs.flatMap(scope => scope.logRecords)) {
			const expected = new ExpectedFields(`${name}#${out.length + 1}`);
			expected.ignore(fields.filter(field => !emitted.has(field)));
			for (const attribute of [...resource, ...record.attributes]) {
				setAttribute(expected, attribute);
			}

			if (record.timeUnixNano !== undefined) {
				const nanoseconds = BigInt(record.timeUnixNano);
				if (nanoseconds % 1_000_000_000n !== 0n) {
					throw new Error(`${name}: timeUnixNano ${record.timeUnixNano} is not whole seconds`);
				}

				expected.set('end', String(nanoseconds / 1_000_000_000n));
			}

			out.push(expected.build());
		}
	}

	return out;
}

interface Pairing {
	readonly input: string;
	readonly expected: string;
	/** From the upstream test config, for the CloudWatch envelope; S3 files carry a header. */
	readonly format?: string;
}

const pairings: readonly Pairing[] = [
	{input: 'valid_vpc_flow_log_multi.log', expected: 'valid_vpc_flow_log_expected_multi.yaml'},
	{input: 'valid_vpc_flow_log_ecs.log', expected: 'valid_vpc_flow_log_ecs_expected.yaml'},
	{input: 'valid_tgw_flow_log.log', expected: 'valid_tgw_flow_log_expected.yaml'},
	{input: 'valid_vpc_flow_log.log', expected: 'valid_vpc_flow_log_expected.yaml'},
	{
		input: 'valid_vpc_flow_cw_custom.json',
		expected: 'valid_vpc_flow_cw_custom_expected.yaml',
		format: 'version interface-id srcaddr dstaddr',
	},
];

/** Lines with fewer or more tokens than the header: the unmarshaler errors. */
const rejected = ['vpc_flow_log_too_few_fields.log', 'vpc_flow_log_too_many_fields.log'];

/** OpenTelemetry's awslogsencoding extension: whole S3 files (header first) and a CloudWatch envelope. */
export function otelAwsLogsEncoding(directory: SourceDirectory): FileCase[] {
	const cases: FileCase[] = pairings.map(pairing => {
		const text = directory.text(pairing.input);
		const format: FlowFormat = pairing.format === undefined ? DEFAULT_FORMAT : parseFormatString(pairing.format);
		const fields = pairing.format === undefined ? text.split('\n')[0]!.split(' ') : format.fields;
		const expect = expectations(pairing.input, parse(directory.text(pairing.expected)) as Expected, fields);
		return {kind: 'file', source: directory.source, id: pairing.input, text, format, expect};
	});
	for (const input of rejected) {
		cases.push({
			kind: 'file',
			source: directory.source,
			id: input,
			text: directory.text(input),
			format: DEFAULT_FORMAT,
			expect: [malformed],
		});
	}

	return cases;
}
