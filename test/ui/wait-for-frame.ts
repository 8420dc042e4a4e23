/** Wait until ink-testing-library's last frame passes the check; fail with the frame after three seconds. */
export async function waitForFrame(
	lastFrame: () => string | undefined,
	check: (frame: string) => boolean,
): Promise<string> {
	const deadline = Date.now() + 3000;
	while (!check(lastFrame() ?? '')) {
		if (Date.now() > deadline) {
			throw new Error(`the frame never matched; last frame:\n${lastFrame() ?? ''}`);
		}

		await new Promise(resolve => setTimeout(resolve, 10));
	}

	return lastFrame() ?? '';
}
