import {afterEach, describe, expect, it} from 'vitest';
import {DemoSource} from '../../source/demo/demo-source.js';
import {ENI} from '../../source/demo/vpc/default-vpc.js';
import {FlowStore} from '../../source/engine/store.js';
import {ExplainedDiagnosis} from '../../source/vpc/explained-diagnosis.js';
import {VirtualTime} from '../sources/insights/virtual-time.js';
import {MINUTE, T0} from '../sources/insights/world.js';

let stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	await Promise.all(stops.map(async stop => stop()));
	stops = [];
});

/** The sg-missing-rule demo polled once into a store, and the live view's diagnosis of it. */
async function diagnosed(options: {ec2Denied?: boolean; ec2?: boolean; onRead?: (gateways: string[]) => void} = {}) {
	const time = new VirtualTime(T0, 2);
	const source = new DemoSource({
		scenario: 'sg-missing-rule',
		windowMs: 10 * MINUTE,
		timing: time,
		random: () => 0.5,
		ec2Denied: options.ec2Denied,
	});
	const store = new FlowStore({windowSeconds: 600});
	time.runFreely();
	await source.pollOnce({
		records: records => store.add(records),
		columns: batch => store.addColumns(batch),
		status() {},
	});
	const diagnosis = new ExplainedDiagnosis({
		aws: async () => source.awsAccess(),
		ec2: options.ec2 ?? true,
		onRead: configuration => options.onRead?.(configuration.natGateways()),
	});
	stops.push(
		async () => source.stop(),
		() => diagnosis.stop(),
	);
	await diagnosis.refresh();
	const database = diagnosis.update(store, time.now()).find(finding => finding.eni === ENI.db);
	return {diagnosis, database};
}

describe("the live view's diagnosis and the VPC's configuration", {timeout: 30_000}, () => {
	it('names the missing security group rule when EC2 answers', async () => {
		const {diagnosis, database} = await diagnosed();
		expect(diagnosis.note()).toBeUndefined();
		expect(database).toMatchObject({
			name: 'RDSNetworkInterface (PostgreSQL shop-db)',
			type: 'database',
			rule: {layer: 'security-group', resource: 'sg-0e5f60718293a4b52'},
		});
		expect(database?.summary).toContain(`${ENI.db} (database)`);
	});

	it('tells the source which interfaces are NAT gateways each time it reads the configuration', async () => {
		const told: string[][] = [];
		const {diagnosis} = await diagnosed({onRead: gateways => told.push(gateways)});
		await diagnosis.refresh();
		expect(told).toEqual([[ENI.nat], [ENI.nat]]);
	});

	it('falls back to inference, and says what is missing in one line, when the EC2 calls are denied', async () => {
		const {diagnosis, database} = await diagnosed({ec2Denied: true});
		expect(diagnosis.note()).toMatch(
			/^no EC2 read access \(ec2:Describe\w+ refused\): findings infer from the traffic/,
		);
		expect(database?.rule).toBeUndefined();
		expect(database?.name).toBeUndefined();
		expect(database?.advice).toContain('Flow logs cannot tell which of the two refused');
	});

	it('makes no EC2 call with --no-ec2, and says so', async () => {
		const {diagnosis, database} = await diagnosed({ec2: false});
		expect(diagnosis.note()).toBe('EC2 configuration off (--no-ec2): findings infer from the traffic');
		expect(database?.rule).toBeUndefined();
	});
});
