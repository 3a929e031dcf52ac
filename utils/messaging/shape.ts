/**
 * Type guards built like schemas, for a content script to check the background's answers.
 *
 * The answers' schemas are valibot schemas (./protocol.ts `ANSWERS`): the background holds
 * every answer to them before it leaves (utils/background/app.ts), and tests hold these
 * guards to them.
 * A content script checks again with these few lines instead of shipping valibot, which
 * costs about 1.4 KB gzip of a 15 KB budget. The type parameter makes the compiler check
 * that a guard covers every field of the type it guards.
 */
export type Guard<T> = (x: unknown) => x is T;

export const str: Guard<string> = (x): x is string => typeof x === 'string';
export const bool: Guard<boolean> = (x): x is boolean => typeof x === 'boolean';
/** A number, NaN excluded (like valibot's `number()`). */
export const num: Guard<number> = (x): x is number => typeof x === 'number' && x === x;
/** A whole number ≥ 0. */
export const count: Guard<number> = (x): x is number => Number.isInteger(x) && (x as number) >= 0;

export const oneOf =
  <const V extends string>(...values: V[]): Guard<V> =>
  (x): x is V =>
    values.includes(x as V);

/** An array whose every item (holes read as `undefined`) passes `item`. */
export const listOf =
  <T>(item: Guard<T>): Guard<T[]> =>
  (x): x is T[] =>
    Array.isArray(x) && [...x].every(item);

export const maybe =
  <T>(inner: Guard<T>): Guard<T | null> =>
  (x): x is T | null =>
    x === null || inner(x);

/** An object whose every listed field passes its guard (other fields are ignored). */
export const obj =
  <T>(fields: { [K in keyof T]-?: Guard<T[K]> }): Guard<T> =>
  (x): x is T =>
    !!x && typeof x === 'object' && Object.keys(fields).every((k) => fields[k as keyof T]((x as Record<string, unknown>)[k]));
