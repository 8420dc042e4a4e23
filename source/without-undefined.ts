/**
 * The same object without its undefined values. Under exactOptionalPropertyTypes an optional
 * property is absent or set, never set to undefined, and the libraries' option types (Ink's Text,
 * the AWS SDK's client configuration) say so.
 */
export function withoutUndefined<T extends object>(object: T): {[K in keyof T]?: Exclude<T[K], undefined>} {
	return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
		[K in keyof T]?: Exclude<T[K], undefined>;
	};
}
