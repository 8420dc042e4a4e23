#!/usr/bin/env node
import meow, {type AnyFlag} from 'meow';
import {parseConfig} from './source/config.js';
import {UserError, usageError} from './source/errors.js';
import {FLAGS, flagText, type Flags} from './source/flags.js';
import {helpText} from './source/help.js';
import {main} from './source/main.js';
import {safeText} from './source/text/safe-text.js';

const cli = meow(helpText(), {
	importMeta: import.meta,
	description: false,
	helpIndent: 0,
	autoHelp: false,
	autoVersion: false,
	// Unknown flags are refused below, in flowtop's own words rather than meow's.
	allowUnknownFlags: true,
	flags: Object.fromEntries(Object.entries(FLAGS).map(([name, spec]) => [name, {
		type: spec.type,
		...('isMultiple' in spec ? {isMultiple: true} : {}),
		...('shortFlag' in spec ? {shortFlag: spec.shortFlag} : {}),
		...('defaultOn' in spec ? {default: true} : {}),
	} as AnyFlag])),
});

/**
 * Output that cannot be written (a closed pipe, a full disk) ends the run in one line. `| head`
 * closing the pipe early is the reader being done, not a failure.
 */
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(0);
	}

	process.stderr.write(`flowtop: cannot write the output: ${error.code ?? error.message}\n`);
	process.exit(1);
});

function run(): Promise<void> | void {
	if (cli.flags['help']) {
		cli.showHelp(0);
	}

	if (cli.flags['version']) {
		cli.showVersion();
	}

	const unknown = Object.keys(cli.flags).find(name => !Object.hasOwn(FLAGS, name));
	if (unknown !== undefined) {
		throw usageError(`unknown flag ${flagText(unknown)} (see --help)`);
	}

	// meow's parser reads `--file -` as an empty --file and a lone `-` argument.
	const stdinFile = cli.flags['file'] === '' && cli.input[0] === '-';
	const input = stdinFile ? cli.input.slice(1) : cli.input;
	if (input.length > 0) {
		throw usageError(`unexpected argument "${input[0]}": flags start with -- (see --help)`);
	}

	const flags = cli.flags as Flags;
	return main(parseConfig(stdinFile ? {...flags, file: '-'} : flags), {stdout: process.stdout, stderr: process.stderr});
}

try {
	await run();
} catch (error) {
	// Messages echo what was typed or read: a control character in them must not reach the terminal.
	if (error instanceof UserError) {
		process.stderr.write(`flowtop: ${safeText(error.message)}\n`);
		process.exitCode = error.exitCode;
	} else {
		process.stderr.write(`flowtop: unexpected error, please report it: ${safeText((error as Error).stack ?? String(error))}\n`);
		process.exitCode = 1;
	}
}
