import {type Family, familyOf} from '../../vpc/address.js';
import type {Packet} from '../../vpc/packet.js';
import type {NetworkInterface, Vpc} from './vpc.js';

/** One end of a connection: an interface in the VPC, or a host outside it. */
export type Endpoint = {readonly eni: NetworkInterface} | {readonly address: string};

/** How a segment leaves the sender, which is what traffic-path reports for egress records. */
export type Link = 'vpc' | 'internet-gateway' | 'gateway-endpoint' | 'peering';

/**
 * A stretch of a path between two endpoints with the packet as it looks on that stretch. A NAT
 * gateway splits a path in two: before it the packet carries the instance's address, after it the
 * NAT gateway's own address and port.
 */
export interface Segment {
	readonly from: Endpoint;
	readonly to: Endpoint;
	readonly packet: Packet;
	readonly link: Link;
}

export interface RouteRequest {
	readonly client: Endpoint;
	readonly server: Endpoint;
	readonly protocol: number;
	readonly clientPort: number;
	readonly serverPort: number;
	/** Source port a NAT gateway picks for the translated request, when the route goes through one. */
	readonly natPort?: number;
}

export function familyOfConnection(client: Endpoint, server: Endpoint): Family {
	if ('address' in server) {
		return familyOf(server.address);
	}

	return 'address' in client ? familyOf(client.address) : 4;
}

export function addressOf(vpc: Vpc, endpoint: Endpoint, family: Family): string {
	return 'address' in endpoint ? endpoint.address : vpc.ownAddress(endpoint.eni, family);
}

/** The segments a request crosses from client to server, as the VPC's route tables send it. */
export function routeOf(vpc: Vpc, request: RouteRequest): Segment[] {
	const {client, server, protocol, clientPort, serverPort} = request;
	const family = familyOfConnection(client, server);
	const src = addressOf(vpc, client, family);
	const dst = addressOf(vpc, server, family);
	const packet: Packet = {protocol, src, dst, srcPort: clientPort, dstPort: serverPort};

	if ('eni' in server) {
		if ('eni' in client) {
			return [{from: client, to: server, packet, link: 'vpc'}];
		}

		const subnet = vpc.subnetOf(server.eni);
		const reachable = family === 4 ? server.eni.publicIp !== undefined : server.eni.ipv6 !== undefined;
		if (subnet.internet.via !== 'igw' || !reachable) {
			throw new Error(`${server.eni.name} cannot be reached from the internet over IPv${family}`);
		}

		return [{from: client, to: server, packet, link: 'internet-gateway'}];
	}

	if ('address' in client) {
		throw new Error('a connection needs at least one end inside the VPC');
	}

	const {eni} = client;
	if (vpc.peeringRouteFor(dst)) {
		return [{from: client, to: server, packet, link: 'peering'}];
	}

	if (family === 4 && vpc.gatewayEndpointFor(dst)) {
		return [{from: client, to: server, packet, link: 'gateway-endpoint'}];
	}

	const {internet} = vpc.subnetOf(eni);
	switch (internet.via) {
		case 'igw': {
			return [{from: client, to: server, packet, link: 'internet-gateway'}];
		}

		case 'nat': {
			if (family !== 4) {
				throw new Error('a NAT gateway translates IPv4 only');
			}

			if (request.natPort === undefined) {
				throw new Error(`${eni.name} reaches the internet through a NAT gateway: give the NAT port`);
			}

			const nat = vpc.interface(internet.natInterfaceId);
			return [
				{from: client, to: {eni: nat}, packet, link: 'vpc'},
				{
					from: {eni: nat},
					to: server,
					packet: {...packet, src: nat.privateIp, srcPort: request.natPort},
					link: 'internet-gateway',
				},
			];
		}

		default: {
			throw new Error(`${eni.name} has no route to the internet`);
		}
	}
}

/** The same segments walked by the response: last one first, each turned around. */
export function reverseRoute(segments: readonly Segment[]): Segment[] {
	return [...segments].reverse().map(segment => ({
		from: segment.to,
		to: segment.from,
		packet: {
			protocol: segment.packet.protocol,
			src: segment.packet.dst,
			dst: segment.packet.src,
			srcPort: segment.packet.dstPort,
			dstPort: segment.packet.srcPort,
		},
		link: segment.link,
	}));
}
