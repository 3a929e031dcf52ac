/**
 * The GDAP rules core: pure TypeScript, no browser APIs, no DOM, no UI strings.
 * UI layers turn the states and codes returned here into words.
 */
export * from './duration';
export * from './dates';
export * from './schema';
export * from './roles';
export * from './rules';
export * from './state';
export * from './summary';
