#!/usr/bin/env node
import {readCommandLine} from './source/command-line.js';
import {parseConfig} from './source/config.js';
import {UserError} from './source/errors.js';
import {main} from './source/main.js';
import {safeText} from './source/text/safe-text.js';

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

try {
	const {flags, showHelp, showVersion} = readCommandLine(process.argv.slice(2));
	if (flags.help) {
		showHelp();
	}

	if (flags.version) {
		showVersion();
	}

	await main(parseConfig(flags), {stdout: process.stdout, stderr: process.stderr});
} catch (error) {
	// Messages echo what was typed or read: a control character in them must not reach the terminal.
	if (error instanceof UserError) {
		process.stderr.write(`flowtop: ${safeText(error.message)}\n`);
		process.exitCode = error.exitCode;
	} else {
		process.stderr.write(
			`flowtop: unexpected error, please report it: ${safeText((error as Error).stack ?? String(error))}\n`,
		);
		process.exitCode = 1;
	}
}
