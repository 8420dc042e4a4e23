import {KIND_LABELS, type VpcConfiguration} from './configuration.js';

/**
 * What the panes show beside an interface id or an address: the interface's kind and name where
 * the VPC's configuration knows them. Without a configuration, nothing.
 */
export interface InterfaceNames {
	/** `instance · web-1`: the kind first, as a long name may be cut; just the kind for an interface without a name. */
	interface(eni: string): string | undefined;
	/** The name of the interface that owns the address (else its kind): `web-1`, `NAT gateway`. */
	address(address: string): string | undefined;
}

export const NO_NAMES: InterfaceNames = {interface: () => undefined, address: () => undefined};

/** `instance · web-1`, from a finding's `type` and `name` or the configuration's. */
export function kindAndName(type: string, name: string | undefined): string {
	return name === undefined ? type : `${type} · ${name}`;
}

export function interfaceNames(config: VpcConfiguration | undefined): InterfaceNames {
	if (!config) {
		return NO_NAMES;
	}

	return {
		interface(eni) {
			const known = config.interface(eni);
			return known && kindAndName(KIND_LABELS[known.kind], known.name);
		},
		address(address) {
			const owner = config.ownerOf(address);
			return owner && (owner.name ?? KIND_LABELS[owner.kind]);
		},
	};
}
