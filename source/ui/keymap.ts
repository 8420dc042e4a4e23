import type {Key} from 'ink';

/**
 * Every key flowtop answers, in one table: input handling, the footer hints and the `?` overlay
 * all read it, so the help cannot drift from the keys. Conventions follow htop and k9s.
 */

export type Command =
	| 'filter'
	| 'pick-eni'
	| 'cidr'
	| 'back'
	| 'focus-next'
	| 'focus-previous'
	| 'up'
	| 'down'
	| 'page-up'
	| 'page-down'
	| 'drill'
	| 'sort'
	| 'view'
	| 'window'
	| 'pause'
	| 'snapshot'
	| 'refresh'
	| 'scenario'
	| 'help'
	| 'suspend'
	| 'quit';

/** What the running view has, for keys that apply only to some. */
export interface KeyContext {
	readonly demo: boolean;
	/** The VPC's configuration is read through EC2 (a log group or the demo, without --no-ec2). */
	readonly configuration: boolean;
}

type NamedKey = 'tab' | 'escape' | 'return' | 'upArrow' | 'downArrow' | 'pageUp' | 'pageDown';

interface KeySpec {
	/** A printable character, as typed. */
	readonly input?: string;
	readonly key?: NamedKey;
	readonly shift?: boolean;
	readonly ctrl?: boolean;
}

export interface Binding {
	readonly command: Command;
	readonly keys: readonly KeySpec[];
	/** How the keys are written in help: `/`, `tab`, `↑ k`. */
	readonly label: string;
	readonly description: string;
	/** The word in the footer; bindings without one appear only in the `?` overlay. */
	readonly hint?: string;
	/** Only where it applies: the scenario switch in the demo, the configuration's refresh where it is read. */
	readonly only?: keyof KeyContext;
}

export const KEYMAP: readonly Binding[] = [
	{
		command: 'filter',
		keys: [{input: '/'}],
		label: '/',
		description: 'filter: ENI, address/CIDR, src:/dst:, port:22, tcp, reject…',
		hint: 'filter',
	},
	{
		command: 'pick-eni',
		keys: [{input: 'e'}],
		label: 'e',
		description: 'pick an interface among those seen, with their traffic',
		hint: 'ENI',
	},
	{command: 'cidr', keys: [{input: 'c'}], label: 'c', description: 'narrow to an address or CIDR (either end)'},
	{
		command: 'back',
		keys: [{key: 'escape'}],
		label: 'esc',
		description: 'close the prompt; else undo the last narrowing, down to no filter',
		hint: 'back',
	},
	{command: 'focus-next', keys: [{key: 'tab'}], label: 'tab', description: 'next pane', hint: 'pane'},
	{command: 'focus-previous', keys: [{key: 'tab', shift: true}], label: 'shift-tab', description: 'previous pane'},
	{command: 'up', keys: [{key: 'upArrow'}, {input: 'k'}], label: '↑ k', description: 'move the selection up'},
	{command: 'down', keys: [{key: 'downArrow'}, {input: 'j'}], label: '↓ j', description: 'move the selection down'},
	{command: 'page-up', keys: [{key: 'pageUp'}], label: 'pgup', description: 'selection up a page'},
	{command: 'page-down', keys: [{key: 'pageDown'}], label: 'pgdn', description: 'selection down a page'},
	{
		command: 'drill',
		keys: [{key: 'return'}],
		label: 'enter',
		description: 'narrow every pane to the selected row (address, pair, ENI, port, finding)',
		hint: 'drill',
	},
	{command: 'sort', keys: [{input: 's'}], label: 's', description: 'sort by bytes, packets or flows', hint: 'sort'},
	{
		command: 'view',
		keys: [{input: 'v'}],
		label: 'v',
		description:
			'switch what the pane lists (pairs/sources/destinations; sources/targets/ENIs/recent; protocols/services)',
		hint: 'view',
	},
	{
		command: 'window',
		keys: [{input: 'w'}],
		label: 'w',
		description: 'cycle the time window (1m, 5m, 15m, 1h)',
		hint: 'window',
	},
	{
		command: 'pause',
		keys: [{input: ' '}],
		label: 'space',
		description: 'freeze the panes; data keeps arriving, the header counts it',
		hint: 'pause',
	},
	{
		command: 'snapshot',
		keys: [{input: 'x'}],
		label: 'x',
		description: 'write the current view as the --once --json document to a file',
		hint: 'save',
	},
	{
		command: 'scenario',
		keys: [{input: 'S'}],
		label: 'S',
		description: 'switch the demo scenario',
		hint: 'scenario',
		only: 'demo',
	},
	{
		command: 'refresh',
		keys: [{input: 'r'}],
		label: 'r',
		description: "read the VPC's configuration (security groups, NACLs, names) again now",
		hint: 'rules',
		only: 'configuration',
	},
	{command: 'help', keys: [{input: '?'}], label: '?', description: 'this help', hint: 'help'},
	{
		command: 'suspend',
		keys: [{input: 'z', ctrl: true}],
		label: 'ctrl-z',
		description: 'suspend to the shell; fg brings the view back',
	},
	{
		command: 'quit',
		keys: [{input: 'q'}, {input: 'c', ctrl: true}],
		label: 'q ctrl-c',
		description: 'quit',
		hint: 'quit',
	},
];

function matches(spec: KeySpec, input: string, key: Key): boolean {
	if (spec.ctrl !== undefined && spec.ctrl !== key.ctrl) {
		return false;
	}

	if (spec.key !== undefined) {
		return key[spec.key] && (spec.shift ?? false) === key.shift;
	}

	return !key.ctrl === !spec.ctrl && input === spec.input;
}

export function bindingsFor(context: KeyContext): Binding[] {
	return KEYMAP.filter(binding => binding.only === undefined || context[binding.only]);
}

/** The command a keystroke means, if any. */
export function commandFor(input: string, key: Key, context: KeyContext): Command | undefined {
	return bindingsFor(context).find(binding => binding.keys.some(spec => matches(spec, input, key)))?.command;
}
