/** The fake Graph finds relationships by id through an index that follows in-place changes of the world. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fakeRequest } from '../fake-cloud/client';
import { startFakeCloud, type FakeCloud } from '../fake-cloud/server';

const RELS = 'https://graph.microsoft.com/v1.0/tenantRelationships/delegatedAdminRelationships';
let cloud: FakeCloud;
let token: string;
beforeAll(async () => {
  cloud = await startFakeCloud({ customers: 30, seed: 4 });
  token = cloud.login.mintAccessToken();
});
afterAll(async () => {
  await cloud?.stop();
});

const get = (id: string) => fakeRequest(cloud, `${RELS}/${encodeURIComponent(id)}`, { token });

it('finds each relationship by id, also after relationships are removed and reordered in place', async () => {
  const rels = cloud.world.relationships;
  const [first, second, last] = [rels[0]!, rels[1]!, rels[rels.length - 1]!];
  expect((await get(last.id)).json<{ id: string }>().id).toBe(last.id);
  rels.splice(0, 1); // every index shifts
  expect((await get(first.id)).status).toBe(404);
  expect((await get(last.id)).json<{ id: string }>().id).toBe(last.id);
  expect((await get(second.id)).json<{ id: string }>().id).toBe(second.id);
  rels.reverse();
  expect((await get(second.id)).json<{ id: string }>().id).toBe(second.id);
  expect((await get('no-such-relationship')).status).toBe(404);
});
