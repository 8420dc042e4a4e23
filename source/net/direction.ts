/**
 * Which way traffic crosses an interface: into it or out of it. A security group or network ACL
 * rule, a finding and a record all use these two words; only the flow log itself writes them as
 * `ingress` and `egress` (v5 `flow-direction`), and `FLOW_DIRECTION` is that spelling.
 */
export type Direction = 'inbound' | 'outbound';

/** A v5 record's `flow-direction` text for each direction. */
export const FLOW_DIRECTION: Readonly<Record<Direction, string>> = {inbound: 'ingress', outbound: 'egress'};

export function opposite(direction: Direction): Direction {
	return direction === 'inbound' ? 'outbound' : 'inbound';
}
