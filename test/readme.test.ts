import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {FLAG_NAMES, flagText} from '../source/flags.js';
import {KEYMAP} from '../source/ui/keymap.js';

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

	it('documents every key of the keymap', () => {
		for (const binding of KEYMAP) {
			expect(readme, binding.label).toContain(`| \`${binding.label}\` |`);
		}
	});

	it('names every finding kind', () => {
		for (const kind of ['nacl-return-blocked', 'inbound-rejected', 'outbound-rejected', 'port-scan', 'brute-force', 'nat-unsolicited-inbound', 'repeated-rejects']) {
			expect(readme).toContain(`\`${kind}\``);
		}
	});
});
