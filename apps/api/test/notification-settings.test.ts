/**
 * Where notifications go and who controls them: employee contacts (create, patch, import; normalised), the user's
 * own language and muted channels, the region's WhatsApp/SMS gateways (secrets shown once, never listed, never
 * audited), and the failed deliveries the admin lists and sends again. Bad input names its field and changes nothing;
 * another region's admin and an ASN see 404, no token 401.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, NIPS, setup, type Fixture } from './helpers.js';

interface Problem {
  code: string;
  detail: string;
  errors?: { pointer: string; field: string; code: string; row?: number; in?: string; message: string }[];
}
interface Employee {
  id: string;
  nip: string;
  email: string | null;
  phone: string | null;
}
interface Settings {
  language: 'id' | 'en';
  mutedChannels: string[];
  email: string | null;
  phone: string | null;
}
interface Webhook {
  id: string;
  channel: string;
  url: string;
  active: boolean;
}
interface Notification {
  id: string;
  event: string;
  channel: string;
  status: string;
  recipient: { id: string; nip: string | null; name: string | null };
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
}
interface List<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

const pointers = (p: Problem) => (p.errors ?? []).map((e) => e.pointer);

describe('notification settings, contacts, gateways and failed deliveries', () => {
  let f: Fixture;
  let admin: string;
  let otherAdmin: string;
  let asn: string;
  const base = '/admin/regions/demo';

  beforeAll(async () => {
    f = await setup('pglite');
    admin = await f.login('admin');
    otherAdmin = await f.login('admin-lain');
    asn = await f.login(NIPS.staff1);
  }, 180_000);
  afterAll(() => f?.close());

  describe('employee contacts', () => {
    const nip = '199107072018011001';

    it('create and patch: e-mail lower-cased, 0812… stored as +62 812…, null clears; shown in the employee', async () => {
      const res = await f.req('POST', `${base}/employees`, {
        token: admin,
        body: { nip, name: 'Rina Wulandari', position: 'Analis SDM', unitCode: 'DISDUKCAPIL', email: '  Rina.Wulandari@Demo.GO.ID ', phone: '0812-3456-7890' },
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const created = await json<Employee>(res);
      expect(created).toMatchObject({ email: 'rina.wulandari@demo.go.id', phone: '+6281234567890' });
      const shown = await json<Employee>(await f.req('GET', `${base}/employees/${created.id}`, { token: admin }));
      expect(shown).toMatchObject({ email: 'rina.wulandari@demo.go.id', phone: '+6281234567890' });
      const listed = await json<List<Employee>>(await f.req('GET', `${base}/employees?q=Rina`, { token: admin }));
      expect(listed.items[0]).toMatchObject({ email: 'rina.wulandari@demo.go.id', phone: '+6281234567890' });

      for (const [input, stored] of [
        ['+62 812 3456 7891', '+6281234567891'],
        ['6281234567892', '+6281234567892'],
        ['(0361) 222-333', '+62361222333'],
      ] as const) {
        const p = await f.req('PATCH', `${base}/employees/${created.id}`, { token: admin, body: { phone: input } });
        expect(p.status, await p.clone().text()).toBe(200);
        expect((await json<Employee>(p)).phone).toBe(stored);
      }
      const cleared = await json<Employee>(await f.req('PATCH', `${base}/employees/${created.id}`, { token: admin, body: { email: null, phone: null } }));
      expect(cleared).toMatchObject({ email: null, phone: null });
      // a patch without the fields leaves them alone
      await f.req('PATCH', `${base}/employees/${created.id}`, { token: admin, body: { email: 'rina@demo.go.id' } });
      const renamed = await json<Employee>(await f.req('PATCH', `${base}/employees/${created.id}`, { token: admin, body: { name: 'Rina W.' } }));
      expect(renamed).toMatchObject({ email: 'rina@demo.go.id', phone: null });
      const audits = await f.db.prisma.auditEvent.findMany({ where: { regionId: f.seed.regionId, action: 'employee.update', entityId: created.id } });
      expect(audits.length).toBe(6);
    });

    it('bad addresses and numbers: 422 naming the field (Indonesian, English on request), nothing written', async () => {
      const body = { nip: '199108082018011002', name: 'Salah Kontak', position: 'Staf', unitCode: 'DISDUKCAPIL' };
      for (const email of ['bukan-email', 'a@b', 'a@@demo.go.id', 'a b@demo.go.id', '.a@demo.go.id', 'a@-demo.go.id', `${'a'.repeat(65)}@demo.go.id`]) {
        const p = await json<Problem>(await f.req('POST', `${base}/employees`, { token: admin, body: { ...body, email } }));
        expect(p.code, email).toBe('VALIDATION_FAILED');
        expect(p.errors, email).toEqual([
          expect.objectContaining({ pointer: '/email', code: 'invalid_email', message: 'harus berupa alamat e-mail, mis. nama@instansi.go.id' }),
        ]);
      }
      for (const phone of ['12345', '0812', '+0812345678', '08123456789012345', '+62812345', 'nomor-saya', '+62 0812 3456 7890']) {
        const p = await json<Problem>(await f.req('POST', `${base}/employees`, { token: admin, body: { ...body, phone } }));
        expect(p.errors, phone).toEqual([expect.objectContaining({ pointer: '/phone', code: 'invalid_phone' })]);
      }
      const en = await json<Problem>(
        await f.req('POST', `${base}/employees`, { token: admin, body: { ...body, phone: '12345' }, headers: { 'accept-language': 'en' } }),
      );
      expect(en.errors![0]!.message).toBe('must be a phone number, e.g. +6281234567890 or 081234567890');
      expect(await f.db.prisma.employee.count({ where: { nip: body.nip } })).toBe(0);

      const staff2 = f.seed.employees.staff2;
      const before = await f.db.prisma.employee.findUniqueOrThrow({ where: { id: staff2 } });
      const bad = await json<Problem>(
        await f.req('PATCH', `${base}/employees/${staff2}`, { token: admin, body: { name: 'Nama Baru Sekali', email: 'baru@demo.go.id', phone: '999' } }),
      );
      expect(pointers(bad)).toEqual(['/phone']);
      expect(await f.db.prisma.employee.findUniqueOrThrow({ where: { id: staff2 } })).toEqual(before);
    });

    it('import: email and phone columns (JSON and CSV), normalised; a bad cell names its row, nothing applied; an empty cell keeps the value', async () => {
      const a = '199209092019031001';
      const b = '199310102019031002';
      const rows = [
        { nip: a, name: 'Agus Salim', position: 'Staf', unitCode: 'DISDUKCAPIL-PDP', email: 'Agus.Salim@Demo.go.id', phone: '0813 1111 2222' },
        { nip: b, name: 'Bunga Lestari', position: 'Staf', unitCode: 'DISDUKCAPIL-PDP', email: null },
      ];
      const ok = await f.req('POST', `${base}/employees/import`, { token: admin, body: { rows } });
      expect(ok.status, await ok.clone().text()).toBe(200);
      expect(await f.db.prisma.employee.findFirstOrThrow({ where: { nip: a } })).toMatchObject({ email: 'agus.salim@demo.go.id', phone: '+6281311112222' });
      expect(await f.db.prisma.employee.findFirstOrThrow({ where: { nip: b } })).toMatchObject({ email: null, phone: null });

      const bad = await f.req('POST', `${base}/employees/import`, {
        token: admin,
        body: {
          rows: [
            { ...rows[0], phone: '0813' },
            { ...rows[1], email: 'bunga@' },
          ],
        },
      });
      expect(bad.status).toBe(422);
      const p = await json<Problem>(bad);
      expect(p.errors!.map((e) => [e.pointer, e.row, e.code])).toEqual([
        ['/rows/0/phone', 1, 'invalid_phone'],
        ['/rows/1/email', 2, 'invalid_email'],
      ]);

      const headers = { 'content-type': 'text/csv' };
      const badCsv = `nip,name,position,unitCode,email,phone\r\n${a},Agus Salim,Staf,DISDUKCAPIL-PDP,agus@demo.go.id,08131111\r\n`;
      const refused = await json<Problem>(await f.req('POST', `${base}/employees/import`, { token: admin, raw: badCsv, headers }));
      // a file's rows are numbered as the spreadsheet numbers them: the header is row 1
      expect(refused.errors).toEqual([expect.objectContaining({ pointer: '/2/phone', row: 2, code: 'invalid_phone' })]);
      expect(await f.db.prisma.employee.findFirstOrThrow({ where: { nip: a } })).toMatchObject({ email: 'agus.salim@demo.go.id', phone: '+6281311112222' });

      // Agus: new e-mail, phone cell empty (kept); Bunga: a phone
      const csv = `nip,name,position,unitCode,email,phone\r\n${a},Agus Salim,Staf,DISDUKCAPIL-PDP,AGUS@DEMO.GO.ID,\r\n${b},Bunga Lestari,Staf,DISDUKCAPIL-PDP,,+62 857-0000-1111\r\n`;
      const applied = await f.req('POST', `${base}/employees/import`, { token: admin, raw: csv, headers });
      expect(applied.status, await applied.clone().text()).toBe(200);
      expect(await f.db.prisma.employee.findFirstOrThrow({ where: { nip: a } })).toMatchObject({ email: 'agus@demo.go.id', phone: '+6281311112222' });
      expect(await f.db.prisma.employee.findFirstOrThrow({ where: { nip: b } })).toMatchObject({ email: null, phone: '+6285700001111' });
    });
  });

  describe('my notification settings', () => {
    it('GET /me shows them (Indonesian, nothing muted by default, the contacts the admin keeps); PUT sets language and muted channels', async () => {
      await f.db.prisma.employee.update({ where: { id: f.seed.employees.staff1 }, data: { email: 'andi@demo.go.id', phone: '+6281200000001' } });
      const me = await json<{ notifications: Settings }>(await f.req('GET', '/me', { token: asn }));
      expect(me.notifications).toEqual({ language: 'id', mutedChannels: [], email: 'andi@demo.go.id', phone: '+6281200000001' });

      const res = await f.req('PUT', '/me/notification-settings', { token: asn, body: { language: 'en', mutedChannels: ['SMS', 'WHATSAPP'] } });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await json<Settings>(res)).toEqual({ language: 'en', mutedChannels: ['WHATSAPP', 'SMS'], email: 'andi@demo.go.id', phone: '+6281200000001' });
      expect((await json<{ notifications: Settings }>(await f.req('GET', '/me', { token: asn }))).notifications).toMatchObject({
        language: 'en',
        mutedChannels: ['WHATSAPP', 'SMS'],
      });
      expect(await f.db.prisma.user.findUniqueOrThrow({ where: { id: f.seed.users.staff1 } })).toMatchObject({
        language: 'en',
        mutedChannels: ['WHATSAPP', 'SMS'],
      });
      // only the caller's own row changed
      expect(await f.db.prisma.user.findUniqueOrThrow({ where: { id: f.seed.users.staff2 } })).toMatchObject({ language: 'id', mutedChannels: [] });

      // an admin without an employee record has settings too, and no contacts
      const mine = await json<Settings>(await f.req('PUT', '/me/notification-settings', { token: admin, body: { language: 'id', mutedChannels: ['EMAIL'] } }));
      expect(mine).toEqual({ language: 'id', mutedChannels: ['EMAIL'], email: null, phone: null });
      const back = await json<Settings>(await f.req('PUT', '/me/notification-settings', { token: admin, body: { language: 'id', mutedChannels: [] } }));
      expect(back.mutedChannels).toEqual([]);
    });

    it('bad settings: 422 naming the field, nothing changed; no token 401', async () => {
      const before = await f.db.prisma.user.findUniqueOrThrow({ where: { id: f.seed.users.staff1 } });
      const cases: [unknown, string, string][] = [
        [{ language: 'fr', mutedChannels: [] }, '/language', 'invalid_value'],
        [{ language: 'id', mutedChannels: ['FAX'] }, '/mutedChannels/0', 'invalid_value'],
        [{ language: 'id', mutedChannels: ['EMAIL', 'SMS', 'EMAIL'] }, '/mutedChannels/2', 'duplicate'],
        [{ language: 'id' }, '/mutedChannels', 'required'],
        // a missing enum field is reported as a value outside the enum (validation.ts)
        [{ mutedChannels: [] }, '/language', 'invalid_value'],
        [{ language: 'id', mutedChannels: [], email: 'a@b.id' }, '/email', 'unrecognized_key'],
        [{ language: 'id', mutedChannels: 'EMAIL' }, '/mutedChannels', 'invalid_type'],
      ];
      for (const [body, pointer, code] of cases) {
        const res = await f.req('PUT', '/me/notification-settings', { token: asn, body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect((await json<Problem>(res)).errors, JSON.stringify(body)).toContainEqual(expect.objectContaining({ pointer, code }));
      }
      const dup = await json<Problem>(
        await f.req('PUT', '/me/notification-settings', {
          token: asn,
          body: { language: 'id', mutedChannels: ['SMS', 'SMS'] },
          headers: { 'accept-language': 'en' },
        }),
      );
      expect(dup.errors![0]!.message).toBe('SMS is already listed at index 0');
      expect(await f.db.prisma.user.findUniqueOrThrow({ where: { id: f.seed.users.staff1 } })).toEqual(before);
      expect((await f.req('PUT', '/me/notification-settings', { body: { language: 'id', mutedChannels: [] } })).status).toBe(401);
    });
  });

  describe('webhook gateways', () => {
    const hooks = `${base}/webhooks`;

    it('create answers the secret once; the list and the audit trail never show it; update keeps it; rotate replaces it; delete removes', async () => {
      expect(await json<{ items: Webhook[] }>(await f.req('GET', hooks, { token: admin }))).toEqual({ items: [] });
      const res = await f.req('PUT', `${hooks}/WHATSAPP`, { token: admin, body: { url: 'https://wa-gateway.example.id/kinerja' } });
      expect(res.status, await res.clone().text()).toBe(201);
      const created = await json<{ endpoint: Webhook; secret: string }>(res);
      expect(created.endpoint).toMatchObject({ channel: 'WHATSAPP', url: 'https://wa-gateway.example.id/kinerja', active: true });
      expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(created.secret, 'base64url').length).toBe(32);
      const row = await f.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.endpoint.id } });
      expect(row.secret).toBe(created.secret);

      const listText = await (await f.req('GET', hooks, { token: admin })).text();
      expect(listText).not.toContain(created.secret);
      expect((JSON.parse(listText) as { items: Webhook[] }).items.map((w) => w.channel)).toEqual(['WHATSAPP']);

      const updated = await f.req('PUT', `${hooks}/WHATSAPP`, { token: admin, body: { url: 'https://wa2.example.id/hook', active: false } });
      expect(updated.status).toBe(200);
      const u = await json<{ endpoint: Webhook; secret?: string }>(updated);
      expect(u.secret).toBeUndefined();
      expect(u.endpoint).toMatchObject({ id: created.endpoint.id, url: 'https://wa2.example.id/hook', active: false });
      expect((await f.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.endpoint.id } })).secret).toBe(created.secret);

      const rotated = await f.req('POST', `${hooks}/WHATSAPP/rotate-secret`, { token: admin });
      expect(rotated.status).toBe(200);
      const r = await json<{ endpoint: Webhook; secret: string }>(rotated);
      expect(r.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(r.secret).not.toBe(created.secret);
      expect((await f.db.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id: created.endpoint.id } })).secret).toBe(r.secret);

      const sms = await f.req('PUT', `${hooks}/SMS`, { token: admin, body: { url: 'https://sms.example.id/in', active: true } });
      expect(sms.status).toBe(201);
      expect((await json<{ items: Webhook[] }>(await f.req('GET', hooks, { token: admin }))).items.map((w) => w.channel)).toEqual(['WHATSAPP', 'SMS']);

      const audits = await f.db.prisma.auditEvent.findMany({ where: { regionId: f.seed.regionId, entityType: 'WebhookEndpoint' }, orderBy: { seq: 'asc' } });
      expect(audits.map((a) => a.action)).toEqual(['webhook.create', 'webhook.update', 'webhook.secret.rotate', 'webhook.create']);
      const trail = JSON.stringify(audits.map((a) => [a.before, a.after]));
      expect(trail).not.toContain(created.secret);
      expect(trail).not.toContain(r.secret);

      expect((await f.req('DELETE', `${hooks}/SMS`, { token: admin })).status).toBe(204);
      expect((await f.req('DELETE', `${hooks}/SMS`, { token: admin })).status).toBe(404);
      expect((await f.req('POST', `${hooks}/SMS/rotate-secret`, { token: admin })).status).toBe(404);
      expect((await json<{ items: Webhook[] }>(await f.req('GET', hooks, { token: admin }))).items.map((w) => w.channel)).toEqual(['WHATSAPP']);
    });

    it('bad gateways: https to a public host only, a WhatsApp or SMS channel; 422 naming the field, nothing written', async () => {
      const before = await f.db.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } });
      for (const url of [
        'http://wa.example.id/hook',
        'https://localhost/hook',
        'https://10.1.2.3/hook',
        'https://[::1]/x',
        'ftp://wa.example.id/',
        'bukan url',
        'https://user:pw@wa.example.id/',
      ]) {
        const p = await json<Problem>(await f.req('PUT', `${hooks}/WHATSAPP`, { token: admin, body: { url, active: true } }));
        expect(p.code, url).toBe('VALIDATION_FAILED');
        expect(pointers(p), url).toEqual(['/url']);
      }
      const scheme = await json<Problem>(
        await f.req('PUT', `${hooks}/SMS`, { token: admin, body: { url: 'http://sms.example.id/' }, headers: { 'accept-language': 'en' } }),
      );
      expect(scheme.errors).toEqual([expect.objectContaining({ pointer: '/url', code: 'url_scheme', message: 'the gateway url must use https:' })]);
      const channel = await json<Problem>(await f.req('PUT', `${hooks}/EMAIL`, { token: admin, body: { url: 'https://mail.example.id/' } }));
      expect(channel.errors).toEqual([expect.objectContaining({ pointer: '/channel', in: 'param' })]);
      const active = await json<Problem>(await f.req('PUT', `${hooks}/SMS`, { token: admin, body: { url: 'https://sms.example.id/', active: 'ya' } }));
      expect(pointers(active)).toEqual(['/active']);
      const extra = await json<Problem>(await f.req('PUT', `${hooks}/SMS`, { token: admin, body: { url: 'https://sms.example.id/', secret: 'pilihan-saya' } }));
      expect(pointers(extra)).toEqual(['/secret']);
      expect(await f.db.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    });

    it("another region's admin, an ASN and no token reach nothing", async () => {
      const before = await f.db.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } });
      for (const token of [otherAdmin, asn]) {
        expect((await f.req('GET', hooks, { token })).status).toBe(404);
        expect((await f.req('PUT', `${hooks}/SMS`, { token, body: { url: 'https://evil.example.com/' } })).status).toBe(404);
        expect((await f.req('POST', `${hooks}/WHATSAPP/rotate-secret`, { token })).status).toBe(404);
        expect((await f.req('DELETE', `${hooks}/WHATSAPP`, { token })).status).toBe(404);
      }
      expect((await f.req('GET', hooks)).status).toBe(401);
      expect((await f.req('PUT', `${hooks}/SMS`, { body: { url: 'https://evil.example.com/' } })).status).toBe(401);
      expect(await f.db.prisma.webhookEndpoint.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
      // the other region's admin manages their own
      expect((await f.req('PUT', '/admin/regions/lain/webhooks/SMS', { token: otherAdmin, body: { url: 'https://sms.lain.example.id/' } })).status).toBe(201);
      expect((await json<{ items: Webhook[] }>(await f.req('GET', hooks, { token: admin }))).items.map((w) => w.url)).toEqual(['https://wa2.example.id/hook']);
    });
  });

  describe('failed deliveries', () => {
    const list = `${base}/notifications`;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      const p = f.db.prisma;
      const row = (
        key: string,
        status: 'FAILED' | 'SENT' | 'PENDING',
        day: number,
        regionId = f.seed.regionId,
        recipientId: string = f.seed.employees.staff1,
      ) =>
        p.notification.create({
          data: {
            regionId,
            key: `test/${key}`,
            event: key.startsWith('rem') ? 'REMINDER' : 'ANNUAL_RESULT',
            channel: key.endsWith('wa') ? 'WHATSAPP' : 'EMAIL',
            recipientId,
            address: key.endsWith('wa') ? '+6281200000001' : 'andi@demo.go.id',
            payload: { name: 'Andi' },
            status,
            attempts: status === 'FAILED' ? 5 : 1,
            nextAttemptAt: new Date(Date.UTC(2026, 0, day)),
            lastError: status === 'FAILED' ? `550 mailbox unavailable (${key})` : null,
            ...(status === 'SENT' ? { sentAt: new Date(Date.UTC(2026, 0, day)) } : {}),
            createdAt: new Date(Date.UTC(2026, 0, day)),
          },
        });
      ids.old = (await row('rem-old', 'FAILED', 1)).id;
      ids.mid = (await row('res-mid-wa', 'FAILED', 2)).id;
      ids.new = (await row('rem-new', 'FAILED', 3, f.seed.regionId, f.seed.employees.staff2)).id;
      ids.sent = (await row('res-sent', 'SENT', 4)).id;
      ids.pending = (await row('rem-pending', 'PENDING', 5)).id;
      ids.theirs = (await row('rem-theirs', 'FAILED', 6, f.other.regionId, f.other.employeeId)).id;
    });

    it('lists FAILED by default, newest first, paginated, with the recipient; filters by status, channel and event', async () => {
      const res = await f.req('GET', list, { token: admin });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = await json<List<Notification>>(res);
      expect(body).toMatchObject({ total: 3, page: 1, limit: 50 });
      expect(body.items.map((n) => n.id)).toEqual([ids.new, ids.mid, ids.old]);
      expect(body.items[0]).toMatchObject({
        status: 'FAILED',
        event: 'REMINDER',
        channel: 'EMAIL',
        attempts: 5,
        lastError: '550 mailbox unavailable (rem-new)',
        recipient: { id: f.seed.employees.staff2, nip: NIPS.staff2 },
      });
      const page2 = await json<List<Notification>>(await f.req('GET', `${list}?limit=2&page=2`, { token: admin }));
      expect(page2).toMatchObject({ total: 3, page: 2, limit: 2 });
      expect(page2.items.map((n) => n.id)).toEqual([ids.old]);
      expect((await json<List<Notification>>(await f.req('GET', `${list}?status=SENT`, { token: admin }))).items.map((n) => n.id)).toEqual([ids.sent]);
      expect((await json<List<Notification>>(await f.req('GET', `${list}?channel=WHATSAPP`, { token: admin }))).items.map((n) => n.id)).toEqual([ids.mid]);
      expect((await json<List<Notification>>(await f.req('GET', `${list}?event=REMINDER`, { token: admin }))).items.map((n) => n.id)).toEqual([
        ids.new,
        ids.old,
      ]);
      for (const [q, pointer] of [
        ['status=LOST', '/status'],
        ['channel=FAX', '/channel'],
        ['event=PARTY', '/event'],
        ['limit=0', '/limit'],
        ['colour=red', '/colour'],
      ] as const) {
        const bad = await f.req('GET', `${list}?${q}`, { token: admin });
        expect(bad.status, q).toBe(422);
        expect((await json<Problem>(bad)).errors, q).toContainEqual(expect.objectContaining({ pointer, in: 'query' }));
      }
    });

    it('retry: FAILED → PENDING with attempts 0, due now, the last error kept; audited; 409 unless FAILED', async () => {
      const before = Date.now();
      const res = await f.req('POST', `${list}/${ids.mid}/retry`, { token: admin });
      expect(res.status, await res.clone().text()).toBe(200);
      const n = await json<Notification>(res);
      expect(n).toMatchObject({ id: ids.mid, status: 'PENDING', attempts: 0, lastError: '550 mailbox unavailable (res-mid-wa)' });
      expect(Date.parse(n.nextAttemptAt)).toBeGreaterThanOrEqual(before - 1000);
      const row = await f.db.prisma.notification.findUniqueOrThrow({ where: { id: ids.mid } });
      expect(row).toMatchObject({ status: 'PENDING', attempts: 0, leaseUntil: null, lastError: '550 mailbox unavailable (res-mid-wa)' });
      expect(await f.db.prisma.auditEvent.count({ where: { regionId: f.seed.regionId, action: 'notification.retry', entityId: ids.mid } })).toBe(1);
      expect((await json<List<Notification>>(await f.req('GET', list, { token: admin }))).items.map((i) => i.id)).toEqual([ids.new, ids.old]);

      for (const id of [ids.mid, ids.sent, ids.pending]) {
        const again = await f.req('POST', `${list}/${id}/retry`, { token: admin, headers: { 'accept-language': 'en' } });
        expect(again.status).toBe(409);
        const p = await json<Problem>(again);
        expect(p.code).toBe('CONFLICT');
        expect(p.detail).toMatch(/^Only a FAILED notification can be sent again \(status: (PENDING|SENT)\)\.$/);
      }
      expect(await f.db.prisma.notification.findUniqueOrThrow({ where: { id: ids.sent } })).toMatchObject({ status: 'SENT', attempts: 1 });
      expect(await f.db.prisma.auditEvent.count({ where: { action: 'notification.retry' } })).toBe(1);
      expect((await f.req('POST', `${list}/no-such-id/retry`, { token: admin })).status).toBe(404);
    });

    it("another region's admin, an ASN and no token reach nothing; our admin cannot retry theirs", async () => {
      for (const token of [otherAdmin, asn]) {
        expect((await f.req('GET', list, { token })).status).toBe(404);
        expect((await f.req('POST', `${list}/${ids.old}/retry`, { token })).status).toBe(404);
      }
      expect((await f.req('GET', list)).status).toBe(401);
      expect((await f.req('POST', `${list}/${ids.old}/retry`)).status).toBe(401);
      expect((await f.req('POST', `${list}/${ids.theirs}/retry`, { token: admin })).status).toBe(404);
      expect(await f.db.prisma.notification.findUniqueOrThrow({ where: { id: ids.old } })).toMatchObject({ status: 'FAILED', attempts: 5 });
      expect(await f.db.prisma.notification.findUniqueOrThrow({ where: { id: ids.theirs } })).toMatchObject({ status: 'FAILED' });
      const theirs = await json<List<Notification>>(await f.req('GET', '/admin/regions/lain/notifications', { token: otherAdmin }));
      expect(theirs.items.map((n) => n.id)).toEqual([ids.theirs]);
    });
  });
});
