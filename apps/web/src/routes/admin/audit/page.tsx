import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Alert, Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { Button, TextField } from '../../../components/ui';
import { api, ok, type OkBody } from '../../../api/client';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/time';
import { useRegionCode } from '../base';
import { auditRoute, type AuditSearch } from './index';
import '../facts/facts.css';
import './audit.css';

const auditApi = api.admin.regions[':regionCode'].audit;
type AuditPage = OkBody<Awaited<ReturnType<typeof auditApi.$get>>>;
type AuditItem = AuditPage['items'][number];
type Json = AuditItem['after'];

/** A local date-time as typed (YYYY-MM-DDTHH:MM) as the API's ISO instant; anything else goes as typed, for the API to name. */
const instant = (v: string | undefined) => {
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
};

const auditQuery = (regionCode: string, s: AuditSearch) => ({
  queryKey: ['admin', regionCode, 'audit', s],
  queryFn: ({ pageParam }: { pageParam: number | null }) =>
    ok(
      auditApi.$get({
        param: { regionCode },
        query: {
          ...(s.nip ? { nip: s.nip } : {}),
          ...(s.actor ? { actor: s.actor } : {}),
          ...(s.kind ? { kind: s.kind } : {}),
          ...(s.from ? { from: instant(s.from) } : {}),
          ...(s.to ? { to: instant(s.to) } : {}),
          ...(pageParam ? { before: String(pageParam) } : {}),
          limit: '50',
        },
      }),
    ),
  initialPageParam: null as number | null,
  getNextPageParam: (last: AuditPage) => last.nextBefore,
});

export function AuditPage() {
  const { t: all, locale } = useI18n();
  const t = all.adminAudit;
  const regionCode = useRegionCode();
  const search = auditRoute.useSearch();
  const navigate = useNavigate({ from: auditRoute.fullPath });
  const q = useInfiniteQuery(auditQuery(regionCode, search));
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-label={t.title}>
      <PageHead title={t.title} intro={t.intro} />
      <ChainCheck />
      <SearchForm key={JSON.stringify(search)} value={search} onSearch={(s) => void navigate({ search: s })} problem={q.error} />
      {q.error ? <ProblemAlert error={q.error} placed={['/nip', '/actor', '/kind', '/from', '/to']} onRetry={() => void q.refetch()} /> : null}
      {q.isPending ? <Loading /> : null}
      {q.data && items.length === 0 ? <p>{t.none}</p> : null}
      {items.length ? (
        <ol className="audit-list" aria-label={t.title}>
          {items.map((e) => (
            <li key={e.seq} className="card audit-item">
              <div className="audit-head">
                <span className="audit-action">{e.action}</span>
                <span className="muted">
                  #{e.seq} · <time dateTime={e.at}>{formatDateTime(e.at, locale)}</time>
                </span>
              </div>
              <dl className="audit-meta">
                <div>
                  <dt>{t.by}</dt>
                  <dd>{actorName(e, t.system)}</dd>
                </div>
                <div>
                  <dt>{t.actingFor}</dt>
                  <dd>{e.actingFor ? `${e.actingFor.name} (${e.actingFor.nip})` : '–'}</dd>
                </div>
                <div>
                  <dt>{t.entity}</dt>
                  <dd>
                    {e.entity.type} <code>{e.entity.id}</code>
                  </dd>
                </div>
              </dl>
              <Diff seq={e.seq} before={e.before} after={e.after} />
            </li>
          ))}
        </ol>
      ) : null}
      {q.hasNextPage ? (
        <Button variant="secondary" isDisabled={q.isFetchingNextPage} onPress={() => void q.fetchNextPage()}>
          {q.isFetchingNextPage ? t.loading : t.more}
        </Button>
      ) : null}
    </section>
  );
}

/** The actor as a person reads it, with the username the search's actor field takes. */
function actorName(e: AuditItem, system: string): string {
  if (!e.actor) return system;
  const who = e.actor.employee ? `${e.actor.employee.name} (${e.actor.employee.nip})` : (e.actor.displayName ?? e.actor.username ?? e.actor.userId ?? system);
  return e.actor.username && e.actor.username !== who ? `${who} · ${e.actor.username}` : who;
}

function SearchForm({ value, onSearch, problem }: { value: AuditSearch; onSearch: (s: AuditSearch) => void; problem: unknown }) {
  const t = useI18n().t.adminAudit;
  const [f, setF] = useState<AuditSearch>(value);
  const set = (k: keyof AuditSearch) => (v: string) => setF((old) => ({ ...old, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(Object.fromEntries(Object.entries(f).flatMap(([k, v]) => (typeof v === 'string' && v.trim() ? [[k, v.trim()]] : []))));
  };
  return (
    <form className="card audit-search" onSubmit={submit} role="search" aria-label={t.search}>
      <TextField label={t.nip} value={f.nip ?? ''} onChange={set('nip')} inputMode="numeric" problem={problem} pointer="/nip" name="nip" />
      <TextField label={t.actor} value={f.actor ?? ''} onChange={set('actor')} description={t.actorHelp} problem={problem} pointer="/actor" name="actor" />
      <TextField label={t.kind} value={f.kind ?? ''} onChange={set('kind')} description={t.kindHelp} problem={problem} pointer="/kind" name="kind" />
      <TextField label={t.from} value={f.from ?? ''} onChange={set('from')} description={t.timeHelp} problem={problem} pointer="/from" name="from" />
      <TextField label={t.to} value={f.to ?? ''} onChange={set('to')} problem={problem} pointer="/to" name="to" />
      <div className="facts-actions">
        <Button type="submit">{t.search}</Button>
        <Button variant="secondary" onPress={() => onSearch({})}>
          {t.clear}
        </Button>
      </div>
    </form>
  );
}

const show = (v: Json | undefined) => (v === undefined ? '' : JSON.stringify(v, null, 2));
const isObject = (v: Json | null): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Before/after as a table of the fields that differ (objects), or the two values side by side. */
function Diff({ seq, before, after }: { seq: number; before: Json | null; after: Json | null }) {
  const t = useI18n().t.adminAudit;
  if (before === null && after === null) return <p className="muted small">{t.noChange}</p>;
  const rows: { key: string; before: Json | undefined; after: Json | undefined }[] =
    isObject(before) || isObject(after)
      ? [...new Set([...Object.keys(isObject(before) ? before : {}), ...Object.keys(isObject(after) ? after : {})])]
          .map((key) => ({ key, before: isObject(before) ? before[key] : undefined, after: isObject(after) ? after[key] : undefined }))
          .filter((r) => show(r.before) !== show(r.after))
      : [{ key: '', before: before ?? undefined, after: after ?? undefined }];
  return (
    <details className="audit-diff">
      {/* the visible words start the name (a voice command says what it sees); the event's number tells the many apart */}
      <summary>
        {t.diff}
        <span className="sr-only"> {t.ofEvent(seq)}</span>
      </summary>
      <div className="facts-table-wrap">
        <table className="facts-table">
          <thead>
            <tr>
              <th scope="col">{t.field}</th>
              <th scope="col">{t.before}</th>
              <th scope="col">{t.after}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.key || '–'}</th>
                <td data-side="before">
                  <pre>{show(r.before)}</pre>
                </td>
                <td data-side="after">
                  <pre>{show(r.after)}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ChainCheck() {
  const t = useI18n().t.adminAudit;
  const regionCode = useRegionCode();
  const verify = useMutation({ mutationFn: () => ok(auditApi.verify.$get({ param: { regionCode } })) });
  const r = verify.data;
  return (
    <div className="audit-verify">
      <Button variant="secondary" isDisabled={verify.isPending} onPress={() => verify.mutate()}>
        {verify.isPending ? t.verifying : t.verify}
      </Button>
      {r ? r.ok ? <Alert tone="ok">{t.verifyOk(r.checked)}</Alert> : <Alert tone="bad">{t.verifyBroken(r.brokenAt ?? 0, r.reason ?? '')}</Alert> : null}
      {verify.error ? <ProblemAlert error={verify.error} /> : null}
    </div>
  );
}
