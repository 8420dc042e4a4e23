import {invalidParameter} from './service-error.js';

/**
 * nextToken values: opaque to the client, but only a position for the endpoint, so a page can
 * resume after its last item even when records arrive between calls. Tagged with the action so
 * one action's token is refused by another, as AWS does.
 */
export function encodeToken(action: string, position: unknown): string {
	return Buffer.from(JSON.stringify({action, position})).toString('base64url');
}

export function decodeToken(action: string, token: string): unknown {
	try {
		const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
			action?: unknown;
			position?: unknown;
		};
		if (decoded.action === action && decoded.position !== undefined) {
			return decoded.position;
		}
	} catch {
		// Not base64 JSON at all: refused below like any other foreign token.
	}

	throw invalidParameter('The specified nextToken is invalid.');
}
