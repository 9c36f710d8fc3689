/**
 * The admin's employee list: search by NIP prefix or name, filters (unit with or without its sub-units, position
 * kind, status, superior), sort, page+limit and cursor paging with one total, each item with its unit and superior.
 * Real database, app.request().
 */
import { dbKinds } from '@kinerja/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, setup, type Fixture } from './helpers.js';

interface Item {
  id: string;
  nip: string;
  name: string;
  status: string;
  unit: { id: string; code: string; name: string };
  superior: { id: string; nip: string; name: string } | null;
}
interface List {
  items: Item[];
  total: number;
  page: number;
  limit: number;
  nextCursor: string | null;
}

/** valid NIPs: birth 1985-03-DD, appointment 2010-01, sequence */
const nip = (i: number) => `198503${String(i + 1).padStart(2, '0')}201001100${i % 10}`;

describe.each(dbKinds())('employee list (%s)', (kind) => {
  let f: Fixture;
  let admin: string;
  const list = async (query: string) => {
    const res = await f.req('GET', `/admin/regions/demo/employees?${query}`, { token: admin });
    expect(res.status, await res.clone().text()).toBe(200);
    return json<List>(res);
  };

  beforeAll(async () => {
    f = await setup(kind);
    admin = await f.login('admin');
    // twelve more staff in the bidang under the Kepala Bidang, two of them departed, three FUNGSIONAL
    await f.db.prisma.employee.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        regionId: f.seed.regionId,
        nip: nip(i),
        name: `${i % 2 ? 'Rina' : 'Sari'} Daftar ${String(i).padStart(2, '0')}`,
        position: 'Staf',
        positionKind: i < 3 ? ('FUNGSIONAL' as const) : ('PELAKSANA' as const),
        unitId: f.seed.units.bidang,
        superiorId: f.seed.employees.kepalaBidang,
        status: i >= 10 ? ('LEFT' as const) : ('ACTIVE' as const),
      })),
    });
  });
  afterAll(() => f?.close());

  it('each item carries its unit and its superior (name and NIP)', async () => {
    const page = await list(`q=${NIPS.staff1}`);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      nip: NIPS.staff1,
      unit: { id: f.seed.units.bidang, code: 'DISDUKCAPIL-PDP' },
      superior: { id: f.seed.employees.kepalaBidang, nip: NIPS.kepalaBidang },
    });
    const head = await list(`q=${NIPS.kepalaDinas}`);
    expect(head.items[0]!.superior).toBeNull();
  });

  it('search: NIP prefix or a case-insensitive part of the name; LIKE wildcards are literal', async () => {
    expect((await list('q=198503')).total).toBe(12);
    expect((await list('q=daftar')).total).toBe(12);
    expect((await list('q=RINA%20DAF')).items.map((e) => e.name)).toEqual(
      ['Rina Daftar 01', 'Rina Daftar 03', 'Rina Daftar 05', 'Rina Daftar 07', 'Rina Daftar 09', 'Rina Daftar 11'].sort((a, b) =>
        nipOf(a).localeCompare(nipOf(b)),
      ),
    );
    expect((await list('q=%25')).total).toBe(0);
  });

  it('filters: unit with or without sub-units, position kind, status, superior', async () => {
    const all = (await list('limit=500')).total;
    const dinas = await list('unitCode=DISDUKCAPIL');
    const tree = await list(`unitId=${f.seed.units.dinas}&subunits=true&limit=500`);
    expect(dinas.items.every((e) => e.unit.code === 'DISDUKCAPIL')).toBe(true);
    expect(tree.total).toBe(all);
    expect(tree.total).toBeGreaterThan(dinas.total);
    expect((await list(`unitId=${f.seed.units.bidang}`)).total).toBe(all - dinas.total);
    expect((await list('unitCode=NOPE')).total).toBe(0);
    expect((await list('positionKind=FUNGSIONAL&q=daftar')).total).toBe(3);
    expect((await list('status=LEFT')).items.map((e) => e.nip)).toEqual([nip(10), nip(11)]);
    const subs = await list(`superiorId=${f.seed.employees.kepalaBidang}&status=ACTIVE&limit=500`);
    expect(subs.items.every((e) => e.superior?.id === f.seed.employees.kepalaBidang && e.status === 'ACTIVE')).toBe(true);
    expect(subs.total).toBe(
      10 + (await f.db.prisma.employee.count({ where: { superiorId: f.seed.employees.kepalaBidang, nip: { not: { startsWith: '198503' } } } })),
    );
  });

  it('sort by name or NIP either way; page+limit and cursor give the same rows and one total', async () => {
    const byName = await list('q=daftar&sort=name&limit=500');
    expect(byName.items.map((e) => e.name)).toEqual(byName.items.map((e) => e.name).sort());
    const desc = await list('q=daftar&sort=-nip&limit=500');
    expect(desc.items.map((e) => e.nip)).toEqual(Array.from({ length: 12 }, (_, i) => nip(11 - i)));

    const p1 = await list('q=daftar&sort=name&limit=5');
    const p2 = await list('q=daftar&sort=name&limit=5&page=2');
    expect(p1).toMatchObject({ total: 12, page: 1, limit: 5 });
    expect(p1.items.map((e) => e.name)).toEqual(byName.items.slice(0, 5).map((e) => e.name));
    expect(p2.items.map((e) => e.name)).toEqual(byName.items.slice(5, 10).map((e) => e.name));
    const c2 = await list(`q=daftar&sort=name&limit=5&cursor=${p1.nextCursor!}`);
    expect(c2.items.map((e) => e.id)).toEqual(p2.items.map((e) => e.id));
    expect(c2.total).toBe(12);
    const c3 = await list(`q=daftar&sort=name&limit=5&cursor=${c2.nextCursor!}`);
    expect(c3.items).toHaveLength(2);
    expect(c3.nextCursor).toBeNull();

    // a cursor of another sort, or garbage, names the parameter
    for (const cursor of [p1.nextCursor!, 'not-a-cursor']) {
      const bad = await f.req('GET', `/admin/regions/demo/employees?sort=nip&cursor=${cursor}`, { token: admin });
      expect(bad.status).toBe(422);
      expect((await json<{ errors: { field: string; in: string }[] }>(bad)).errors[0]).toMatchObject({ field: 'cursor', in: 'query' });
    }
    expect((await f.req('GET', '/admin/regions/demo/employees?sort=age', { token: admin })).status).toBe(422);
  });
});

/** the NIP of a seeded "… Daftar NN" employee */
function nipOf(name: string) {
  return nip(Number(name.slice(-2)));
}
