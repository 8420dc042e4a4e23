import {Box, Text} from 'ink';
import type {PaneContent} from './pane-rows.js';
import {fit} from './text.js';
import {colorOf} from './tone.js';
import {withoutUndefined} from '../without-undefined.js';

export interface PaneProps {
	readonly name: string;
	readonly content: PaneContent;
	readonly width: number;
	/** Lines, the title included. */
	readonly height: number;
	readonly focused: boolean;
	readonly selected: number;
}

/** The pane's name and title, and its trend at the right end where it does not move. */
function titleLine(name: string, content: PaneContent, width: number): string {
	const trend = content.trend === undefined ? '' : ` ${content.trend} `;
	const room = width - [...trend].length;
	return room >= 20 ? fit(` ${name}  ${content.title}`, room) + trend : fit(` ${name}  ${content.title}`, width);
}

/**
 * One pane: a title line, the column header, as many rows as fit (scrolled to keep the selection
 * in view) and any footer lines. A `›` marks the selected row, so the cursor shows without colour.
 */
export function Pane({name, content, width, height, focused, selected}: PaneProps) {
	const footer = content.footer ?? [];
	const header = content.header === undefined ? 0 : 1;
	const space = Math.max(height - 1 - header - footer.length, 1);
	const first = Math.min(Math.max(selected - space + 1, 0), Math.max(content.rows.length - space, 0));
	const shown = content.rows.slice(first, first + space);
	const inner = width - 2;
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold inverse={focused} wrap="truncate">
				{titleLine(name, content, width)}
			</Text>
			{content.header !== undefined && <Text dimColor wrap="truncate">{`  ${fit(content.header, inner)}`}</Text>}
			{shown.length === 0 ? (
				<Text dimColor wrap="truncate">{`  ${fit(content.empty, inner)}`}</Text>
			) : (
				shown.map((row, index) => {
					const isSelected = focused && first + index === selected;
					return (
						<Text key={row.key} {...withoutUndefined({color: colorOf(row.tone)})} inverse={isSelected} wrap="truncate">
							{`${isSelected ? '›' : ' '} ${fit(row.text, inner)}`}
						</Text>
					);
				})
			)}
			{footer.map((line, index) => (
				<Text key={`footer-${index}`} wrap="truncate">{`  ${fit(line, inner)}`}</Text>
			))}
		</Box>
	);
}
