import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { Alert, Loading, PageHead, ProblemAlert } from '../../../components/basic';
import { Button } from '../../../components/ui';
import { ApiProblem } from '../../../api/problem';
import { useI18n, useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { factsRoute, type PeriodSearch } from './index';
import { FactsTabs, PeriodForm } from './parts';
import { attendanceSummaryQuery, importAttendance, type AttendanceReport } from './queries';

export function FactsPage() {
  const t = useT().adminFacts;
  return (
    <section aria-label={t.title}>
      <PageHead title={t.title} intro={t.intro} />
      <FactsTabs />
      <AttendanceImport />
      <AttendanceSummaryTable />
    </section>
  );
}

/** The file's lines as the spreadsheet numbers them (header = 1); XLSX files show no content, only the row number. */
async function csvLines(file: File): Promise<string[] | null> {
  if (/\.xlsx$/i.test(file.name)) return null;
  return (await file.text()).replace(/^\uFEFF/, '').split(/\r?\n/);
}

function AttendanceImport() {
  const { t: all, locale } = useI18n();
  const t = all.adminFacts.attendance;
  const regionCode = useRegionCode();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [lines, setLines] = useState<string[] | null>(null);
  const [report, setReport] = useState<AttendanceReport | null>(null);
  const run = useMutation({
    mutationFn: ({ f, dryRun }: { f: File; dryRun: boolean }) => importAttendance(regionCode, f, dryRun),
    onSuccess: (r) => {
      setReport(r);
      if (!r.dryRun) void queryClient.invalidateQueries({ queryKey: ['admin', regionCode, 'attendance'] });
    },
    onError: () => setReport(null),
  });
  const choose = (f: File | null) => {
    setFile(f);
    setReport(null);
    run.reset();
    setLines(null);
    if (f) void csvLines(f).then(setLines);
  };
  const rowErrors = run.error instanceof ApiProblem ? run.error.errors.filter((e) => e.row !== undefined) : [];
  // a refused file says how many of its rows were fine (the problem's total and valid), so nothing reads as half done
  const ext = run.error instanceof ApiProblem ? run.error.extensions : {};
  const refused = typeof ext.total === 'number' && typeof ext.valid === 'number' ? { total: ext.total, valid: ext.valid } : null;
  return (
    <section aria-labelledby="att-import-h" className="card">
      <h2 id="att-import-h">{t.importTitle}</h2>
      <p className="help">{t.importHelp}</p>
      {/* the browser's own file button speaks the browser's language, not the app's: a labelled button of ours instead */}
      <div className="facts-file">
        <span id="att-file-label">{t.file}</span>
        <label className="btn facts-file-pick" data-variant="secondary">
          <input
            type="file"
            className="sr-only"
            aria-labelledby="att-file-label"
            aria-describedby="att-file-chosen"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => choose(e.target.files?.[0] ?? null)}
          />
          {t.choose}
        </label>
        <span id="att-file-chosen" className="help">
          {file ? t.chosen(file.name, `${new Intl.NumberFormat(locale).format(Math.ceil(file.size / 1024))} KB`) : t.noFile}
        </span>
      </div>
      <div className="facts-actions">
        <Button variant="secondary" isDisabled={!file || run.isPending} onPress={() => file && run.mutate({ f: file, dryRun: true })}>
          {run.isPending && run.variables.dryRun ? t.checking : t.check}
        </Button>
        <Button isDisabled={!file || run.isPending} onPress={() => file && run.mutate({ f: file, dryRun: false })}>
          {run.isPending && !run.variables.dryRun ? t.applying : t.apply}
        </Button>
      </div>
      {run.isPending ? <progress aria-label={t.applying} /> : null}
      {report ? <Alert tone="ok">{report.dryRun ? t.checked(report.valid, report.total) : t.applied(report.created, report.updated)}</Alert> : null}
      {run.error ? <ProblemAlert error={run.error} placed={rowErrors.map((e) => e.pointer)} /> : null}
      {refused ? <p className="facts-refused">{t.refused(refused.valid, refused.total)}</p> : null}
      {rowErrors.length ? (
        <div className="facts-table-wrap">
          <table className="facts-table" aria-label={t.report}>
            <thead>
              <tr>
                <th scope="col">{t.row}</th>
                {lines ? <th scope="col">{t.content}</th> : null}
                <th scope="col">{t.column}</th>
                <th scope="col">{t.problem}</th>
              </tr>
            </thead>
            <tbody>
              {rowErrors.map((e, i) => (
                <tr key={i} data-bad="true">
                  <th scope="row">{e.row}</th>
                  {lines ? (
                    <td>
                      <code>{lines[(e.row ?? 1) - 1] ?? ''}</code>
                    </td>
                  ) : null}
                  <td>{e.field}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function AttendanceSummaryTable() {
  const t = useT().adminFacts.attendance;
  const regionCode = useRegionCode();
  const search = factsRoute.useSearch();
  const navigate = useNavigate({ from: factsRoute.fullPath });
  const [page, setPage] = useState(1);
  const q = useQuery(attendanceSummaryQuery(regionCode, search, page));
  const apply = (p: PeriodSearch) => {
    setPage(1);
    void navigate({ search: p });
  };
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / q.data.limit)) : 1;
  return (
    <section aria-labelledby="att-sum-h" className="card">
      <h2 id="att-sum-h">{t.summaryTitle}</h2>
      <PeriodForm value={search} onApply={apply} problem={q.error} />
      {q.error ? <ProblemAlert error={q.error} placed={['/from', '/to']} onRetry={() => void q.refetch()} /> : null}
      {q.isPending ? <Loading /> : null}
      {q.data && q.data.items.length === 0 ? <p>{t.none}</p> : null}
      {q.data && q.data.items.length > 0 ? (
        <>
          <div className="facts-table-wrap">
            <table className="facts-table">
              <caption className="sr-only">{t.summaryTitle}</caption>
              <thead>
                <tr>
                  <th scope="col">{t.nip}</th>
                  <th scope="col">{t.name}</th>
                  <th scope="col">{t.unit}</th>
                  <th scope="col">{t.days}</th>
                  <th scope="col">{t.present}</th>
                  <th scope="col">{t.late}</th>
                  <th scope="col">{t.rate}</th>
                </tr>
              </thead>
              <tbody>
                {q.data.items.map((r) => (
                  <tr key={r.employeeId}>
                    <td>{r.nip}</td>
                    <td>{r.name}</td>
                    <td>{r.unitCode}</td>
                    <td>{r.days}</td>
                    <td>{r.present}</td>
                    <td>{r.lateMinutes}</td>
                    <td>{r.attendanceRate === null ? '–' : `${r.attendanceRate}%`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="facts-actions">
            <Button variant="secondary" isDisabled={page <= 1} onPress={() => setPage((p) => p - 1)}>
              {t.prev}
            </Button>
            <span aria-live="polite">{t.page(page, pages)}</span>
            <Button variant="secondary" isDisabled={page >= pages} onPress={() => setPage((p) => p + 1)}>
              {t.more}
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}
