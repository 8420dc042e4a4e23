// The two tables here are data, names as IANA and people write them: the tests pin what the code
// makes of them (a name back to its number, a known service winning the port pair), not each entry.
// Stryker disable StringLiteral,ArrayDeclaration
/** IANA protocol numbers a VPC actually carries, by the names people say them. */
const protocolNames = new Map<number, string>([
	[0, 'HOPOPT'],
	[1, 'ICMP'],
	[2, 'IGMP'],
	[4, 'IPv4'],
	[6, 'TCP'],
	[8, 'EGP'],
	[17, 'UDP'],
	[27, 'RDP'],
	[41, 'IPv6'],
	[43, 'IPv6-Route'],
	[44, 'IPv6-Frag'],
	[46, 'RSVP'],
	[47, 'GRE'],
	[50, 'ESP'],
	[51, 'AH'],
	[58, 'ICMPv6'],
	[59, 'IPv6-NoNxt'],
	[60, 'IPv6-Opts'],
	[88, 'EIGRP'],
	[89, 'OSPF'],
	[94, 'IPIP'],
	[103, 'PIM'],
	[112, 'VRRP'],
	[115, 'L2TP'],
	[132, 'SCTP'],
	[136, 'UDPLite'],
	[137, 'MPLS-in-IP'],
]);
// Stryker restore StringLiteral,ArrayDeclaration

const protocolNumbers = new Map([...protocolNames].map(([number, name]) => [name.toLowerCase(), number]));

export function protocolName(protocol: number): string {
	return protocolNames.get(protocol) ?? `proto ${protocol}`;
}

/** Number for a name (`tcp`, `ICMPv6`) or a decimal string; undefined when neither. */
export function protocolNumber(text: string): number | undefined {
	const lower = text.toLowerCase();
	const known = protocolNumbers.get(lower);
	if (known !== undefined) {
		return known;
	}

	if (/^\d{1,3}$/.test(text)) {
		const value = Number(text);
		return value <= 255 ? value : undefined;
	}

	return undefined;
}

// Stryker disable StringLiteral,ArrayDeclaration
/** Well-known services by port, for TCP and UDP; the ones an on-call engineer recognises. */
const services = new Map<number, string>([
	[20, 'FTP-data'],
	[21, 'FTP'],
	[22, 'SSH'],
	[23, 'Telnet'],
	[25, 'SMTP'],
	[53, 'DNS'],
	[67, 'DHCP'],
	[68, 'DHCP'],
	[69, 'TFTP'],
	[80, 'HTTP'],
	[88, 'Kerberos'],
	[110, 'POP3'],
	[111, 'RPC'],
	[123, 'NTP'],
	[135, 'MS-RPC'],
	[137, 'NetBIOS'],
	[138, 'NetBIOS'],
	[139, 'NetBIOS'],
	[143, 'IMAP'],
	[161, 'SNMP'],
	[162, 'SNMP-trap'],
	[179, 'BGP'],
	[389, 'LDAP'],
	[443, 'HTTPS'],
	[445, 'SMB'],
	[465, 'SMTPS'],
	[500, 'IKE'],
	[514, 'Syslog'],
	[587, 'SMTP-sub'],
	[636, 'LDAPS'],
	[873, 'rsync'],
	[993, 'IMAPS'],
	[995, 'POP3S'],
	[1433, 'MSSQL'],
	[1521, 'Oracle'],
	[2049, 'NFS'],
	[2375, 'Docker'],
	[2376, 'Docker-TLS'],
	[2379, 'etcd'],
	[3000, 'HTTP-3000'],
	[3306, 'MySQL'],
	[3389, 'RDP'],
	[4500, 'IPsec-NAT'],
	[5000, 'HTTP-5000'],
	[5432, 'PostgreSQL'],
	[5439, 'Redshift'],
	[5671, 'AMQPS'],
	[5672, 'AMQP'],
	[5900, 'VNC'],
	[5985, 'WinRM'],
	[5986, 'WinRM-TLS'],
	[6379, 'Redis'],
	[6443, 'Kubernetes'],
	[8080, 'HTTP-alt'],
	[8443, 'HTTPS-alt'],
	[9000, 'HTTP-9000'],
	[9092, 'Kafka'],
	[9200, 'Elasticsearch'],
	[9300, 'ES-transport'],
	[10250, 'kubelet'],
	[11211, 'Memcached'],
	[27017, 'MongoDB'],
]);

// Stryker restore StringLiteral,ArrayDeclaration

/** The ports of the services servicePortOf knows by name. */
export const SERVICE_PORTS: readonly number[] = [...services.keys()];

export function serviceName(port: number): string | undefined {
	return services.get(port);
}

/** Ports that accept logins: the targets of brute force. */
export const LOGIN_PORTS: ReadonlySet<number> = new Set([21, 22, 23, 1433, 3306, 3389, 5432, 5900, 5985, 5986]);

/** Linux, Windows and NAT gateways all draw client ports from 1024 and up; below it is a service. */
export const FIRST_EPHEMERAL_PORT = 1024;

/**
 * Of a connection's two ports, the one the server listens on: a known service, else the lower of
 * the two (a port below the ephemeral range, when one is, is always the lower). A function of the
 * port pair alone, so a request and its response agree on it.
 */
export function servicePortOf(a: number, b: number): number {
	const aKnown = services.has(a);
	if (aKnown !== services.has(b)) {
		return aKnown ? a : b;
	}

	return Math.min(a, b);
}

export function isPortProtocol(protocol: number | undefined): boolean {
	return protocol === 6 || protocol === 17 || protocol === 132;
}
