/**
 * The region's own settings: its name and the time zone of its calendar. A cycle fixes its calendar (period
 * boundaries at local midnight, the holiday table) when it opens, so a changed zone reaches the cycles opened after
 * the change; running cycles keep theirs.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { REGION_TIME_ZONE_NAMES, REGION_TIME_ZONES, text, type RegionTimeZone } from '@kinerja/domain';
import type { ResolvedDeps } from '../../env.js';
import { authorizeRegion } from '../../access.js';
import { bearer, jsonBody, newRouter, ok, problems } from '../../router.js';
import { audit, RegionParams } from './common.js';

const tags = ['admin: region'];
const path = '/admin/regions/{regionCode}';

const TimeZone = z
  .enum(REGION_TIME_ZONE_NAMES as [RegionTimeZone, ...RegionTimeZone[]])
  .openapi({ description: 'Asia/Jakarta (WIB, UTC+7), Asia/Makassar (WITA, UTC+8) or Asia/Jayapura (WIT, UTC+9)', example: 'Asia/Makassar' });

export const RegionSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    name: z.string(),
    timezone: TimeZone,
    /** WIB, WITA or WIT */
    timezoneAbbreviation: z.string(),
    /** the zone's fixed offset from UTC in minutes (Indonesia keeps no daylight saving time) */
    utcOffsetMinutes: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('Region');

const RegionPatch = z
  .object({ name: text({ min: 3, max: 200 }).optional(), timezone: TimeZone.optional() })
  .strict()
  .openapi('RegionPatch');

const getRegion = createRoute({
  method: 'get',
  path,
  tags,
  security: bearer,
  summary: "The region's settings: name and calendar time zone",
  request: { params: RegionParams },
  responses: { 200: ok(RegionSchema), ...problems },
});
const patchRegion = createRoute({
  method: 'patch',
  path,
  tags,
  security: bearer,
  summary: 'Rename the region or change its time zone',
  description:
    'A cycle fixes its period boundaries (local midnight in the zone) and copies the holiday table when it opens: a changed time zone applies to cycles opened later; running cycles keep their calendar.',
  request: { params: RegionParams, ...jsonBody(RegionPatch) },
  responses: { 200: ok(RegionSchema), ...problems },
});

type Row = { id: string; code: string; name: string; timezone: string; createdAt: Date };

export function presentRegion(r: Row): z.infer<typeof RegionSchema> {
  // the column is written only through this API (a listed zone) or the seed; an unknown value reads as WIB, the default
  const timezone: RegionTimeZone = r.timezone in REGION_TIME_ZONES ? (r.timezone as RegionTimeZone) : 'Asia/Jakarta';
  const zone = REGION_TIME_ZONES[timezone];
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    timezone,
    timezoneAbbreviation: zone.abbreviation,
    utcOffsetMinutes: zone.offsetMinutes,
    createdAt: r.createdAt.toISOString(),
  };
}

export function regionRoutes(deps: ResolvedDeps) {
  const { prisma } = deps;
  return newRouter()
    .openapi(getRegion, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      return c.json(presentRegion(region), 200);
    })
    .openapi(patchRegion, async (c) => {
      const region = await authorizeRegion(prisma, c.get('user'), c.req.valid('param').regionCode);
      const input = c.req.valid('json');
      const after = await prisma.$transaction(async (tx) => {
        const before = await tx.region.findUniqueOrThrow({ where: { id: region.id } });
        const updated = await tx.region.update({ where: { id: region.id }, data: { name: input.name, timezone: input.timezone } });
        await audit(
          tx,
          c,
          region.id,
          'region.update',
          'Region',
          region.id,
          { name: before.name, timezone: before.timezone },
          { name: updated.name, timezone: updated.timezone },
        );
        return updated;
      });
      return c.json(presentRegion(after), 200);
    });
}
