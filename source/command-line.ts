import meow, {type AnyFlag} from 'meow';
import {usageError} from './errors.js';
import {FLAGS, type FlagSpec, flagText, type Flags} from './flags.js';
import {helpText} from './help.js';

export interface CommandLine {
	readonly flags: Flags;
	readonly showHelp: () => never;
	readonly showVersion: () => never;
}

/** A flag of the table as meow declares it: only a boolean has a default, only a string is repeated. */
function meowFlag(spec: FlagSpec): AnyFlag {
	const shortFlag = spec.shortFlag === undefined ? {} : {shortFlag: spec.shortFlag};
	if (spec.type === 'boolean') {
		return {type: 'boolean', ...shortFlag, ...(spec.defaultOn ? {default: true} : {})};
	}

	return spec.isMultiple ? {type: 'string', isMultiple: true, ...shortFlag} : {type: 'string', ...shortFlag};
}

/**
 * The arguments as flags, by the table in flags.ts: an unknown flag or a stray argument is a usage
 * error here, in flowtop's own words rather than meow's.
 */
export function readCommandLine(argv: readonly string[]): CommandLine {
	const cli = meow(helpText(), {
		importMeta: import.meta,
		argv: [...argv],
		description: false,
		helpIndent: 0,
		autoHelp: false,
		autoVersion: false,
		allowUnknownFlags: true,
		flags: Object.fromEntries(Object.entries(FLAGS).map(([name, spec]) => [name, meowFlag(spec)])),
	});
	const showHelp = () => cli.showHelp(0);
	const showVersion = () => {
		cli.showVersion();
		return undefined as never;
	};

	if (cli.flags.help || cli.flags.version) {
		return {flags: cli.flags as Flags, showHelp, showVersion};
	}

	const unknown = Object.keys(cli.flags).find(name => !Object.hasOwn(FLAGS, name));
	if (unknown !== undefined) {
		throw usageError(`unknown flag ${flagText(unknown)} (see --help)`);
	}

	// meow's parser reads `--file -` as an empty --file and a lone `-` argument.
	const stdinFile = cli.flags.file === '' && cli.input[0] === '-';
	const input = stdinFile ? cli.input.slice(1) : cli.input;
	if (input.length > 0) {
		throw usageError(`unexpected argument "${input[0]}": flags start with -- (see --help)`);
	}

	const flags = cli.flags as Flags;
	return {flags: stdinFile ? {...flags, file: '-'} : flags, showHelp, showVersion};
}
