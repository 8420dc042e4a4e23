import {useStdin} from 'ink';
import {useEffect, useRef} from 'react';
import {keystrokes, type Keystroke} from './keystrokes.js';

/**
 * Every keystroke of every chunk read from the terminal, one call each, in order. Ink's useInput
 * hands over a chunk whole, with its first escape stripped; this reads the same chunks (Ink's
 * stdin events, as useInput does) and splits them in one place.
 */
export function useKeystrokes(handler: (stroke: Keystroke) => void, isActive = true): void {
	const {setRawMode, internal_eventEmitter: events} = useStdin();
	const latest = useRef(handler);
	latest.current = handler;
	useEffect(() => {
		if (!isActive) {
			return;
		}

		setRawMode(true);
		const onInput = (chunk: string | Uint8Array) => {
			for (const stroke of keystrokes(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))) {
				latest.current(stroke);
			}
		};

		events.on('input', onInput);
		return () => {
			events.off('input', onInput);
			setRawMode(false);
		};
	}, [isActive, setRawMode, events]);
}
