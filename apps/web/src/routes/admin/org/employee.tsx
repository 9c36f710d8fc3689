import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ok } from '../../../api/client';
import { pointer } from '../../../api/problem';
import { Alert, Badge, PageHead, ProblemAlert } from '../../../components/basic';
import { ConfirmDialog } from '../../../components/dialog';
import { SelectField } from '../../../components/select';
import { Button, Checkbox, RadioGroup, TextField } from '../../../components/ui';
import { dictionaries, useI18n, useT } from '../../../i18n';
import { formatDate } from '../../../lib/time';
import { useRegionCode } from '../base';
import { DateField, dayEnd, dayStart, EmployeeName, EmployeePicker, FormDialog, today, type Picked } from './parts';
import {
  delegationsQuery,
  employeeQuery,
  orgApi,
  orgKeys,
  unitsQuery,
  type Delegation,
  type DelegationKind,
  type EmployeeDetail,
  type PositionKind,
} from './queries';
import { unitOptions } from './unit-tree';

const route = getRouteApi('/app/admin/$regionCode/org/employees/$employeeId');
/** The position kinds, as the dictionary (typed by the domain's list) names them. */
const POSITION_KINDS = Object.keys(dictionaries.id.adminOrg.positionKind) as PositionKind[];
const DELEGATION_KINDS = Object.keys(dictionaries.id.adminOrg.delegation.kinds) as DelegationKind[];
/** the fields the form edits; the nullable ones are cleared by an empty box */
const TEXTS = ['name', 'position', 'pangkat', 'golongan', 'email', 'phone'] as const;
const NULLABLE = new Set<string>(['pangkat', 'golongan', 'email', 'phone']);
type TextKey = (typeof TEXTS)[number];

function EditForm({ e }: { e: EmployeeDetail }) {
  const t = useT();
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const units = useQuery(unitsQuery(regionCode));
  const initial = Object.fromEntries(TEXTS.map((k) => [k, e[k] ?? ''])) as Record<TextKey, string>;
  const [values, setValues] = useState(initial);
  const [kind, setKind] = useState<PositionKind>(e.positionKind);
  const [unit, setUnit] = useState(e.unit.code);
  const changed = TEXTS.filter((k) => values[k].trim() !== initial[k]);
  const save = useMutation({
    mutationFn: () => {
      const json = {
        ...Object.fromEntries(changed.map((k) => [k, NULLABLE.has(k) && !values[k].trim() ? null : values[k].trim()])),
        ...(kind !== e.positionKind ? { positionKind: kind } : {}),
        ...(unit !== e.unit.code ? { unitCode: unit } : {}),
      };
      return ok(orgApi.employees[':employeeId'].$patch({ param: { regionCode, employeeId: e.id }, json }));
    },
    onSuccess: async (saved) => {
      // the API stores some values normalised (e-mail in lower case, phone in E.164): the boxes show what it stored
      setValues(Object.fromEntries(TEXTS.map((k) => [k, saved[k] ?? ''])) as Record<TextKey, string>);
      setKind(saved.positionKind);
      await qc.invalidateQueries({ queryKey: orgKeys.all(regionCode) });
    },
  });
  const dirty = changed.length > 0 || kind !== e.positionKind || unit !== e.unit.code;
  const placed = [...TEXTS, 'positionKind', 'unitCode'].map((k) => pointer(k));
  const field = (k: TextKey, type: 'text' | 'email' | 'tel' = 'text') => (
    <TextField
      key={k}
      label={t.adminOrg.field[k]}
      type={type}
      value={values[k]}
      onChange={(v) => setValues((cur) => ({ ...cur, [k]: v }))}
      problem={save.error}
      pointer={pointer(k)}
      description={NULLABLE.has(k) ? t.adminOrg.employee.clearHelp : undefined}
      isRequired={!NULLABLE.has(k)}
    />
  );
  return (
    <section className="card" aria-labelledby="edit-h">
      <h2 id="edit-h">{t.adminOrg.employee.edit}</h2>
      <ProblemAlert error={save.error} placed={placed} />
      {save.isSuccess && !dirty ? <Alert tone="ok">{t.adminOrg.employee.saved}</Alert> : null}
      <form
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          if (dirty) save.mutate();
        }}
      >
        <div className="org-grid">
          {field('name')}
          {field('position')}
          <SelectField
            label={t.adminOrg.field.positionKind}
            value={kind}
            onChange={setKind}
            options={POSITION_KINDS.map((k) => ({ id: k, label: t.adminOrg.positionKind[k] }))}
            problem={save.error}
            pointer={pointer('positionKind')}
          />
          <SelectField
            label={t.adminOrg.field.unit}
            value={unit}
            onChange={setUnit}
            options={unitOptions(units.data?.items ?? [])}
            problem={save.error}
            pointer={pointer('unitCode')}
          />
          {field('pangkat')}
          {field('golongan')}
          {field('email', 'email')}
          {field('phone', 'tel')}
        </div>
        <Button type="submit" isDisabled={save.isPending || !dirty}>
          {t.app.save}
        </Button>
      </form>
    </section>
  );
}

/** One step of the chain: the superior, then (below) their superior, each read once and cached. */
function ChainStep({ id, seen }: { id: string; seen: readonly string[] }) {
  const regionCode = useRegionCode();
  const s = useQuery(employeeQuery(regionCode, id));
  if (s.error) return <ProblemAlert error={s.error} />;
  if (!s.data) return <li>…</li>;
  const next = s.data.superior?.id;
  return (
    <>
      <li>
        <Link to="/admin/$regionCode/org/employees/$employeeId" params={{ regionCode, employeeId: id }}>
          {s.data.name}
        </Link>
        <span className="muted small">
          {' '}
          {s.data.nip} · {s.data.position}
        </span>
      </li>
      {next && !seen.includes(next) && seen.length < 20 ? <ChainStep id={next} seen={[...seen, next]} /> : null}
    </>
  );
}

function Supervisor({ e }: { e: EmployeeDetail }) {
  const t = useT();
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [none, setNone] = useState(false);
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const change = useMutation({
    mutationFn: () =>
      ok(
        orgApi.employees[':employeeId'].supervisor.$put({
          param: { regionCode, employeeId: e.id },
          json: { superiorId: none ? null : picked!.id, ...(reason.trim() ? { reason: reason.trim() } : {}) },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await qc.invalidateQueries({ queryKey: orgKeys.all(regionCode) });
    },
  });
  return (
    <section className="card" aria-labelledby="chain-h">
      <h2 id="chain-h">{t.adminOrg.employee.chain}</h2>
      {e.superior ? (
        <ol className="org-chain">
          <ChainStep id={e.superior.id} seen={[e.id, e.superior.id]} />
        </ol>
      ) : (
        <p>{t.adminOrg.employee.chainEmpty}</p>
      )}
      {change.isSuccess ? <Alert tone="ok">{t.adminOrg.employee.supervisorChanged(change.data.signalled)}</Alert> : null}
      {e.status === 'ACTIVE' ? (
        <FormDialog
          triggerLabel={t.adminOrg.employee.changeSupervisor}
          title={t.adminOrg.employee.changeSupervisor}
          confirmLabel={t.adminOrg.employee.confirmSupervisor}
          variant="secondary"
          isOpen={open}
          onOpenChange={(o) => {
            setOpen(o);
            if (o) change.reset();
          }}
          onSubmit={() => {
            setChecked(true);
            if (none || picked) change.mutate();
          }}
          isPending={change.isPending}
          error={change.error}
          placed={[pointer('superiorId'), pointer('reason')]}
        >
          <Alert tone="warn">{t.adminOrg.employee.supervisorFlows}</Alert>
          <Checkbox isSelected={none} onChange={setNone}>
            {t.adminOrg.employee.noSupervisor}
          </Checkbox>
          {none ? null : (
            <EmployeePicker
              label={t.adminOrg.employee.newSupervisor}
              value={picked}
              onChange={setPicked}
              exclude={e.id}
              error={checked ? t.adminOrg.picker.required : undefined}
            />
          )}
          <TextField label={t.adminOrg.employee.reason} value={reason} onChange={setReason} multiline problem={change.error} pointer={pointer('reason')} />
        </FormDialog>
      ) : null}
    </section>
  );
}

function Departure({ e }: { e: EmployeeDetail }) {
  const t = useT();
  const { locale } = useI18n();
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(today);
  const [reason, setReason] = useState('');
  const depart = useMutation({
    mutationFn: () =>
      ok(
        orgApi.employees[':employeeId'].departure.$post({
          param: { regionCode, employeeId: e.id },
          json: { reason: reason.trim(), ...(date ? { leftAt: dayStart(date) } : {}) },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      await qc.invalidateQueries({ queryKey: orgKeys.all(regionCode) });
    },
  });
  if (e.status === 'LEFT')
    return (
      <Alert tone="info" title={t.adminOrg.status.LEFT}>
        {depart.isSuccess ? <p>{t.adminOrg.employee.departed(depart.data.closedEvaluations)}</p> : null}
        <p>{t.adminOrg.employee.left(e.leftAt ? formatDate(e.leftAt, locale) : '—', e.leftReason ?? '')}</p>
      </Alert>
    );
  return (
    <FormDialog
      triggerLabel={t.adminOrg.employee.departure}
      title={t.adminOrg.employee.departureTitle}
      confirmLabel={t.adminOrg.employee.confirmDeparture}
      variant="danger"
      isOpen={open}
      onOpenChange={setOpen}
      onSubmit={() => depart.mutate()}
      isPending={depart.isPending}
      error={depart.error}
      placed={[pointer('leftAt'), pointer('reason')]}
    >
      <Alert tone="warn">{t.adminOrg.employee.departureFlows}</Alert>
      <DateField label={t.adminOrg.employee.departureDate} value={date} onChange={setDate} problem={depart.error} pointer={pointer('leftAt')} />
      <TextField
        label={t.adminOrg.employee.reason}
        value={reason}
        onChange={setReason}
        multiline
        isRequired
        problem={depart.error}
        pointer={pointer('reason')}
      />
    </FormDialog>
  );
}

type DelegationState = 'revoked' | 'upcoming' | 'active' | 'ended';
function stateOf(d: Delegation, now: number): DelegationState {
  if (d.revokedAt) return 'revoked';
  if (Date.parse(d.startsAt) > now) return 'upcoming';
  return Date.parse(d.endsAt) > now ? 'active' : 'ended';
}

function Delegations({ e }: { e: EmployeeDetail }) {
  const t = useT();
  const { locale } = useI18n();
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const all = useQuery(delegationsQuery(regionCode));
  const mine = (all.data?.items ?? []).filter((d) => d.fromEmployeeId === e.id || d.toEmployeeId === e.id);
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<DelegationKind>('PLH');
  const [to, setTo] = useState<Picked | null>(null);
  const [from, setFrom] = useState(today);
  const [until, setUntil] = useState('');
  const [reason, setReason] = useState('');
  const [checked, setChecked] = useState(false);
  const invalidate = () => qc.invalidateQueries({ queryKey: orgKeys.delegations(regionCode) });
  const create = useMutation({
    mutationFn: () =>
      ok(
        orgApi.delegations.$post({
          param: { regionCode },
          json: {
            fromEmployeeId: e.id,
            toEmployeeId: to!.id,
            kind,
            startsAt: dayStart(from),
            endsAt: dayEnd(until),
            ...(reason.trim() ? { reason: reason.trim() } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      setOpen(false);
      setTo(null);
      setReason('');
      await invalidate();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => ok(orgApi.delegations[':delegationId'].$delete({ param: { regionCode, delegationId: id } })),
    onSuccess: invalidate,
  });
  const now = Date.now();
  const tone = { revoked: 'neutral', upcoming: 'info', active: 'ok', ended: 'neutral' } as const;
  return (
    <section className="card" aria-labelledby="deleg-h">
      <h2 id="deleg-h">{t.adminOrg.delegation.title}</h2>
      <p className="muted">{t.adminOrg.delegation.intro}</p>
      <ProblemAlert error={all.error ?? revoke.error} />
      {create.isSuccess ? <Alert tone="ok">{t.adminOrg.delegation.created}</Alert> : null}
      {mine.length === 0 ? (
        <p>{t.adminOrg.delegation.empty}</p>
      ) : (
        <ul className="list">
          {mine.map((d) => {
            const state = stateOf(d, now);
            return (
              <li key={d.id} className="spread">
                <div>
                  <strong>{t.adminOrg.delegation.kinds[d.kind]}</strong> <Badge tone={tone[state]}>{t.adminOrg.delegation[state]}</Badge>
                  <p>
                    {d.fromEmployeeId === e.id ? t.adminOrg.delegation.actedBy : t.adminOrg.delegation.actsFor}{' '}
                    <EmployeeName id={d.fromEmployeeId === e.id ? d.toEmployeeId : d.fromEmployeeId} />
                  </p>
                  <p className="small">
                    {formatDate(d.startsAt, locale)} – {formatDate(d.endsAt, locale)}
                    {d.reason ? ` · ${d.reason}` : ''}
                  </p>
                </div>
                {state === 'active' || state === 'upcoming' ? (
                  <ConfirmDialog
                    triggerLabel={t.adminOrg.delegation.revoke}
                    title={t.adminOrg.delegation.revokeTitle}
                    confirmLabel={t.adminOrg.delegation.revoke}
                    variant="danger"
                    onConfirm={() => revoke.mutate(d.id)}
                    isDisabled={revoke.isPending}
                  >
                    <p>{t.adminOrg.delegation.revokeBody}</p>
                  </ConfirmDialog>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {e.status === 'ACTIVE' ? (
        <FormDialog
          triggerLabel={t.adminOrg.delegation.create}
          title={t.adminOrg.delegation.createTitle}
          confirmLabel={t.adminOrg.delegation.create}
          variant="secondary"
          isOpen={open}
          onOpenChange={(o) => {
            setOpen(o);
            setChecked(false);
            if (o) create.reset();
          }}
          onSubmit={() => {
            setChecked(true);
            if (to && from && until) create.mutate();
          }}
          isPending={create.isPending}
          error={create.error}
          placed={['toEmployeeId', 'kind', 'startsAt', 'endsAt', 'reason'].map((k) => pointer(k))}
        >
          <RadioGroup
            label={t.adminOrg.delegation.kind}
            value={kind}
            onChange={setKind}
            options={DELEGATION_KINDS.map((k) => ({ id: k, label: t.adminOrg.delegation.kinds[k] }))}
            problem={create.error}
            pointer={pointer('kind')}
          />
          <EmployeePicker
            label={t.adminOrg.delegation.to}
            value={to}
            onChange={setTo}
            exclude={e.id}
            error={checked ? t.adminOrg.picker.required : undefined}
          />
          <div className="org-grid">
            <DateField
              label={t.adminOrg.delegation.startsAt}
              value={from}
              onChange={setFrom}
              problem={create.error}
              pointer={pointer('startsAt')}
              error={checked && !from ? t.adminOrg.delegation.dateRequired : undefined}
            />
            <DateField
              label={t.adminOrg.delegation.endsAt}
              value={until}
              onChange={setUntil}
              problem={create.error}
              pointer={pointer('endsAt')}
              error={checked && !until ? t.adminOrg.delegation.dateRequired : undefined}
            />
          </div>
          <TextField label={t.adminOrg.delegation.reason} value={reason} onChange={setReason} multiline problem={create.error} pointer={pointer('reason')} />
        </FormDialog>
      ) : null}
    </section>
  );
}

/** One employee: the data, the chain of superiors and its change, the departure, the Plt/Plh. */
export function EmployeePage() {
  const t = useT();
  const regionCode = useRegionCode();
  const { employeeId } = route.useParams();
  const { data: e } = useSuspenseQuery(employeeQuery(regionCode, employeeId));
  return (
    <>
      <p>
        <Link to="/admin/$regionCode/org" params={{ regionCode }}>
          ← {t.adminOrg.employee.back}
        </Link>
      </p>
      <PageHead title={e.name}>
        <p>
          {e.nip} · {e.position} · {e.unit.name} <Badge tone={e.status === 'ACTIVE' ? 'ok' : 'neutral'}>{t.adminOrg.status[e.status]}</Badge>
        </p>
        <p className="muted small">{e.user ? t.adminOrg.employee.login(e.user.username) : t.adminOrg.employee.noLogin}</p>
      </PageHead>
      <Departure e={e} />
      <EditForm key={e.id} e={e} />
      <Supervisor e={e} />
      <Delegations e={e} />
    </>
  );
}
