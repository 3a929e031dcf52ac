/**
 * The badge's CSS, for its own shadow root. Colours live on `:host` as custom properties
 * and switch with the page's colour scheme; every tone keeps at least 4.5:1 contrast.
 * The details are an absolutely positioned popover: they never move the row. The page's
 * one sign-in prompt (components/SignedOutPrompt.tsx, class `g`) shares the sheet.
 */
export const BADGE_CSS = `
:host{all:initial;display:inline-block;vertical-align:middle;margin-inline-start:6px;
--fg:#1b1b1b;--bg:#fff;--bd:#8a8886;--ac:#0f6cbd;
--ok:#0e700e;--okb:#f1faf1;--warn:#8a3707;--warnb:#fff9f5;--danger:#b10e1c;--dangerb:#fdf3f4;--muted:#424242;--mutedb:#f5f5f5}
@media (prefers-color-scheme:dark){:host{
--fg:#f5f5f5;--bg:#292929;--bd:#6e6e6e;--ac:#479ef5;
--ok:#54b054;--okb:#052505;--warn:#faa06b;--warnb:#411200;--danger:#f1707b;--dangerb:#3b0509;--muted:#d6d6d6;--mutedb:#333}}
.b{position:relative;display:inline-block;color:var(--fg);font:12px/1.35 "Segoe UI",system-ui,-apple-system,"Noto Sans KR",sans-serif}
.p{font:inherit;display:inline-flex;align-items:center;padding:1px 8px;border:1px solid;border-radius:10px;cursor:pointer;white-space:nowrap}
.ok{color:var(--ok);background:var(--okb)}.warn{color:var(--warn);background:var(--warnb)}
.danger{color:var(--danger);background:var(--dangerb)}.muted{color:var(--muted);background:var(--mutedb)}
.p.danger{font-weight:600}
button:focus-visible,a:focus-visible,input:focus-visible{outline:2px solid var(--ac);outline-offset:2px}
.d{position:absolute;z-index:2147483000;top:calc(100% + 4px);left:0;box-sizing:border-box;width:max-content;min-width:240px;max-width:min(380px,90vw);max-height:60vh;overflow:auto;padding:8px 10px;border:1px solid var(--bd);border-radius:6px;background:var(--bg);color:var(--fg);box-shadow:0 4px 12px rgba(0,0,0,.25);white-space:normal;text-align:start}
.r+.r{border-top:1px solid var(--bd);margin-top:8px;padding-top:8px}
.n{font-weight:600;overflow-wrap:anywhere;padding-inline-end:20px}
.s{display:inline-block;margin:2px 0;padding:0 6px;border-radius:8px}
.w{color:var(--danger);font-weight:600}
ul{margin:2px 0;padding-inline-start:18px}.high{font-weight:600}
a{color:var(--ac)}
.a{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin-top:6px}
.a button{font:inherit;padding:2px 8px;border:1px solid var(--ac);border-radius:4px;background:var(--ac);color:var(--bg);cursor:pointer}
.a button:disabled{opacity:.6;cursor:default}
.c{position:absolute;top:4px;right:4px;font:inherit;font-size:14px;line-height:1;padding:2px 5px;border:0;background:none;color:inherit;cursor:pointer}
input{font:inherit;width:100%;box-sizing:border-box}
.g{position:fixed;right:16px;bottom:16px;z-index:2147483000;display:flex;align-items:center;gap:8px;max-width:420px;padding:8px 10px;border:1px solid var(--bd);border-radius:8px;background:var(--bg);color:var(--fg);font-size:13px;box-shadow:0 4px 12px rgba(0,0,0,.18)}
.g .a{margin:0}.g button{white-space:nowrap}.g .c{position:static;font-size:16px}
`;
