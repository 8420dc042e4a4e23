import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {line} from '../../source/ui/line-editor.js';
import {TextPrompt} from '../../source/ui/text-prompt.js';

describe('the text prompt', () => {
	it('shows the line with its cursor, and the placeholder while empty', () => {
		const typed = render(
			<TextPrompt label="filter" placeholder="port:22" line={{...line('tcp port:22'), cursor: 4}} width={40} />,
		);
		expect(typed.lastFrame()).toContain('filter › tcp port:22');
		typed.unmount();
		const empty = render(<TextPrompt label="filter" placeholder="port:22" line={line('')} width={40} />);
		expect(empty.lastFrame()).toContain('filter ›  port:22');
		empty.unmount();
	});

	it('keeps the cursor in view on a line longer than the screen', () => {
		const long = 'eni-0123456789abcdef0 src:10.100.200.0/24 dst:172.31.255.0/24 port:5432';
		const {lastFrame, unmount} = render(<TextPrompt label="filter" placeholder="" line={line(long)} width={40} />);
		expect(lastFrame()).toContain('port:5432');
		expect(lastFrame()).not.toContain('eni-0123');
		unmount();
	});
});
