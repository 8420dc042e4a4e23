import {describe, expect, it} from 'vitest';
import {diagnose} from '../../source/diagnosis/diagnose.js';
import {FlowStore} from '../../source/engine/store.js';
import {VpcConfiguration} from '../../source/vpc/configuration.js';
import {records, v2} from '../helpers/lines.js';

/** A cache's interface logging only refused attempts from one app server: both addresses are in every record. */
function refusedAttempts(): FlowStore {
	const store = new FlowStore();
	store.add(
		records(
			[1, 2, 3, 4, 5, 6].map(attempt =>
				v2({
					'interface-id': 'eni-cache',
					srcaddr: '10.0.20.21',
					dstaddr: '10.0.30.50',
					srcport: 52_000 + attempt,
					dstport: 6379,
					packets: 1,
					bytes: 60,
					action: 'REJECT',
					start: 1_700_000_000 + attempt * 60,
					end: 1_700_000_050 + attempt * 60,
				}),
			),
		),
	);
	return store;
}

const configuration = new VpcConfiguration({
	vpcs: [{id: 'vpc-1', cidrs: ['10.0.0.0/16']}],
	subnets: [{id: 'subnet-data', vpcId: 'vpc-1', cidrs: ['10.0.30.0/24'], aclId: 'acl-data'}],
	interfaces: [
		{
			id: 'eni-cache',
			kind: 'instance',
			addresses: ['10.0.30.50'],
			subnetId: 'subnet-data',
			vpcId: 'vpc-1',
			securityGroupIds: [],
		},
	],
	securityGroups: [],
	networkAcls: [],
});

describe('interface identity from the configuration', () => {
	it('tells which way refused records crossed an interface where the records alone cannot', () => {
		const findings = diagnose(refusedAttempts(), {identity: configuration});
		expect(findings.map(finding => [finding.kind, finding.direction])).toEqual([['inbound-rejected', 'inbound']]);
	});
});
