import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ok } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { Alert, Badge, PageHead, ProblemAlert } from '../../../components/basic';
import { ConfirmDialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select';
import { Button, Checkbox, TextField } from '../../../components/ui';
import { useI18n, useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { CodeEditor, type DocProblem, type EditorHandle } from './code-editor';
import { rsApi, rsKeys, ruleSetsQuery, versionQuery, type RuleSetVersion, type ValidationError } from './queries';
import { inSchemaOrder, schemasAt } from './schema-help';
import { DiffSection, DryRunSection, SimulateSection } from './tools';
import './rulesets.css';

const route = getRouteApi('/app/admin/$regionCode/rule-sets/$ruleSetId/versions/$versionId');
/** the pause after the last keystroke before the draft is saved (and so validated by the API) */
const SAVE_DEBOUNCE_MS = 700;

type Json = Record<string, unknown>;
const show = (doc: unknown) => JSON.stringify(inSchemaOrder(doc), null, 2);

/** The text as JSON, or where and why it does not parse. */
function parse(text: string): { doc: Json } | { syntax: DocProblem } {
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) return { doc: doc as Json };
    return { syntax: { at: 0, message: 'JSON object expected' } };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    return { syntax: { at: at ? Number(at[1]) : 0, message } };
  }
}

/** Validation of the stored version: the API's 422 RULESET_INVALID carries the pointers. */
async function validateStored(regionCode: string, ruleSetId: string, versionId: string): Promise<ValidationError[]> {
  try {
    await ok(rsApi['rule-sets'][':ruleSetId'].versions[':versionId'].validate.$post({ param: { regionCode, ruleSetId, versionId } }));
    return [];
  } catch (err) {
    if (err instanceof ApiProblem && err.code === 'RULESET_INVALID')
      return err.errors.map((e) => ({ pointer: e.pointer, code: e.code ?? '', message: e.message, messageEn: e.message }));
    throw err;
  }
}

/** a label by the schema's own name (the dictionaries name the members they translate; any other shows as itself) */
const labelIn = (labels: Readonly<Record<string, string>>, name: string): string | undefined => labels[name];

/** params.calendar as a form over the same document: one field per member the schema names (choices as selects). */
function CalendarForm({
  doc,
  onChange,
  errors,
  readOnly,
}: {
  doc: Json | null;
  onChange: (doc: Json) => void;
  errors: readonly ValidationError[];
  readOnly: boolean;
}) {
  const t = useT();
  const fields = useMemo(() => Object.entries(schemasAt(['params', 'calendar']).find((s) => s.properties)?.properties ?? {}), []);
  const calendar = ((doc?.params as Json | undefined)?.calendar ?? {}) as Json;
  const set = (name: string, value: unknown) => {
    if (!doc) return;
    const params = (doc.params ?? {}) as Json;
    const next = { ...calendar, [name]: value };
    if (value === '' || value === undefined) delete next[name];
    onChange({ ...doc, params: { ...params, calendar: next } });
  };
  const errorOf = (name: string) => errors.find((e) => e.pointer === `/params/calendar/${name}`)?.message;
  /** the field's name in the admin's language; the document's own key is shown under it, for the JSON editor */
  const labelOf = (name: string) => labelIn(t.adminRules.calendarFields, name) ?? name;
  const disabled = readOnly || !doc;
  return (
    <section className="card" aria-labelledby="rs-calendar">
      <h2 id="rs-calendar">{t.adminRules.calendar}</h2>
      <p className="muted small">{t.adminRules.calendarIntro}</p>
      <div className="rs-calendar">
        {fields.map(([name, s]) => {
          const value = calendar[name] ?? s.default;
          if (s.type === 'boolean')
            return (
              <div key={name} className="field">
                {readOnly ? (
                  <span>
                    {labelOf(name)}: {String(value)}
                  </span>
                ) : (
                  <Checkbox isSelected={value === true} onChange={(v) => set(name, v)}>
                    {labelOf(name)}
                  </Checkbox>
                )}
                {errorOf(name) ? <p className="error">{errorOf(name)}</p> : null}
              </div>
            );
          if (s.enum && !disabled)
            return (
              <SelectField
                key={name}
                label={labelOf(name)}
                description={name}
                value={typeof value === 'string' ? value : null}
                onChange={(v) => set(name, v)}
                options={s.enum.map((v) => ({
                  id: String(v),
                  label: labelIn(t.adminRules.calendarChoices, String(v)) ?? String(v),
                }))}
              />
            );
          return (
            <TextField
              key={name}
              label={labelOf(name)}
              value={typeof value === 'string' ? value : ''}
              onChange={(v) => set(name, v.trim())}
              description={s.enum ? name : `${name} · ${t.adminRules.deadlineHelp}`}
              isDisabled={disabled}
              error={errorOf(name)}
            />
          );
        })}
      </div>
    </section>
  );
}

/** The document's errors, each at its pointer: pressing the pointer shows its place in the editor. */
function ErrorList({ errors, syntax, onReveal }: { errors: readonly ValidationError[]; syntax: DocProblem | null; onReveal: (pointer: string) => void }) {
  const { t, lang } = useI18n();
  if (syntax) return <Alert tone="bad" title={t.adminRules.syntax(syntax.message)} />;
  if (errors.length === 0) return null;
  return (
    <div className="alert rs-errors" data-tone="bad" role="alert">
      <strong>{t.adminRules.errors(errors.length)}</strong>
      <ul>
        {errors.map((e, i) => (
          <li key={i}>
            <Button variant="ghost" className="rs-pointer" aria-label={t.adminRules.showAt(e.pointer || '/')} onPress={() => onReveal(e.pointer)}>
              {e.pointer || '/'}
            </Button>{' '}
            {lang === 'en' ? e.messageEn : e.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A published version: its hash; a draft: the publish button, disabled with the reason while it cannot be published. */
function Publish({ version, reason, onPublished }: { version: RuleSetVersion; reason: string | null; onPublished: (v: RuleSetVersion) => void }) {
  const t = useT();
  const regionCode = useRegionCode();
  const publish = useMutation({
    mutationFn: () =>
      ok(rsApi['rule-sets'][':ruleSetId'].versions[':versionId'].publish.$post({ param: { regionCode, ruleSetId: version.ruleSetId, versionId: version.id } })),
    onSuccess: onPublished,
  });
  if (version.status === 'PUBLISHED')
    return (
      <Alert tone="ok" title={t.adminRules.status.PUBLISHED}>
        <p className="rs-hash-full">{t.adminRules.publishedHash(version.contentHash ?? '')}</p>
      </Alert>
    );
  return (
    <div className="stack">
      <ProblemAlert error={publish.error} />
      <div className="row">
        <ConfirmDialog
          triggerLabel={t.adminRules.publish}
          title={t.adminRules.publishTitle}
          confirmLabel={t.adminRules.publish}
          onConfirm={() => publish.mutate()}
          isDisabled={reason !== null || publish.isPending}
        >
          <p>{t.adminRules.publishBody}</p>
        </ConfirmDialog>
        {reason ? (
          <p className="muted" id="rs-publish-reason">
            {reason}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** One version: the document in the editor with the calendar form, live validation, save, publish; then the tools. */
export function VersionPage() {
  const t = useT();
  const regionCode = useRegionCode();
  const { ruleSetId, versionId } = route.useParams();
  const qc = useQueryClient();
  const { data: version } = useSuspenseQuery(versionQuery(regionCode, ruleSetId, versionId));
  const { data: list } = useSuspenseQuery(ruleSetsQuery(regionCode));
  const ruleSet = list.items.find((r) => r.id === ruleSetId);
  const readOnly = version.status === 'PUBLISHED';

  const [text, setText] = useState(() => show(version.document));
  const [savedText, setSavedText] = useState(text);
  const [errors, setErrors] = useState<ValidationError[] | null>(null);
  const editor = useRef<EditorHandle>(null);
  const parsed = useMemo(() => parse(text), [text]);
  const doc = 'doc' in parsed ? parsed.doc : null;
  const syntax = 'syntax' in parsed ? parsed.syntax : null;

  // what the stored document is worth, before the first edit
  const initial = useMutation({ mutationFn: () => validateStored(regionCode, ruleSetId, versionId), onSuccess: setErrors });
  useEffect(() => {
    initial.mutate();
    // once per version
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [versionId]);

  const save = useMutation({
    mutationFn: (body: { document: Json; text: string }) =>
      ok(
        rsApi['rule-sets'][':ruleSetId'].versions[':versionId'].$put({
          param: { regionCode, ruleSetId, versionId },
          json: { document: body.document },
        }),
      ),
    onSuccess: (out, body) => {
      setSavedText(body.text);
      setErrors(out.validation.errors);
      qc.setQueryData(rsKeys.version(regionCode, versionId), out.version);
      // a diff against this draft was computed from the document before this save
      void qc.invalidateQueries({ queryKey: [...rsKeys.all(regionCode), 'diff'] });
    },
  });
  // live validation: the draft is saved shortly after the last keystroke, and the API answers with its errors
  useEffect(() => {
    if (readOnly || !doc || text === savedText) return;
    const id = setTimeout(() => save.mutate({ document: doc, text }), SAVE_DEBOUNCE_MS);
    return () => clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a change of the text starts the wait
  }, [text, savedText, readOnly]);

  const unsaved = text !== savedText || save.isPending;
  const shownErrors = errors ?? [];
  const problems: DocProblem[] = syntax ? [syntax] : shownErrors.map((e) => ({ pointer: e.pointer, message: e.message }));
  const reason = syntax
    ? t.adminRules.cannotPublish.syntax
    : unsaved
      ? t.adminRules.cannotPublish.unsaved
      : errors === null
        ? t.adminRules.cannotPublish.checking
        : errors.length > 0
          ? t.adminRules.cannotPublish.invalid
          : null;

  return (
    <>
      <PageHead title={`${ruleSet?.name ?? version.ruleSetId} · ${t.adminRules.version(version.version)}`}>
        <p>
          <Link to="/admin/$regionCode/rule-sets" params={{ regionCode }}>
            {t.adminRules.back}
          </Link>{' '}
          <Badge tone={readOnly ? 'ok' : 'info'}>{t.adminRules.status[version.status]}</Badge>
        </p>
      </PageHead>
      <div className="rs-layout">
        <section className="card stack rs-doc" aria-labelledby="rs-doc">
          <h2 id="rs-doc">{t.adminRules.editor}</h2>
          {readOnly ? <p className="muted">{t.adminRules.readOnly}</p> : null}
          <CodeEditor ref={editor} value={text} onChange={setText} problems={problems} label={t.adminRules.editorLabel} readOnly={readOnly} />
          <ErrorList errors={shownErrors} syntax={syntax} onReveal={(p) => editor.current?.reveal(p)} />
          <ProblemAlert error={save.error ?? initial.error} />
          {!readOnly ? (
            <div className="row" aria-live="polite">
              <Button onPress={() => doc && save.mutate({ document: doc, text })} isDisabled={!doc || !unsaved || save.isPending}>
                {t.adminRules.save}
              </Button>
              <span className="muted small" role="status">
                {save.isPending ? t.adminRules.saving : unsaved ? t.adminRules.unsaved : errors?.length === 0 ? t.adminRules.valid : t.adminRules.saved}
              </span>
            </div>
          ) : null}
          <Publish
            version={version}
            reason={reason}
            onPublished={(v) => {
              qc.setQueryData(rsKeys.version(regionCode, versionId), v);
              void qc.invalidateQueries({ queryKey: rsKeys.all(regionCode) });
            }}
          />
        </section>
        <CalendarForm doc={doc} onChange={(d) => setText(show(d))} errors={shownErrors} readOnly={readOnly} />
      </div>
      {/* the API simulates the stored, valid document: what blocks publishing blocks simulating (except being published) */}
      <SimulateSection version={version} blocked={reason} />
      <DryRunSection version={version} blocked={reason} />
      {ruleSet ? <DiffSection ruleSet={ruleSet} version={version} /> : null}
    </>
  );
}
