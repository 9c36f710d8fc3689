import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { Alert, PageHead, ProblemAlert } from '../../../components/basic';
import { SelectField } from '../../../components/select';
import { Button, Checkbox, TextField } from '../../../components/ui';
import { ok } from '../../../api/client';
import { useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { cycleApi, cycleKeys, publishedVersions, ruleSetsQuery } from './queries';

type OpenBody = Parameters<(typeof cycleApi)['cycles']['$post']>[0]['json'];
const PLACED = ['/year', '/name', '/ruleSetVersionId'] as const;

/** Open a cycle on a published rule-set version; the cycle's page then shows the fan-out's progress. */
export function OpenCyclePage() {
  const t = useT();
  const o = t.adminCycles.open;
  const regionCode = useRegionCode();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const ruleSets = useQuery(ruleSetsQuery(regionCode));
  const versions = publishedVersions(ruleSets.data);
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(String(thisYear));
  const [name, setName] = useState(o.nameDefault(thisYear));
  const [versionId, setVersionId] = useState<string | null>(null);
  const [calibration, setCalibration] = useState(true);
  const [tried, setTried] = useState(false);
  const chosen = versionId ?? versions[0]?.id ?? null;

  const yearNumber = Number(year);
  const yearError = !year.trim() ? o.required : !Number.isInteger(yearNumber) || yearNumber < 2000 || yearNumber > 2100 ? o.yearRange : undefined;
  const nameError = !name.trim() ? o.required : name.trim().length < 3 ? o.nameMin : undefined;

  const open = useMutation({
    mutationFn: (json: OpenBody) => ok(cycleApi.cycles.$post({ param: { regionCode }, json })),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: cycleKeys.all(regionCode) });
      await navigate({ to: '/admin/$regionCode/cycles/$cycleId', params: { regionCode, cycleId: answer.cycle.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (yearError || nameError || !chosen) return;
    open.mutate({ year: yearNumber, name: name.trim(), ruleSetVersionId: chosen, unitCalibration: calibration });
  };

  return (
    <>
      <PageHead title={o.title} intro={o.intro} />
      <ProblemAlert error={ruleSets.error} onRetry={() => void ruleSets.refetch()} />
      {ruleSets.data && versions.length === 0 ? (
        <Alert tone="warn" title={o.noVersion}>
          <Link to="/admin/$regionCode/rule-sets" params={{ regionCode }}>
            {o.toRuleSets}
          </Link>
        </Alert>
      ) : null}
      <form className="card stack cyc-form" noValidate onSubmit={submit} aria-label={o.title}>
        <TextField
          label={o.year}
          value={year}
          onChange={setYear}
          inputMode="numeric"
          isRequired
          problem={open.error}
          pointer="/year"
          error={tried ? yearError : undefined}
        />
        <TextField label={o.name} value={name} onChange={setName} isRequired problem={open.error} pointer="/name" error={tried ? nameError : undefined} />
        <SelectField
          label={o.version}
          value={chosen}
          onChange={setVersionId}
          options={versions.map((v) => ({ id: v.id, label: o.versionLabel(v.ruleSet, v.version, (v.contentHash ?? '').slice(0, 12)) }))}
          problem={open.error}
          pointer="/ruleSetVersionId"
        />
        <Checkbox isSelected={calibration} onChange={setCalibration}>
          {o.calibration}
        </Checkbox>
        <ProblemAlert error={open.error} placed={PLACED} />
        <div className="row">
          <Button type="submit" isDisabled={open.isPending || !chosen}>
            {open.isPending ? o.submitting : o.submit}
          </Button>
        </div>
      </form>
    </>
  );
}
