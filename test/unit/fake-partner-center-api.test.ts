/**
 * The fake Partner Center's customer list API at benchmark sizes: one page of 5,000 rows,
 * the relationship column right for every row, and answered quickly even when the world
 * has twice as many relationships as customers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeRequest } from '../fake-cloud/client';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';
import type { PcCustomerItem } from '../fake-cloud/partner-center/index';

const LIVE = new Set(['approved', 'activating', 'active', 'expiring']);
let cloud: FakeCloud;

beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 6000, seed: 5, now: new Date('2026-03-01T00:00:00Z') });
});
afterAll(async () => {
  await cloud?.stop();
});

interface ListPage {
  items: PcCustomerItem[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

describe('GET /__fake/pc/api/customers', () => {
  it('serves 5,000 customers on one page, in world order, with the right relationship column', async () => {
    const started = performance.now();
    const res = await fakeRequest(cloud, 'https://partner.microsoft.com/__fake/pc/api/customers?page=1&pageSize=5000', { timeoutMs: 20_000 });
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    const body = res.json<ListPage>();
    expect(body).toMatchObject({ total: 6000, page: 1, pageSize: 5000, pageCount: 2 });
    expect(body.items.map((c) => c.tenantId)).toEqual(cloud.world.customers.slice(0, 5000).map((c) => c.tenantId));
    for (const item of body.items.slice(0, 300)) {
      const gdap = cloud.world.relationships.some((r) => r.customer?.tenantId?.toLowerCase() === item.tenantId.toLowerCase() && LIVE.has(r.status));
      expect(item.relationships.includes('gdap'), item.displayName).toBe(gdap);
    }
    // Linear, not customers × relationships (that took seconds at this size).
    expect(elapsed).toBeLessThan(2000);
  });

  it('page 2 holds the rest', async () => {
    const body = (await fakeRequest(cloud, 'https://partner.microsoft.com/__fake/pc/api/customers?page=2&pageSize=5000')).json<ListPage>();
    expect(body.items).toHaveLength(1000);
    expect(body.items[0]!.tenantId).toBe(cloud.world.customers[5000]!.tenantId);
  });
});
