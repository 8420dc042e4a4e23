import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Where the third-party corpus lives: FLOWTOP_PEER_DATA when set, else `../shared/peer-data` next to
 * the repository. It is shared, read-only material, so nothing here ever writes to it.
 */
export function corpusPath(env: NodeJS.ProcessEnv = process.env): string {
	return path.resolve(repoRoot, env.FLOWTOP_PEER_DATA ?? '../shared/peer-data');
}

export function corpusPresent(root: string): boolean {
	return existsSync(path.join(root, 'INDEX.md'));
}

/** Read access to one source's directory of the corpus. */
export class SourceDirectory {
	private readonly directory: string;

	constructor(
		root: string,
		readonly source: string,
	) {
		this.directory = path.join(root, source);
	}

	text(name: string): string {
		return readFileSync(path.join(this.directory, name), 'utf8');
	}

	json(name: string): unknown {
		return JSON.parse(this.text(name));
	}

	files(suffix: string): string[] {
		return readdirSync(this.directory)
			.filter(name => name.endsWith(suffix))
			.sort();
	}
}
