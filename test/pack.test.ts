import {execFile} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, relative} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

/**
 * What would be published is what is tested: the package is packed as `npm publish` would pack
 * it, installed from the tarball into a prefix of its own, and run from there. The install is
 * offline: the bundle in dist/ carries every dependency, so the tarball needs nothing else.
 */

const root = new URL('..', import.meta.url).pathname;
const small = new URL('fixtures/small.log', import.meta.url).pathname;
const directory = mkdtempSync(join(tmpdir(), 'flowtop-pack-'));
const prefix = join(directory, 'prefix');
const flowtop = join(prefix, 'bin', 'flowtop');

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

async function run(command: string, args: string[], cwd = directory): Promise<Run> {
	return new Promise(resolve => {
		execFile(command, args, {cwd, maxBuffer: 16 << 20}, (error, stdout, stderr) => {
			resolve({code: error ? (error.code as number) : 0, stdout, stderr});
		});
	});
}

function filesUnder(path: string): string[] {
	return readdirSync(path, {recursive: true, withFileTypes: true})
		.filter(entry => entry.isFile())
		.map(entry => relative(root, join(entry.parentPath, entry.name)));
}

let packed: string[] = [];

beforeAll(async () => {
	// --ignore-scripts: dist/ is what `npm test` just built; rebuilding it here would pull it from
	// under the tests running beside this one.
	const pack = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', directory], root);
	expect(pack.code, pack.stderr).toBe(0);
	const [result] = JSON.parse(pack.stdout) as Array<{filename: string; files: Array<{path: string}>}>;
	packed = result!.files.map(file => file.path);
	const install = await run('npm', [
		'install',
		'--global',
		'--prefix',
		prefix,
		'--offline',
		'--no-audit',
		'--no-fund',
		join(directory, result!.filename),
	]);
	expect(install.code, install.stderr).toBe(0);
}, 120_000);

afterAll(() => {
	rmSync(directory, {recursive: true, force: true});
});

describe('the published package', () => {
	it('holds every file of the build, the range worker and the chunks among them', () => {
		const built = filesUnder(join(root, 'dist'));
		expect(built).toContain('dist/range-worker.js');
		expect(built.some(file => file.startsWith('dist/chunks/'))).toBe(true);
		expect(packed.filter(file => file.startsWith('dist/')).sort()).toEqual(built.sort());
	});

	it('needs no dependency at run time', () => {
		const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
			dependencies?: Record<string, string>;
		};
		expect(manifest.dependencies ?? {}).toEqual({});
	});

	it('runs flowtop --version from the installed prefix', async () => {
		const {version} = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string};
		const {code, stdout} = await run(flowtop, ['--version']);
		expect(code).toBe(0);
		expect(stdout.trim()).toBe(version);
	});

	it('runs flowtop --file ... --once from the installed prefix', async () => {
		const {code, stdout} = await run(flowtop, ['--file', small, '--once']);
		expect(code).toBe(0);
		expect(stdout).toContain('TOP TALKERS (by bytes)');
		expect(stdout).toMatch(/10\.0\.2\.20\s+10\.0\.1\.10\s+8\.8 KiB/);
	});

	it('reads a large file on threads from the installed prefix, so the worker is found', async () => {
		const line =
			'2 123456789010 eni-0a1b2c3d 10.0.1.10 10.0.2.20 49152 443 6 20 4000 1700000000 1700000060 ACCEPT OK\n';
		const big = join(directory, 'big.log');
		writeFileSync(big, line.repeat(Math.ceil((17 << 20) / line.length)));
		const debug = join(directory, 'debug.log');
		const {code, stdout, stderr} = await run(flowtop, [
			'--file',
			big,
			'--once',
			'--json',
			'--threads',
			'2',
			'--debug',
			debug,
		]);
		expect(code, stderr).toBe(0);
		expect(JSON.parse(stdout).records.malformed).toBe(0);
		expect(readFileSync(debug, 'utf8')).toContain('on 2 threads');
	});
});
