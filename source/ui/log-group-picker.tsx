import {render, useApp} from 'ink';
import {useRef, useState} from 'react';
import {usageError} from '../errors.js';
import {formatBytes} from '../text/units.js';
import {ListPicker, steer} from './list-picker.js';
import type {PickerState} from './state.js';
import {fit} from './text.js';
import {useKeystrokes} from './use-keystrokes.js';
import {useTerminalSize} from './use-terminal-size.js';

export interface LogGroupChoice {
	readonly name: string;
	readonly storedBytes?: number | undefined;
}

export function LogGroupList({
	groups,
	prefix,
	onDone,
}: {
	readonly groups: readonly LogGroupChoice[];
	readonly prefix: string;
	readonly onDone: (name: string | undefined) => void;
}) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [done, setDone] = useState(false);
	const [picker, setPicker] = useState<PickerState>({query: '', selected: 0});
	const finish = (name: string | undefined) => {
		if (!done) {
			setDone(true);
			onDone(name);
			exit();
		}
	};

	const nameWidth = Math.max(columns - 14, 20);
	const items = groups.map(group => ({
		key: group.name,
		search: group.name,
		text: `${fit(group.name, nameWidth)} ${fit(group.storedBytes === undefined ? '' : formatBytes(group.storedBytes), 10, 'right')}`,
	}));
	// Typed text and enter often arrive in one chunk: each keystroke steers from where the last left it.
	const current = useRef(picker);
	useKeystrokes(stroke => {
		const outcome = steer(current.current, stroke, items);
		if (outcome.kind === 'moved') {
			current.current = outcome.picker;
			setPicker(outcome.picker);
		} else {
			finish(outcome.kind === 'picked' ? outcome.key : undefined);
		}
	}, !done);
	return (
		<ListPicker
			title={`Log groups starting with ${prefix}`}
			header={`${fit('LOG GROUP', nameWidth)} ${fit('STORED', 10, 'right')}`}
			items={items}
			picker={picker}
			width={columns}
			height={Math.min(rows - 1, groups.length + 4)}
		/>
	);
}

/** `--log-group-prefix`: let the person choose among the groups DescribeLogGroups found. */
export async function pickLogGroup(groups: readonly LogGroupChoice[], prefix: string): Promise<string> {
	if (groups.length === 1) {
		return groups[0]!.name;
	}

	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw usageError(
			`${groups.length} log groups start with "${prefix}" (${groups
				.slice(0, 3)
				.map(group => group.name)
				.join(', ')}…): choose one with --log-group`,
		);
	}

	let chosen: string | undefined;
	const instance = render(
		<LogGroupList
			groups={groups}
			prefix={prefix}
			onDone={name => {
				chosen = name;
			}}
		/>,
		{exitOnCtrlC: true, patchConsole: false},
	);
	await instance.waitUntilExit();
	instance.clear();
	if (chosen === undefined) {
		throw usageError('no log group chosen');
	}

	return chosen;
}
