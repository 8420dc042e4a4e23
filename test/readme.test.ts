import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {readCommandLine} from '../source/command-line.js';
import {parseConfig} from '../source/config.js';
import {FLAG_NAMES, flagText} from '../source/flags.js';
import {REQUIRED_ACTIONS} from '../source/sources/insights/problem.js';
import {KEYMAP} from '../source/ui/keymap.js';
import {EC2_ACTIONS} from '../source/vpc/ec2-loader.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('the README', () => {
	it('gives the two-command quick start and the test command', () => {
		expect(readme).toContain('npm install && npm start');
		expect(readme).toContain('npm test');
	});

	it('documents every flag of the flag table', () => {
		for (const name of FLAG_NAMES) {
			expect(readme, name).toContain(`\`${flagText(name)}`);
		}
	});

	// Every runnable command the README shows, in a code block or inline, is accepted as written:
	// its flags exist and apply together. Synopses with placeholders (NAME, [--x N], ...) are not runnable.
	it('shows only flowtop commands that run as printed', () => {
		const inline = [...readme.matchAll(/`(flowtop --[^`]+)`/g)].map(match => match[1]!);
		const blocks = [...readme.matchAll(/^(flowtop --.+)$/gm)].map(match => match[1]!.split(' | ')[0]!);
		const runnable = [...inline, ...blocks].filter(command => !/[[\]]|\.\.\.|\b[A-Z]{3,}\b/.test(command));
		expect(runnable.length).toBeGreaterThan(5);
		for (const command of runnable) {
			const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map(match => match[1] ?? match[2]!).slice(1);
			expect(() => {
				const {flags} = readCommandLine(words);
				if (!flags.help && !flags.version) {
					parseConfig(flags);
				}
			}, command).not.toThrow();
		}
	});

	it('documents every key of the keymap', () => {
		for (const binding of KEYMAP) {
			expect(readme, binding.label).toContain(`| \`${binding.label}\` |`);
		}
	});

	it('names every finding kind', () => {
		for (const kind of [
			'nacl-return-blocked',
			'inbound-rejected',
			'outbound-rejected',
			'port-scan',
			'brute-force',
			'nat-unsolicited-inbound',
			'repeated-rejects',
			'unanswered',
			'log-skipped',
			'interface-silent',
		]) {
			expect(readme).toContain(`\`${kind}\``);
		}
	});

	it('gives an IAM policy with every action flowtop calls, the optional EC2 ones apart', () => {
		for (const action of [...REQUIRED_ACTIONS, ...EC2_ACTIONS]) {
			expect(readme, action).toContain(`"${action}"`);
		}
	});
});
