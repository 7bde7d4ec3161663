/**
 * The privileges a bound statement needs, collected while binding (the binder knows every
 * relation it resolves and every column a name resolves to) and checked in one place before the
 * statement runs — and again on every plan-cache hit, since the role may have changed since.
 *
 * Invariants:
 * - One need per (relation, privilege, checked-as role) reference; columns accumulate in `cols`.
 * - `as` is the role a view's contents are checked as (the view owner); null = current_user.
 * - A SELECT need with no columns means "some column" unless `emptyOk` (UPDATE/DELETE targets that
 *   read no column need no SELECT at all).
 */
import type { RelationDef } from '../catalog/objects.ts';

export interface PrivilegeNeed {
  readonly rel: RelationDef;
  /** One Priv bit. */
  readonly priv: number;
  readonly as: string | null;
  /** Attnums the statement reads / writes; null = table-level only. */
  readonly cols: Set<number> | null;
  readonly emptyOk: boolean;
}

/** What the binder carries: the needs so far and the role view contents are checked as. */
export interface NeedCollector {
  readonly privilegeNeeds: PrivilegeNeed[];
  checkAs: string | null;
}

export function needRelation(bc: NeedCollector, rel: RelationDef, priv: number, cols: Set<number> | null = null, emptyOk = false): PrivilegeNeed {
  const need: PrivilegeNeed = { rel, priv, as: bc.checkAs, cols, emptyOk };
  bc.privilegeNeeds.push(need);
  return need;
}

/** Binds `fn` with view contents checked as `owner` (PostgreSQL checks a view's relations as its owner). */
export function asViewOwner<T>(bc: NeedCollector, owner: string, fn: () => T): T {
  const saved = bc.checkAs;
  bc.checkAs = owner;
  try {
    return fn();
  } finally {
    bc.checkAs = saved;
  }
}
