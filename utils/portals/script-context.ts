/**
 * What WXT's content-script wrapper constructs in place of its ContentScriptContext when the
 * content scripts are built (utils/build-config.ts aliases it here). GDAP Lens's content
 * scripts live by their own lifetime (./lifetime.ts) and never use WXT's context, whose
 * location watcher and retirement protocol are about 1.2 KB gzip of each script's 15 KB.
 */
export class ContentScriptContext {
  constructor(
    readonly contentScriptName: string,
    readonly options?: unknown,
  ) {}
}
