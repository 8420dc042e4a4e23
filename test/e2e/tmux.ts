import {execFileSync, spawnSync} from 'node:child_process';

/** Whether tmux is installed: the end-to-end tests drive flowtop in a real terminal through it. */
export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A tmux server of its own, so tests never touch the developer's sessions. */
export class TmuxTerminal {
	private readonly socket = `flowtop-test-${process.pid}-${Math.random().toString(36).slice(2)}`;

	constructor(command: string, options: {columns?: number; rows?: number; color?: boolean} = {}) {
		// Ink prints only the final frame when CI is set; every command of the line, not just the first,
		// must see a plain terminal, so the shell drops CI before it runs any of them.
		const environment = `unset CI NO_COLOR FORCE_COLOR; export ${options.color ? 'FORCE_COLOR=1' : 'NO_COLOR=1'};`;
		this.tmux(
			'new-session',
			'-d',
			'-s',
			'main',
			'-x',
			String(options.columns ?? 80),
			'-y',
			String(options.rows ?? 24),
			`${environment} ${command}; echo "[exited $?]"; sleep 60`,
		);
	}

	screen(): string {
		return this.tmux('capture-pane', '-p', '-t', 'main');
	}

	/** The screen with its colour and attribute codes. */
	screenWithStyles(): string {
		return this.tmux('capture-pane', '-p', '-e', '-t', 'main');
	}

	/** A tmux format of the pane: `#{alternate_on}`, `#{cursor_flag}`, `#{pane_title}`. */
	display(format: string): string {
		return this.tmux('display-message', '-p', '-t', 'main', format).trim();
	}

	keys(...keys: string[]): void {
		this.tmux('send-keys', '-t', 'main', ...keys);
	}

	/** Type text literally (no key-name lookup). */
	type(text: string): void {
		this.tmux('send-keys', '-t', 'main', '-l', text);
	}

	resize(columns: number, rows: number): void {
		this.tmux('resize-window', '-t', 'main', '-x', String(columns), '-y', String(rows));
	}

	async waitFor(check: (screen: string) => boolean, timeout = 10_000): Promise<string> {
		const deadline = Date.now() + timeout;
		for (;;) {
			const screen = this.screen();
			if (check(screen)) {
				return screen;
			}

			if (Date.now() > deadline) {
				throw new Error(`the terminal never showed what was expected; it shows:\n${screen}`);
			}

			await new Promise(resolve => setTimeout(resolve, 100));
		}
	}

	close(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server']);
	}

	private tmux(...args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}
}
