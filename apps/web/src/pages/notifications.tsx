import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { api, ok } from '../api/client';
import { Badge, Loading, PageHead, ProblemAlert } from '../components/basic';
import { Button } from '../components/ui';
import { useI18n } from '../i18n';
import { formatDateTime } from '../lib/time';

const STATUS_TONE = { PENDING: 'neutral', SENT: 'ok', FAILED: 'bad' } as const;

/** What was sent to me (e-mail, WhatsApp, SMS), newest first; older pages on request. */
export function NotificationsPage() {
  const { t, locale } = useI18n();
  const q = useInfiniteQuery({
    queryKey: ['me', 'notifications'],
    queryFn: ({ pageParam }) => ok(api.me.notifications.$get({ query: { limit: '30', ...(pageParam ? { cursor: pageParam } : {}) } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  const label = { PENDING: t.notifications.pending, SENT: t.notifications.sent, FAILED: t.notifications.failed };
  return (
    <>
      <PageHead title={t.notifications.title} />
      {q.isPending ? <Loading /> : null}
      <ProblemAlert error={q.error} onRetry={() => void q.refetch()} />
      {q.isSuccess && items.length === 0 ? (
        <div className="card center">
          <p>{t.notifications.empty}</p>
        </div>
      ) : null}
      <ul className="list">
        {items.map((n) => (
          <li key={n.id} className="card">
            <div className="spread">
              <h2 style={{ fontSize: '1.05rem' }}>{n.title}</h2>
              <Badge tone={STATUS_TONE[n.status]}>{label[n.status]}</Badge>
            </div>
            <p className="muted small">
              {t.account.channel[n.channel]} · {formatDateTime(n.sentAt ?? n.createdAt, locale)}
            </p>
            {n.evaluationId ? (
              <Link to="/year/$evaluationId" params={{ evaluationId: n.evaluationId }}>
                {t.inbox.open}
              </Link>
            ) : null}
          </li>
        ))}
      </ul>
      {q.hasNextPage ? (
        <Button variant="secondary" block onPress={() => void q.fetchNextPage()} isDisabled={q.isFetchingNextPage}>
          {t.notifications.more}
        </Button>
      ) : null}
    </>
  );
}
