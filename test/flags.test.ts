import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {parseConfig, type Config} from '../source/config.js';
import {UserError} from '../source/errors.js';
import {
	CONTEXTS,
	FLAG_NAMES,
	FLAGS,
	flagText,
	usedIn,
	type Context,
	type FlagName,
	type Flags,
} from '../source/flags.js';
import {helpText, HELP_WIDTH} from '../source/help.js';
import {KEYMAP} from '../source/ui/keymap.js';

/** The flags that choose the source and the mode: they make a context rather than apply to one. */
const CHOOSERS = new Set<FlagName>(['file', 'logGroup', 'logGroupPrefix', 'demo', 'once', 'ndjson', 'serve']);
/** Handled by cli.tsx before any configuration: they apply everywhere and end the run. */
const CLI_ONLY = new Set<FlagName>(['help', 'version']);

function base(context: Context): Flags {
	const [source, mode] = context.split('/');
	return {
		...(source === 'file' ? {file: 'flows.log'} : source === 'insights' ? {logGroup: ['vpc-flows']} : {demo: true}),
		...(mode === 'tui' ? {} : {[mode!]: true}),
	};
}

/** The value a user would give: the table's own example. */
function sample(name: FlagName): Flags[FlagName] {
	const spec = FLAGS[name];
	// A flag on by default is given by turning it off (`--no-ec2`).
	if (spec.type === 'boolean') {
		return !('defaultOn' in spec);
	}

	return 'isMultiple' in spec ? [spec.example] : spec.example;
}

function configOf(flags: Flags): Config | UserError {
	try {
		return parseConfig(flags, Date.parse('2026-11-22T12:00:00Z'));
	} catch (error) {
		if (error instanceof UserError) {
			return error;
		}

		throw error;
	}
}

describe('the flag table', () => {
	it.each(CONTEXTS)('accepts the flags that choose %s alone', context => {
		const config = configOf(base(context));
		expect(config).not.toBeInstanceOf(UserError);
		expect(`${(config as Config).source.kind}/${(config as Config).mode}`).toBe(context);
	});

	// Every flag in every context: where the table says it is used, it changes the configuration;
	// anywhere else it is a usage error that names it. Nothing is silently ignored.
	it.each(FLAG_NAMES.filter(name => !CLI_ONLY.has(name) && !CHOOSERS.has(name)))(
		'--%s is used where the table says, refused elsewhere',
		name => {
			for (const context of CONTEXTS) {
				const withFlag = configOf({...base(context), [name]: sample(name)});
				if (usedIn(name, context)) {
					expect(withFlag, context).not.toBeInstanceOf(UserError);
					if (!(name in base(context))) {
						expect(withFlag, `${flagText(name)} changes nothing in ${context}`).not.toEqual(configOf(base(context)));
					}
				} else {
					expect(withFlag, context).toBeInstanceOf(UserError);
					expect((withFlag as UserError).exitCode).toBe(2);
					expect((withFlag as UserError).message, context).toContain(flagText(name));
				}
			}
		},
	);

	// A flag that chooses the source or the mode makes a new context, which must be one it is for.
	it.each([...CHOOSERS])('--%s leads to a context it is for, or is refused by name', name => {
		for (const context of CONTEXTS) {
			const config = configOf({...base(context), [name]: sample(name)});
			if (config instanceof UserError) {
				expect(config.exitCode).toBe(2);
				expect(config.message, context).toContain(flagText(name));
			} else {
				expect(usedIn(name, `${config.source.kind}/${config.mode}`), context).toBe(true);
			}
		}
	});

	it('accepts any set of flags exactly when each applies, and names one that does not', () => {
		const optional = FLAG_NAMES.filter(name => !CHOOSERS.has(name) && !CLI_ONLY.has(name));
		fc.assert(
			fc.property(fc.constantFrom(...CONTEXTS), fc.subarray(optional), (context, names) => {
				const flags = Object.fromEntries(names.map(name => [name, sample(name)])) as Flags;
				const config = configOf({...base(context), ...flags});
				const misplaced = names.filter(name => !usedIn(name, context));
				if (misplaced.length === 0) {
					expect(config).not.toBeInstanceOf(UserError);
				} else {
					expect(config).toBeInstanceOf(UserError);
					expect(
						misplaced.some(name => (config as UserError).message.includes(`${flagText(name)} does not apply`)),
					).toBe(true);
				}
			}),
			{seed: 16, numRuns: 500},
		);
	});

	it.each([
		[{demo: true, interval: 'banana'}, '--interval does not apply to --demo: it is for --log-group in the live view'],
		[{file: 'f.log', once: true, follow: true}, '--follow does not apply to --once: it is for --file in the live view'],
		[{file: 'f.log', region: 'mars'}, '--region does not apply to --file: it is for --log-group'],
		[{file: 'f.log', json: true}, '--json does not apply to the live view: it is for --once'],
		[{logGroup: ['g'], ndjson: true}, '--ndjson does not apply to --log-group: it is for --file with --ndjson'],
		[{demo: true, serve: true, port: ['4566']}, '--port does not apply to --serve: it is for the live view or --once'],
		[{file: 'f.log', once: true, ndjson: true}, '--once and --ndjson ask for different runs: choose one'],
		[{file: 'f.log', demo: true}, 'choose one source: --file and --demo were both given'],
		[{demo: true, seed: 'abc'}, '--seed abc: give a whole number'],
		[{logGroup: ['g'], budget: 'cheap'}, '--budget cheap: give dollars an hour, such as 0.5, or off'],
		[{logGroup: ['g'], budget: '0'}, '--budget 0: give dollars an hour, such as 0.5, or off'],
		[{file: 'f.log', once: true, top: ''}, '--top needs a value: --top N, such as --top 20'],
	] satisfies Array<[Flags, string]>)('%j reads "%s"', (flags, message) => {
		const error = configOf(flags);
		expect(error).toBeInstanceOf(UserError);
		expect((error as UserError).message).toContain(message);
	});

	it('keeps --port a filter and gives --serve its own --serve-port', () => {
		const served = configOf({demo: true, serve: true, servePort: '4566'}) as Config;
		expect(served.servePort).toBe(4566);
		const filtered = configOf({file: 'f.log', once: true, port: ['22']}) as Config;
		expect(filtered.filter.ports).toEqual([{from: 22, to: 22}]);
		expect(filtered.servePort).toBe(0);
	});
});

describe('--budget', () => {
	it('is a dollar an hour unless given, and off lifts it', () => {
		expect((configOf({logGroup: ['g']}) as Config).budgetPerHour).toBe(1);
		expect((configOf({logGroup: ['g'], budget: '0.25'}) as Config).budgetPerHour).toBe(0.25);
		expect((configOf({logGroup: ['g'], budget: 'off'}) as Config).budgetPerHour).toBe(Number.POSITIVE_INFINITY);
	});
});

describe('--help', () => {
	const help = helpText();

	it('fits 80 columns', () => {
		for (const line of help.split('\n')) {
			expect(line.length, line).toBeLessThanOrEqual(HELP_WIDTH);
		}
	});

	it('lists every flag, -h and -v', () => {
		for (const name of FLAG_NAMES) {
			expect(help).toContain(flagText(name));
		}

		expect(help).toContain('-h, --help');
		expect(help).toContain('-v, --version');
	});

	it('lists every key of the live view', () => {
		for (const binding of KEYMAP) {
			expect(help).toMatch(new RegExp(`^  ${binding.label.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')} +\\S`, 'm'));
		}
	});
});
