// C0 controls, DEL and C1 controls: anything a terminal may act on instead of print.
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001F\u007F-\u009F]/g;

/**
 * Text from a log line, made safe to draw: every control character (escape sequences, carriage
 * returns, bells) becomes a visible `?`, so a crafted record cannot move the cursor, retitle the
 * window or clear the screen.
 */
export function safeText(text: string): string {
	return text.replace(controls, '?');
}
