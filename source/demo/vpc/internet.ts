import {canonical, isPublicUnicast} from '../../vpc/address.js';
import {hashName, Random} from './random.js';

/** Client operating systems differ in the ephemeral ports they pick, which shows in the records. */
export type HostOs = 'linux' | 'windows' | 'macos';

export interface InternetHost {
	readonly address: string;
	readonly os: HostOs;
}

/** Hosts outside the VPC that the workloads talk to or hear from. Fixed addresses, so tests can name them. */
export const OUTSIDE = {
	paymentsApi: '54.187.216.72',
	ntpServers: ['162.159.200.123', '129.6.15.28', '216.239.35.0'],
	dnsResolvers: ['8.8.8.8', '1.1.1.1'],
	s3: ['52.216.8.3', '52.216.164.77', '52.217.98.14', '52.217.230.5'],
	/** The engineers' office, SSHing to the bastion now and then. */
	office: ['81.2.69.142', '81.2.69.160'],
	/** Inside MONITOR_CIDR. */
	uptimeMonitor: '18.206.107.26',
	/** port-scan: one host sweeping the bastion's ports. */
	scanner: '92.118.39.73',
	/** misconfigured-client: a partner's health checker pointed at the wrong port. */
	misconfiguredChecker: '3.91.170.28',
	/** peering-blackhole: a PostgreSQL replica in a peered VPC (10.8.0.0/16). */
	replica: '10.8.0.10',
} as const;

/** The ephemeral port a client on this OS opens a connection from. */
export function ephemeralPort(os: HostOs, random: Random): number {
	// Linux: net.ipv4.ip_local_port_range 32768-60999; Windows and macOS: the IANA range.
	return os === 'linux' ? random.int(32_768, 60_999) : random.int(49_152, 65_535);
}

/** A public IPv4 address, drawn from the whole space: a crowd's next client is nearly always new. */
export function randomIpv4(random: Random): string {
	for (;;) {
		const address = [random.int(1, 223), random.int(0, 255), random.int(0, 255), random.int(1, 254)].join('.');
		if (isPublicUnicast(address)) {
			return address;
		}
	}
}

function randomIpv6(random: Random): string {
	for (;;) {
		// Global unicast as the RIRs hand it out: 2400::/8 through 2a0f::/16.
		const groups = [random.int(0x24_00, 0x2a_0f), ...Array.from({length: 7}, () => random.int(0, 0xff_ff))];
		const address = canonical(groups.map(group => group.toString(16)).join(':'));
		if (isPublicUnicast(address)) {
			return address;
		}
	}
}

function hosts(random: Random, count: number, address: (random: Random) => string): InternetHost[] {
	const oses: HostOs[] = ['windows', 'windows', 'macos', 'linux'];
	return Array.from({length: count}, () => ({address: address(random), os: random.pick(oses)}));
}

/** The crowd on the other side of the internet gateway, drawn once per seed. */
export class Internet {
	/** Customers of the shop: a long tail, a few of them busy. */
	readonly customers: readonly InternetHost[];
	readonly customers6: readonly InternetHost[];
	/** ssh-brute-force: a botnet. */
	readonly bots: readonly InternetHost[];

	constructor(seed: number) {
		const random = Random.stream(seed, hashName('internet'));
		this.customers = hosts(random, 200, randomIpv4);
		this.customers6 = hosts(random, 40, randomIpv6);
		this.bots = hosts(random, 25, randomIpv4).map(host => ({...host, os: 'linux' as const}));
	}

	/** A stranger: the kind of address that knocks on a NAT gateway's Elastic IP. */
	stranger(random: Random): InternetHost {
		return {address: randomIpv4(random), os: 'linux'};
	}
}
