import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { toString as qrSvg } from 'qrcode';
import { useEffect, useState } from 'react';
import { Loading, ProblemAlert } from '../../../components/basic';
import { Button } from '../../../components/ui';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { posterRoute, type PosterSearch } from './index';
import { surveyFormQuery } from './queries';
import './facts.css';

/** The public form's address with the unit or service preselected (the form reads the same query parameters). */
export function surveyUrl(origin: string, regionCode: string, target: PosterSearch): string {
  const url = new URL(`/survey/${encodeURIComponent(regionCode)}`, origin);
  if (target.unitCode) url.searchParams.set('unitCode', target.unitCode);
  if (target.service) url.searchParams.set('service', target.service);
  return url.toString();
}

/** A print-friendly page: the region, the unit or service, a large QR code of the public form and how to use it. */
export function PosterPage() {
  const t = useT().adminFacts.poster;
  const regionCode = useRegionCode();
  const target = posterRoute.useSearch();
  const form = useQuery(surveyFormQuery(regionCode));
  const url = surveyUrl(window.location.origin, regionCode, target);
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void qrSvg(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }).then((s) => live && setSvg(s));
    return () => {
      live = false;
    };
  }, [url]);
  useEffect(() => {
    document.title = t.title;
  }, [t.title]);
  const unitName = target.unitCode ? (form.data?.units.find((u) => u.code === target.unitCode)?.name ?? target.unitCode) : null;
  return (
    <section aria-labelledby="poster-h">
      <div className="facts-actions no-print">
        <Link to="/admin/$regionCode/facts/surveys" params={{ regionCode }} className="btn" data-variant="secondary">
          {t.back}
        </Link>
        <Button onPress={() => window.print()}>{t.print}</Button>
      </div>
      {form.error ? <ProblemAlert error={form.error} onRetry={() => void form.refetch()} /> : null}
      {form.isPending ? <Loading /> : null}
      <article className="poster" aria-label={t.title}>
        <p className="poster-region">{form.data?.region.name ?? regionCode}</p>
        <h1 id="poster-h">{t.heading}</h1>
        <p className="poster-target">
          {unitName ? `${t.unit}: ${unitName}` : null}
          {unitName && target.service ? ' · ' : null}
          {target.service ? `${t.service}: ${target.service}` : null}
          {!unitName && !target.service ? t.all : null}
        </p>
        <p>{t.lead}</p>
        {/* the steps come first: the second one points at the code below them */}
        <ol>
          <li>{t.step1}</li>
          <li>{t.step2}</li>
          <li>{t.step3}</li>
        </ol>
        {svg ? <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={t.qrAlt(url)} data-testid="poster-qr" /> : <Loading />}
        <p>{t.orOpen}</p>
        <p className="poster-url" data-testid="poster-url">
          {url}
        </p>
      </article>
    </section>
  );
}
