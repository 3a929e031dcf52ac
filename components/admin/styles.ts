/**
 * CSS of the admin-center UI (partner badges, the summary panel, the approval panel), for
 * their own shadow roots. Colours are custom properties on `:host` that follow the page's
 * colour scheme; every risk tone keeps at least 4.5:1 contrast on its own background
 * (high red, medium amber, low green, none grey). The partner details are an absolutely
 * positioned popover: opening them never moves the partner row.
 */
export const ADMIN_CSS = `
:host{all:initial;display:inline-block;vertical-align:middle;
--fg:#1b1b1b;--bg:#ffffff;--bd:#8a8886;--ac:#0f6cbd;
--high:#a80000;--highb:#fde7e9;--med:#7a4d00;--medb:#fff4ce;--low:#0e700e;--lowb:#f1faf1;--none:#424242;--noneb:#f5f5f5}
@media (prefers-color-scheme:dark){:host{
--fg:#f5f5f5;--bg:#292929;--bd:#6e6e6e;--ac:#479ef5;
--high:#ff99a4;--highb:#3b0509;--med:#f7c948;--medb:#3d2a00;--low:#6ccb6c;--lowb:#052505;--none:#d6d6d6;--noneb:#333333}}
.b,.panel{color:var(--fg);font:12px/1.4 "Segoe UI",system-ui,-apple-system,"Noto Sans KR",sans-serif;text-align:start}
.b{position:relative;display:inline-block;margin-inline-start:6px}
.p{font:inherit;display:inline-flex;align-items:center;max-width:100%;padding:1px 8px;border:1px solid;border-radius:10px;cursor:pointer;white-space:nowrap}
.x+.x::before{content:"\\00b7";margin:0 5px}
.high{color:var(--high);background:var(--highb)}.medium{color:var(--med);background:var(--medb)}
.low{color:var(--low);background:var(--lowb)}.none{color:var(--none);background:var(--noneb)}
.p.high,.chip.high{font-weight:600}
button:focus-visible{outline:2px solid var(--ac);outline-offset:2px}
.d{position:absolute;z-index:2147483000;top:calc(100% + 4px);inset-inline-start:0;box-sizing:border-box;width:max-content;min-width:260px;max-width:min(420px,90vw);max-height:60vh;overflow:auto;padding:8px 10px;border:1px solid var(--bd);border-radius:6px;background:var(--bg);color:var(--fg);box-shadow:0 4px 12px rgba(0,0,0,.25);white-space:normal}
.n{font-weight:600;overflow-wrap:anywhere;padding-inline-end:22px;margin-bottom:4px}
.s{display:inline-block;margin:2px 0 4px;padding:0 6px;border-radius:8px;border:1px solid}
h3{font:inherit;font-weight:600;margin:8px 0 2px}
p{margin:2px 0}
ul{margin:2px 0;padding-inline-start:18px}
li.priv{font-weight:600}
.c{position:absolute;top:4px;inset-inline-end:4px;font:inherit;font-size:14px;line-height:1;padding:2px 5px;border:0;background:none;color:inherit;cursor:pointer}
.panel{display:block;box-sizing:border-box;margin:8px 0;padding:8px 12px;border:1px solid var(--bd);border-inline-start-width:4px;border-radius:6px;background:var(--bg)}
.panel.warn{border-color:var(--high);border-inline-start-color:var(--high)}
.panel.ok{border-inline-start-color:var(--low)}
.lead{font-weight:600}
.panel.warn .lead{color:var(--high)}
.w{color:var(--high);font-weight:600}
.t{font-weight:600;margin:0 0 6px}
.roles{list-style:none;padding:0;margin:4px 0}
.roles li{display:flex;flex-wrap:wrap;gap:2px 8px;align-items:baseline;padding:3px 0}
.roles li+li{border-top:1px solid var(--bd)}
.chip{display:inline-block;min-width:64px;text-align:center;padding:0 6px;border:1px solid;border-radius:8px;white-space:nowrap}
.rn{font-weight:600;overflow-wrap:anywhere}
.re{flex-basis:100%}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}
dt{font-weight:600}dd{margin:0}
.ex{margin-top:6px;padding:6px 8px;border-radius:4px;background:var(--highb);color:var(--high)}
.ex ul{color:var(--fg)}
`;
