import type { Unit } from './queries';

export interface UnitNode {
  unit: Unit;
  children: UnitNode[];
  /** the unit's employees and those of every unit under it */
  total: number;
}

/** The units as a tree by parentId (a unit whose parent is missing is a root), each level by name. */
export function unitTree(units: readonly Unit[]): UnitNode[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as UnitNode[], total: 0 }]));
  const roots: UnitNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.unit.parentId ? nodes.get(n.unit.parentId) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  const settle = (list: UnitNode[]): number => {
    list.sort((a, b) => a.unit.name.localeCompare(b.unit.name));
    let sum = 0;
    for (const n of list) {
      n.total = n.unit._count.employees + settle(n.children);
      sum += n.total;
    }
    return sum;
  };
  settle(roots);
  return roots;
}

/** The units for a select, in tree order, indented by depth. */
export function unitOptions(units: readonly Unit[]): { id: string; label: string }[] {
  const out: { id: string; label: string }[] = [];
  const walk = (list: UnitNode[], depth: number) => {
    for (const n of list) {
      out.push({ id: n.unit.code, label: `${'\u2003'.repeat(depth)}${n.unit.name} (${n.unit.code})` });
      walk(n.children, depth + 1);
    }
  };
  walk(unitTree(units), 0);
  return out;
}
