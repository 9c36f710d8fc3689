import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { ApiProblem, type FieldProblem } from '../../../api/problem';
import { Alert, PageHead, ProblemAlert } from '../../../components/basic';
import { Button } from '../../../components/ui';
import { useI18n, useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { importEmployees, type ImportProgress } from './import-stream';
import { orgKeys } from './queries';

/** The import's columns in the order the template gives them (the API's CSV header; see its import route). */
const COLUMNS = ['nip', 'name', 'position', 'positionKind', 'unitCode', 'superiorNip', 'pangkat', 'golongan', 'email', 'phone', 'password'] as const;
const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The column a field problem names: the pointer's last step (/3/nip → nip, /header/x → x); none for a whole row. */
function columnOf(e: FieldProblem): string | null {
  const steps = e.pointer.split('/').filter(Boolean);
  const last = steps[steps.length - 1];
  return last && !/^\d+$/.test(last) ? last : null;
}

interface ReportRow {
  /** the row as the spreadsheet numbers it (the header is row 1) */
  row: number;
  /** a problem of the column headers rather than of a data row */
  header: boolean;
  column: string | null;
  message: string;
}

/** The refused import's errors, by row (the header first), each with its column. */
function reportOf(problem: unknown): ReportRow[] {
  if (!(problem instanceof ApiProblem) || problem.status !== 422) return [];
  return problem.errors
    .map((e) => ({ row: typeof e.row === 'number' ? e.row : 1, header: e.pointer.startsWith('/header'), column: columnOf(e), message: e.message }))
    .sort((a, b) => a.row - b.row);
}

function TemplateLink() {
  const t = useT();
  // a BOM so that Excel reads the header as UTF-8
  const url = useMemo(() => URL.createObjectURL(new Blob([`\uFEFF${COLUMNS.join(',')}\r\n`], { type: 'text/csv' })), []);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return (
    <a href={url} download="template-impor-pegawai.csv" className="btn" data-variant="secondary">
      {t.adminOrg.import.template}
    </a>
  );
}

function Progress({ p }: { p: ImportProgress | null }) {
  const t = useT();
  const id = useId();
  return (
    <div className="org-progress">
      <label htmlFor={id}>
        {t.adminOrg.import.progress}: {p ? `${t.adminOrg.import.phase[p.phase]}, ${t.adminOrg.import.rows(p.done, p.total)}` : t.adminOrg.import.applying}
      </label>
      <progress id={id} max={p?.total ?? 1} value={p ? p.done : undefined} />
    </div>
  );
}

/** Import employees from CSV or XLSX: the file's bytes go to the API, which validates every row and applies all or nothing. */
export function ImportPage() {
  const t = useT();
  const { locale } = useI18n();
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [missing, setMissing] = useState(false);
  /** an import was refused or failed: the next one is a re-import of the fixed file */
  const [refused, setRefused] = useState(false);
  const run = useMutation({
    mutationFn: (f: File) => {
      setProgress(null);
      return importEmployees(regionCode, f, setProgress);
    },
    onSettled: () => {
      // the same file, fixed and saved, can be chosen again
      if (input.current) input.current.value = '';
    },
    onError: () => setRefused(true),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.all(regionCode) }),
  });
  const report = reportOf(run.error);
  return (
    <>
      <PageHead title={t.adminOrg.import.title} intro={t.adminOrg.import.intro} />
      <section className="card stack" aria-labelledby="import-h">
        <h2 id="import-h" className="sr-only">
          {t.adminOrg.import.title}
        </h2>
        <Alert tone="info">{t.adminOrg.import.allOrNothing}</Alert>
        <p className="small">{t.adminOrg.import.columns(COLUMNS.join(', '))}</p>
        <div>
          <TemplateLink />
        </div>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            setMissing(!file);
            if (file) run.mutate(file);
          }}
        >
          <div className="field">
            <label htmlFor={inputId}>{t.adminOrg.import.file}</label>
            <input
              id={inputId}
              ref={input}
              type="file"
              accept={ACCEPT}
              aria-invalid={missing || undefined}
              aria-describedby={missing ? `${inputId}-err` : undefined}
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (!f) return;
                setFile(f);
                setMissing(false);
                run.reset();
              }}
            />
            {file ? (
              <p className="help">{t.adminOrg.import.chosen(file.name, `${new Intl.NumberFormat(locale).format(Math.ceil(file.size / 1024))} KB`)}</p>
            ) : null}
            {missing ? (
              <p className="error" id={`${inputId}-err`}>
                {t.adminOrg.import.noFile}
              </p>
            ) : null}
          </div>
          <div>
            <Button type="submit" isDisabled={run.isPending}>
              {refused ? t.adminOrg.import.again : t.adminOrg.import.submit}
            </Button>
          </div>
        </form>
        {run.isPending ? <Progress p={progress} /> : null}
        {run.isSuccess ? (
          <>
            <Progress p={progress} />
            <Alert tone="ok" title={t.adminOrg.import.done(run.data.total, run.data.created, run.data.updated)}>
              <Link to="/admin/$regionCode/org" params={{ regionCode }}>
                {t.adminOrg.employeesTab}
              </Link>
            </Alert>
          </>
        ) : null}
        {run.isError && report.length === 0 ? <ProblemAlert error={run.error} /> : null}
      </section>
      {report.length ? (
        <section className="card" aria-labelledby="report-h">
          <h2 id="report-h">{t.adminOrg.import.report}</h2>
          <Alert tone="bad" title={t.adminOrg.import.rejected}>
            <p className="small">{t.adminOrg.import.fixHint}</p>
          </Alert>
          <table className="plain org-table org-report">
            <thead>
              <tr>
                <th scope="col">{t.adminOrg.import.row}</th>
                <th scope="col">{t.adminOrg.import.column}</th>
                <th scope="col">{t.adminOrg.import.message}</th>
              </tr>
            </thead>
            <tbody>
              {report.map((r, i) => (
                <tr key={i}>
                  <th scope="row" data-label={t.adminOrg.import.row}>
                    {r.header ? t.adminOrg.import.header : r.row}
                  </th>
                  <td data-label={t.adminOrg.import.column}>
                    <code>{r.column ?? t.adminOrg.import.wholeRow}</code>
                  </td>
                  <td data-label={t.adminOrg.import.message}>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </>
  );
}
