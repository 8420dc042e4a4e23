import {render, useApp} from 'ink';
import {useState} from 'react';
import {usageError} from '../errors.js';
import {formatBytes} from '../text/units.js';
import {ListPicker} from './list-picker.js';
import {fit} from './text.js';
import {useTerminalSize} from './use-terminal-size.js';

export interface LogGroupChoice {
	readonly name: string;
	readonly storedBytes?: number | undefined;
}

export function LogGroupList({groups, prefix, onDone}: {readonly groups: readonly LogGroupChoice[]; readonly prefix: string; readonly onDone: (name: string | undefined) => void}) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [done, setDone] = useState(false);
	const finish = (name: string | undefined) => {
		if (!done) {
			setDone(true);
			onDone(name);
			exit();
		}
	};

	const nameWidth = Math.max(columns - 14, 20);
	return (
		<ListPicker
			title={`Log groups starting with ${prefix}`}
			header={`${fit('LOG GROUP', nameWidth)} ${fit('STORED', 10, 'right')}`}
			items={groups.map(group => ({
				key: group.name,
				search: group.name,
				text: `${fit(group.name, nameWidth)} ${fit(group.storedBytes === undefined ? '' : formatBytes(group.storedBytes), 10, 'right')}`,
			}))}
			width={columns}
			height={Math.min(rows - 1, groups.length + 4)}
			onPick={name => {
				finish(name);
			}}
			onCancel={() => {
				finish(undefined);
			}}
		/>
	);
}

/** `--log-group-prefix`: let the person choose among the groups DescribeLogGroups found. */
export async function pickLogGroup(groups: readonly LogGroupChoice[], prefix: string): Promise<string> {
	if (groups.length === 1) {
		return groups[0]!.name;
	}

	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw usageError(`${groups.length} log groups start with "${prefix}" (${groups.slice(0, 3).map(group => group.name).join(', ')}…): choose one with --log-group`);
	}

	let chosen: string | undefined;
	const instance = render(<LogGroupList groups={groups} prefix={prefix} onDone={name => {
		chosen = name;
	}}/>, {exitOnCtrlC: true, patchConsole: false});
	await instance.waitUntilExit();
	instance.clear();
	if (chosen === undefined) {
		throw usageError('no log group chosen');
	}

	return chosen;
}
