import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { ok } from '../../../api/client';
import { pointer } from '../../../api/problem';
import { Badge, PageHead, ProblemAlert } from '../../../components/basic';
import { SelectField } from '../../../components/select';
import { Button, TextField } from '../../../components/ui';
import { useI18n } from '../../../i18n';
import { formatDateTime } from '../../../lib/time';
import { useRegionCode } from '../base';
import { rsApi, rsKeys, ruleSetsQuery, type RuleSetItem } from './queries';
import './rulesets.css';

/** Open a new draft copied from a version, then go to it. */
function useCopyVersion(rs: RuleSetItem) {
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (fromVersionId: string) =>
      ok(rsApi['rule-sets'][':ruleSetId'].versions.$post({ param: { regionCode, ruleSetId: rs.id }, json: { fromVersionId } })),
    onSuccess: async (v) => {
      await qc.invalidateQueries({ queryKey: rsKeys.all(regionCode) });
      await navigate({ to: '/admin/$regionCode/rule-sets/$ruleSetId/versions/$versionId', params: { regionCode, ruleSetId: rs.id, versionId: v.id } });
    },
  });
}

function RuleSetCard({ rs }: { rs: RuleSetItem }) {
  const { t, locale } = useI18n();
  const regionCode = useRegionCode();
  const copy = useCopyVersion(rs);
  return (
    <section className="card" aria-labelledby={`rs-${rs.id}`}>
      <h2 id={`rs-${rs.id}`}>
        {rs.name} <span className="muted small">{rs.key}</span>
      </h2>
      <ProblemAlert error={copy.error} />
      <table className="plain rs-versions">
        <caption className="sr-only">{t.adminRules.versions}</caption>
        <thead>
          <tr>
            <th scope="col">{t.adminRules.versions}</th>
            <th scope="col">{t.adminRules.hash}</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {[...rs.versions].reverse().map((v) => (
            <tr key={v.id}>
              <th scope="row">
                <Link to="/admin/$regionCode/rule-sets/$ruleSetId/versions/$versionId" params={{ regionCode, ruleSetId: rs.id, versionId: v.id }}>
                  {t.adminRules.version(v.version)}
                </Link>{' '}
                <Badge tone={v.status === 'PUBLISHED' ? 'ok' : 'info'}>{t.adminRules.status[v.status]}</Badge>
                <div className="muted small">
                  {v.publishedAt ? t.adminRules.published(formatDateTime(v.publishedAt, locale)) : t.adminRules.created(formatDateTime(v.createdAt, locale))}
                </div>
              </th>
              <td>
                <code className="rs-hash">{v.contentHash ? v.contentHash.slice(0, 16) : '—'}</code>
              </td>
              <td>
                <Button variant="secondary" onPress={() => copy.mutate(v.id)} isDisabled={copy.isPending}>
                  {t.adminRules.copyVersion}
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function CreateFromPack({ packs }: { packs: readonly string[] }) {
  const t = useI18n().t;
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [pack, setPack] = useState(packs[0] ?? '');
  const create = useMutation({
    mutationFn: () => ok(rsApi['rule-sets'].$post({ param: { regionCode }, json: { key: key.trim(), name: name.trim(), from: { pack } } })),
    onSuccess: async (out) => {
      await qc.invalidateQueries({ queryKey: rsKeys.all(regionCode) });
      await navigate({
        to: '/admin/$regionCode/rule-sets/$ruleSetId/versions/$versionId',
        params: { regionCode, ruleSetId: out.ruleSet.id, versionId: out.version.id },
      });
    },
  });
  return (
    <form
      className="card stack"
      aria-labelledby="rs-new"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <h2 id="rs-new">{t.adminRules.newTitle}</h2>
      <ProblemAlert error={create.error} placed={[pointer('key'), pointer('name'), pointer('from', 'pack')]} />
      <SelectField
        label={t.adminRules.pack}
        value={pack}
        onChange={setPack}
        options={packs.map((p) => ({ id: p, label: p }))}
        problem={create.error}
        pointer={pointer('from', 'pack')}
      />
      <TextField
        label={t.adminRules.key}
        description={t.adminRules.keyHelp}
        value={key}
        onChange={setKey}
        problem={create.error}
        pointer={pointer('key')}
        isRequired
      />
      <TextField label={t.adminRules.name} value={name} onChange={setName} problem={create.error} pointer={pointer('name')} isRequired />
      <div className="row">
        <Button type="submit" isDisabled={create.isPending}>
          {t.adminRules.create}
        </Button>
      </div>
    </form>
  );
}

/** The region's rule sets with every version (status, hash, when), and a new one copied from a pack. */
export function RuleSetsPage() {
  const t = useI18n().t;
  const regionCode = useRegionCode();
  const { data } = useSuspenseQuery(ruleSetsQuery(regionCode));
  return (
    <>
      <PageHead title={t.adminRules.title} intro={t.adminRules.intro} />
      <div className="rs-list">
        <div className="stack">
          {data.items.length === 0 ? <p className="muted">{t.adminRules.empty}</p> : null}
          {data.items.map((rs) => (
            <RuleSetCard key={rs.id} rs={rs} />
          ))}
        </div>
        <CreateFromPack packs={data.packs} />
      </div>
    </>
  );
}
