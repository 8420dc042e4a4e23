import {FLAGS, FLAG_NAMES, flagText, type FlagSpec, type Section} from './flags.js';
import {KEYMAP, type KeyContext} from './ui/keymap.js';

/** `--help` fits a standard terminal, so it is read whole without a pager. */
export const HELP_WIDTH = 80;
const LABEL_WIDTH = 26;

function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line !== '' && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line === '' ? word : `${line} ${word}`;
		}
	}

	return [...lines, line];
}

/** A label and its description in two columns; the description wraps inside its column. */
function row(label: string, description: string): string {
	const [first, ...rest] = wrap(description, HELP_WIDTH - LABEL_WIDTH);
	const lead = label.length < LABEL_WIDTH - 1 ? label.padEnd(LABEL_WIDTH) : `${label}\n${' '.repeat(LABEL_WIDTH)}`;
	return [`${lead}${first!}`, ...rest.map(line => `${' '.repeat(LABEL_WIDTH)}${line}`)].join('\n');
}

function flagLabel(name: string, spec: FlagSpec): string {
	const long = `${flagText(name)}${spec.value ? ` ${spec.value}` : ''}`;
	return `  ${spec.shortFlag ? `-${spec.shortFlag}, ` : ''}${long}`;
}

/** Where a key that does not always apply does. */
const ONLY: Readonly<Record<keyof KeyContext, string>> = {demo: ' (demo)', configuration: ' (log group or demo)'};

const SECTIONS: readonly Section[] = ['Source', 'Demo', 'View and filter', 'Output', 'Help'];

/** The whole `--help` text, from the flag table and the keymap, so neither can drift from it. */
export function helpText(): string {
	const flags = SECTIONS.map(section =>
		[
			section,
			...FLAG_NAMES.filter(name => FLAGS[name].section === section).map(name =>
				row(flagLabel(name, FLAGS[name]), FLAGS[name].help),
			),
		].join('\n'),
	);
	const keys = KEYMAP.map(binding =>
		row(`  ${binding.label}`, `${binding.description}${binding.only === undefined ? '' : ONLY[binding.only]}`),
	);
	return [
		'Usage',
		'  $ flowtop --log-group NAME [options]   watch a CloudWatch Logs group',
		'  $ flowtop --file PATH|- [options]      read a flow-log file (or .gz) or stdin',
		'  $ flowtop --demo [options]             a simulated VPC, no AWS account needed',
		'',
		...flags.flatMap(section => [section, '']),
		'Keys in the live view',
		...keys,
		'',
		'Durations are written 30s, 15m, 1h30m, 2d.',
		'A flag given where it would do nothing is refused, never ignored.',
		'Exit codes: 0 success, 1 runtime failure, 2 usage error.',
		'',
		'Examples',
		'  $ flowtop --log-group vpc-flows --region us-east-1',
		'  $ flowtop --file flows.log.gz --once --json --top 20 --action reject',
		'  $ aws s3 cp s3://bucket/flow.log.gz - | flowtop --file - --once',
		'  $ flowtop --demo --serve --serve-port 4566',
	].join('\n');
}
