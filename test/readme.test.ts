import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {KEYMAP} from '../source/ui/keymap.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const cli = readFileSync(new URL('../cli.tsx', import.meta.url), 'utf8');

describe('the README', () => {
	it('gives the two-command quick start and the test command', () => {
		expect(readme).toContain('npm install && npm start');
		expect(readme).toContain('npm test');
	});

	it('documents every flag cli.tsx defines', () => {
		const flags = [...cli.matchAll(/^\t{3}(\w+): \{type:/gm)].map(match => `--${match[1]!.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`);
		expect(flags.length).toBeGreaterThan(20);
		for (const flag of flags) {
			expect(readme, flag).toContain(`\`${flag}`);
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
