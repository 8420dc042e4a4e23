import {describe, expect, it} from 'vitest';
import {VpcConfiguration} from '../../source/vpc/configuration.js';
import {port} from '../../source/vpc/packet.js';
import {explainRejectedFlow} from '../../source/vpc/rule-explanation.js';

/** Two subnets: web (10.0.1.0/24) and data (10.0.2.0/24), one interface each. */
function configuration(
	dataInbound: ConstructorParameters<typeof VpcConfiguration>[0]['networkAcls'][number]['inbound'],
) {
	return new VpcConfiguration({
		vpcs: [{id: 'vpc-1', cidrs: ['10.0.0.0/16']}],
		subnets: [
			{id: 'subnet-web', name: 'web-a', vpcId: 'vpc-1', cidrs: ['10.0.1.0/24'], aclId: 'acl-web'},
			{id: 'subnet-data', name: 'data-a', vpcId: 'vpc-1', cidrs: ['10.0.2.0/24'], aclId: 'acl-data'},
		],
		interfaces: [
			{
				id: 'eni-web',
				kind: 'instance',
				name: 'web-1',
				addresses: ['10.0.1.10'],
				subnetId: 'subnet-web',
				vpcId: 'vpc-1',
				securityGroupIds: ['sg-web'],
			},
			{
				id: 'eni-db',
				kind: 'database',
				name: 'db',
				addresses: ['10.0.2.20'],
				subnetId: 'subnet-data',
				vpcId: 'vpc-1',
				securityGroupIds: ['sg-db'],
			},
		],
		securityGroups: [
			{
				id: 'sg-web',
				name: 'web',
				inbound: [],
				outbound: [{protocol: 'all', peer: {cidr: '0.0.0.0/0'}, description: ''}],
			},
			{
				id: 'sg-db',
				name: 'db',
				inbound: [{protocol: 'tcp', ports: port(5432), peer: {group: 'sg-web'}, description: ''}],
				outbound: [],
			},
		],
		networkAcls: [
			{
				id: 'acl-web',
				name: '',
				inbound: [{number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0'}],
				outbound: [{number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0'}],
			},
			{
				id: 'acl-data',
				name: '',
				inbound: dataInbound,
				outbound: [{number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0'}],
			},
		],
	});
}

const request = {eni: 'eni-db', src: '10.0.1.10', dst: '10.0.2.20', srcPort: 40_000, dstPort: 5432, protocol: 6};

describe('explainRejectedFlow', () => {
	it('names an explicit deny entry, and numbers the fix to come before it', () => {
		const config = configuration([
			{number: 90, action: 'deny', protocol: 'tcp', ports: port(5432), cidr: '10.0.1.0/24'},
			{number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0'},
		]);
		expect(explainRejectedFlow(config, request, 'request')).toMatchObject({
			verdict: 'refuses',
			layer: 'network-acl',
			resource: 'acl-data',
			entry: 90,
			text: 'NACL acl-data of subnet-data (data-a): rule 90 denies inbound TCP 5432 from 10.0.1.0/24, which drops them',
			fix: 'add inbound rule 89 allow TCP 5432 from 10.0.1.0/24',
		});
	});

	it('names the final deny when no entry matches', () => {
		const config = configuration([
			{number: 100, action: 'allow', protocol: 'tcp', ports: port(443), cidr: '0.0.0.0/0'},
		]);
		expect(explainRejectedFlow(config, request, 'request')).toMatchObject({
			entry: '*',
			text: 'NACL acl-data of subnet-data (data-a): no inbound rule allows TCP 5432 from 10.0.1.10 (web-1); the final deny (*) drops them',
			fix: 'add inbound rule 110 allow TCP 5432 from 10.0.1.0/24',
		});
	});

	it("names the security group that lacks a rule, what it does allow, and the peer's group as the fix", () => {
		const config = configuration([{number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0'}]);
		const fromElsewhere = {...request, src: '10.0.1.11'};
		expect(explainRejectedFlow(config, fromElsewhere, 'request')).toMatchObject({
			layer: 'security-group',
			resource: 'sg-db',
			text: 'security group sg-db (db) has no inbound rule for TCP 5432 from 10.0.1.11 (it allows TCP 5432 from sg-web (web))',
			fix: 'add to sg-db an inbound rule for TCP 5432 from 10.0.1.0/24',
		});
	});

	it('says when nothing configured now refuses the flow', () => {
		const config = configuration([{number: 100, action: 'allow', protocol: 'all', cidr: '0.0.0.0/0'}]);
		expect(explainRejectedFlow(config, request, 'request')?.verdict).toBe('allows');
	});

	it('knows nothing of an interface the configuration lacks', () => {
		expect(explainRejectedFlow(configuration([]), {...request, eni: 'eni-other'}, 'request')).toBeUndefined();
	});
});
