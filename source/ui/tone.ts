import type {Tone} from './pane-rows.js';

/** Ink colour for a tone. With NO_COLOR set, cli.tsx turns colour off below Ink (FORCE_COLOR=0). */
export function colorOf(tone: Tone): string | undefined {
	switch (tone) {
		case 'reject':
		case 'critical': {
			return 'red';
		}

		case 'warning': {
			return 'yellow';
		}

		case 'info': {
			return 'cyan';
		}

		case 'dim': {
			return 'gray';
		}

		case 'normal': {
			return undefined;
		}
	}
}
