/**
 * The content script's copy of the badge index (`getBadgeIndex`): every cached customer's or
 * relationship's pill, asked for once per kind when the page opens, so that when a grid's
 * rows arrive their badges are drawn at once, with no round trip to the background while
 * the page is busy laying out its own rows. Forgotten (and asked again) when the cache
 * changes and now and then, as the days count down.
 */
import type { Api } from '../messaging/client';
import { decodePill, type Pill } from '../portals/pill';

export type IndexKind = 'customers' | 'relationships';

export interface IndexLookup {
  /** The pill of a customer (tenant id, any case) or relationship (id); null: no badge. */
  pill(key: string): Pill | null;
  /**
   * Every pill the index holds (the absent one first), read one by one as they are taken:
   * what a page can get ready before its rows arrive, such as the words each kind shows.
   */
  pills(): Iterable<Pill>;
}

export interface BadgeIndexSource {
  /** The index of `kind`, asked for once until forgotten; null when the background gives none. */
  get(kind: IndexKind): Promise<IndexLookup | null>;
  /** The index of `kind` if it has arrived (asking for it if not yet asked); undefined while it has not. */
  ready(kind: IndexKind): IndexLookup | null | undefined;
  /** Drops what was asked for: the next `get` asks again. */
  forget(): void;
}

export function createBadgeIndexSource(api: Pick<Api, 'send'>): BadgeIndexSource {
  const held = new Map<IndexKind, Promise<IndexLookup | null>>();
  const arrived = new Map<Promise<IndexLookup | null>, IndexLookup | null>();
  /** The lookup; undefined when the background could not answer (it may be restarting). */
  const ask = async (kind: IndexKind): Promise<IndexLookup | null | undefined> => {
    let answer;
    try {
      answer = await api.send('getBadgeIndex', { kind });
    } catch {
      return undefined;
    }
    if (!answer || typeof answer !== 'object' || !answer.entries || typeof answer.entries !== 'object') return null;
    const { entries } = answer;
    const absent = answer.absent === null ? null : decodePill(answer.absent);
    const lower = kind === 'customers';
    return {
      pill(key) {
        const k = lower ? key.toLowerCase() : key;
        return Object.hasOwn(entries, k) ? decodePill(entries[k]) : absent;
      },
      *pills() {
        if (absent) yield absent;
        for (const code of Object.values(entries)) {
          const p = decodePill(code);
          if (p) yield p;
        }
      },
    };
  };
  return {
    get(kind) {
      const held1 = held.get(kind);
      if (held1) return held1;
      const asking: Promise<IndexLookup | null> = ask(kind).then((lookup) => {
        if (lookup !== undefined) return lookup;
        // Ask again next time (unless already asked anew).
        if (held.get(kind) === asking) held.delete(kind);
        return null;
      });
      held.set(kind, asking);
      void asking.then((lookup) => arrived.set(asking, lookup));
      return asking;
    },
    ready(kind) {
      const asking = this.get(kind);
      return arrived.has(asking) ? arrived.get(asking) : undefined;
    },
    forget() {
      held.clear();
      arrived.clear();
    },
  };
}

/** The index a Partner Center page's rows will need, asked for as the page opens. */
export function indexKindOf(page: { kind: string } | null): IndexKind | null {
  if (page?.kind === 'customer-list') return 'customers';
  if (page?.kind === 'gdap-list' || page?.kind === 'customer-relationships') return 'relationships';
  return null;
}
