import { useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { ok } from '../../../api/client';
import { pointer } from '../../../api/problem';
import { Alert, PageHead, ProblemAlert } from '../../../components/basic';
import { SelectField } from '../../../components/select';
import { Button, TextField } from '../../../components/ui';
import { dictionaries, useT } from '../../../i18n';
import { useRegionCode } from '../base';
import { orgApi, orgKeys, unitsQuery, type Unit } from './queries';
import { unitOptions, unitTree, type UnitNode } from './unit-tree';

type UnitKind = Unit['kind'];
/** The unit kinds, as the dictionary (typed by the domain's list) names them. */
const UNIT_KINDS = Object.keys(dictionaries.id.adminOrg.unitKind) as UnitKind[];
const NO_PARENT = '*';

function Rename({ unit, onDone }: { unit: Unit; onDone: () => void }) {
  const t = useT();
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const [name, setName] = useState(unit.name);
  const rename = useMutation({
    mutationFn: () => ok(orgApi.units[':unitId'].$patch({ param: { regionCode, unitId: unit.id }, json: { name: name.trim() } })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: orgKeys.all(regionCode) });
      onDone();
    },
  });
  return (
    <form
      className="org-inline-form"
      aria-label={t.adminOrg.units.renameTitle(unit.name)}
      onSubmit={(e) => {
        e.preventDefault();
        rename.mutate();
      }}
    >
      <ProblemAlert error={rename.error} placed={[pointer('name')]} />
      <TextField label={t.adminOrg.units.newName} value={name} onChange={setName} problem={rename.error} pointer={pointer('name')} isRequired />
      <div className="row">
        <Button type="submit" isDisabled={rename.isPending}>
          {t.app.save}
        </Button>
        <Button variant="secondary" onPress={onDone}>
          {t.app.cancel}
        </Button>
      </div>
    </form>
  );
}

function Node({ node }: { node: UnitNode }) {
  const t = useT();
  const regionCode = useRegionCode();
  const [open, setOpen] = useState(true);
  const [renaming, setRenaming] = useState(false);
  const u = node.unit;
  return (
    <li>
      <div className="org-node">
        {node.children.length ? (
          <button
            type="button"
            className="org-toggle"
            aria-expanded={open}
            aria-label={open ? t.adminOrg.units.collapse(u.name) : t.adminOrg.units.expand(u.name)}
            onClick={() => setOpen(!open)}
          >
            <span aria-hidden="true">{open ? '▾' : '▸'}</span>
          </button>
        ) : (
          <span className="org-toggle" aria-hidden="true" />
        )}
        <span className="org-node-name">
          <strong>{u.name}</strong>
          <span className="muted small">
            {' '}
            {u.code} · {t.adminOrg.unitKind[u.kind]} · {t.adminOrg.units.employees(node.total)}
          </span>
        </span>
        <span className="org-node-actions">
          <Link to="/admin/$regionCode/org" params={{ regionCode }} search={{ unit: u.code }} className="btn" data-variant="ghost">
            {t.adminOrg.units.showEmployees}
            <span className="sr-only">: {u.name}</span>
          </Link>
          <Button variant="ghost" onPress={() => setRenaming(true)} aria-label={t.adminOrg.units.renameTitle(u.name)}>
            {t.adminOrg.units.rename}
          </Button>
        </span>
      </div>
      {renaming ? <Rename unit={u} onDone={() => setRenaming(false)} /> : null}
      {open && node.children.length ? (
        <ul>
          {node.children.map((c) => (
            <Node key={c.unit.id} node={c} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function CreateUnit({ units }: { units: readonly Unit[] }) {
  const t = useT();
  const regionCode = useRegionCode();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<UnitKind>('BIDANG');
  const [parent, setParent] = useState(NO_PARENT);
  const create = useMutation({
    mutationFn: () =>
      ok(
        orgApi.units.$post({
          param: { regionCode },
          json: { code: code.trim(), name: name.trim(), kind, ...(parent !== NO_PARENT ? { parentCode: parent } : {}) },
        }),
      ),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: orgKeys.units(regionCode) });
      setCode('');
      setName('');
    },
  });
  const placed = ['code', 'name', 'kind', 'parentCode'].map((k) => pointer(k));
  return (
    <section className="card" aria-labelledby="unit-create-h">
      <h2 id="unit-create-h">{t.adminOrg.units.create}</h2>
      <ProblemAlert error={create.error} placed={placed} />
      {create.isSuccess ? <Alert tone="ok">{t.adminOrg.units.created(create.data.name)}</Alert> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <div className="org-grid">
          <TextField
            label={t.adminOrg.units.code}
            description={t.adminOrg.units.codeHelp}
            value={code}
            onChange={(v) => setCode(v.toUpperCase())}
            problem={create.error}
            pointer={pointer('code')}
            isRequired
          />
          <TextField label={t.adminOrg.units.name} value={name} onChange={setName} problem={create.error} pointer={pointer('name')} isRequired />
          <SelectField
            label={t.adminOrg.units.kind}
            value={kind}
            onChange={setKind}
            options={UNIT_KINDS.map((k) => ({ id: k, label: t.adminOrg.unitKind[k] }))}
            problem={create.error}
            pointer={pointer('kind')}
          />
          <SelectField
            label={t.adminOrg.units.parent}
            value={parent}
            onChange={setParent}
            options={[{ id: NO_PARENT, label: t.adminOrg.units.noParent }, ...unitOptions(units)]}
            problem={create.error}
            pointer={pointer('parentCode')}
          />
        </div>
        <Button type="submit" isDisabled={create.isPending}>
          {t.adminOrg.units.create}
        </Button>
      </form>
    </section>
  );
}

/** The unit tree (collapsible, with employee counts including sub-units), renaming, and a new unit. */
export function UnitsPage() {
  const t = useT();
  const regionCode = useRegionCode();
  const { data } = useSuspenseQuery(unitsQuery(regionCode));
  const tree = unitTree(data.items);
  return (
    <>
      <PageHead title={t.adminOrg.units.title} />
      <section className="card" aria-labelledby="unit-tree-h">
        <h2 id="unit-tree-h">{t.adminOrg.units.tree}</h2>
        {tree.length === 0 ? (
          <p>{t.adminOrg.units.empty}</p>
        ) : (
          <ul className="org-tree">
            {tree.map((n) => (
              <Node key={n.unit.id} node={n} />
            ))}
          </ul>
        )}
      </section>
      <CreateUnit units={data.items} />
    </>
  );
}
