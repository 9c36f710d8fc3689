import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Loading, PageHead, ProblemAlert } from '../../components/basic';
import { LanguageSwitch } from '../../components/language-switch';
import { Button, RadioGroup, TextField, useFieldError } from '../../components/ui';
import { ok, plain } from '../../api/client';
import { useI18n } from '../../i18n';
import { surveyFormQuery, type SurveyForm } from '../admin/facts/queries';
import { surveyRoute } from './index';
import './survey.css';

type SurveyPost = (typeof plain.public.regions)[':regionCode']['surveys']['$post'];
type SurveyBody = Parameters<SurveyPost>[0]['json'];

export function SurveyPage() {
  const { t } = useI18n();
  const { regionCode } = surveyRoute.useParams();
  const form = useQuery(surveyFormQuery(regionCode));
  return (
    <main className="main survey" id="main">
      <div className="survey-lang">
        <LanguageSwitch />
      </div>
      {form.data ? <p className="survey-region">{form.data.region.name}</p> : null}
      <PageHead title={t.publicSurvey.title} intro={t.publicSurvey.intro} />
      {form.error ? <ProblemAlert error={form.error} onRetry={() => void form.refetch()} /> : null}
      {form.isPending ? <Loading /> : null}
      {form.data ? <SurveyFormBody regionCode={regionCode} form={form.data} /> : null}
    </main>
  );
}

function SurveyFormBody({ regionCode, form }: { regionCode: string; form: SurveyForm }) {
  const { t: all, lang } = useI18n();
  const t = all.publicSurvey;
  const preset = surveyRoute.useSearch();
  const [unitCode, setUnitCode] = useState(preset.unitCode && form.units.some((u) => u.code === preset.unitCode) ? preset.unitCode : '');
  const [service, setService] = useState(preset.service ?? '');
  const [score, setScore] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [website, setWebsite] = useState('');
  const [missingScore, setMissingScore] = useState(false);
  const send = useMutation({
    mutationFn: (json: SurveyBody) => ok(plain.public.regions[':regionCode'].surveys.$post({ param: { regionCode }, json })),
  });
  const unitError = useFieldError(send.error, '/unitCode');
  useEffect(() => {
    if (send.isSuccess) window.scrollTo({ top: 0 });
  }, [send.isSuccess]);
  if (send.isSuccess) {
    return (
      <section aria-labelledby="thanks-h" className="card survey-thanks">
        <h2 id="thanks-h">{t.thanksTitle}</h2>
        <p role="status">{t.thanks}</p>
        <Button
          variant="secondary"
          onPress={() => {
            send.reset();
            setScore(null);
            setComment('');
          }}
        >
          {t.again}
        </Button>
      </section>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (score === null) {
      setMissingScore(true);
      return;
    }
    setMissingScore(false);
    send.mutate({
      score: Number(score),
      ...(unitCode ? { unitCode } : {}),
      ...(service.trim() ? { service: service.trim() } : {}),
      ...(comment.trim() ? { comment } : {}),
      ...(website ? { website } : {}),
    });
  };
  const options = form.score.labels.map((l, i) => ({ id: String(form.score.min + i), label: `${form.score.min + i} · ${l[lang]}` }));
  const placed = ['/unitCode', '/service', '/score', '/comment'];
  return (
    <form onSubmit={submit} className="survey-form" noValidate>
      <div className="field">
        <label htmlFor="survey-unit">{t.unit}</label>
        <select
          id="survey-unit"
          className="survey-select"
          value={unitCode}
          onChange={(e) => setUnitCode(e.target.value)}
          aria-invalid={unitError ? true : undefined}
          aria-describedby={unitError ? 'survey-unit-help survey-unit-error' : 'survey-unit-help'}
        >
          <option value="">{t.chooseUnit}</option>
          {form.units.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name}
            </option>
          ))}
        </select>
        <span id="survey-unit-help" className="help">
          {t.unitHelp}
        </span>
        {unitError ? (
          <span id="survey-unit-error" className="error">
            {unitError}
          </span>
        ) : null}
      </div>
      <TextField label={t.service} description={t.serviceHelp} value={service} onChange={setService} problem={send.error} pointer="/service" name="service" />
      <div className="survey-score">
        <RadioGroup
          label={form.score.question[lang]}
          value={score}
          onChange={(v) => {
            setScore(v);
            setMissingScore(false);
          }}
          options={options}
          problem={send.error}
          pointer="/score"
        />
        {missingScore ? (
          <p className="error" role="alert">
            {t.chooseScore}
          </p>
        ) : null}
      </div>
      <TextField label={t.comment} value={comment} onChange={setComment} multiline problem={send.error} pointer="/comment" name="comment" />
      {/* the honeypot: people never see it, form-filling bots fill it in */}
      <div className="survey-hp" aria-hidden="true">
        <label>
          {t.website}
          <input tabIndex={-1} autoComplete="off" value={website} onChange={(e) => setWebsite(e.target.value)} name="website" />
        </label>
      </div>
      {send.error ? <ProblemAlert error={send.error} placed={placed} /> : null}
      {missingScore ? <Alert tone="warn">{t.chooseScore}</Alert> : null}
      <Button type="submit" block isDisabled={send.isPending}>
        {send.isPending ? t.sending : t.send}
      </Button>
    </form>
  );
}
