/**
 * The session side of sequences: nextval advances the shared sequence (non-transactional, as in
 * PostgreSQL) and remembers the value for this session's currval and lastval.
 */
import { DbError } from '../errors/index.ts';
import type { SequenceDef } from '../catalog/objects.ts';
import { canonInt8 } from '../types/int.ts';
import { sequenceNext, sequenceSet } from './ddl/sequences.ts';
import type { Database } from './database.ts';

export class SessionSequences {
  private readonly db: Database;
  private readonly currvals = new Map<number, bigint>();
  private lastSeq: number | null = null;
  /**
   * nextval and setval calls so far: changes outside any transaction's undo, which a statement
   * run again after failing would repeat (shaped-script.ts compares it around an attempt).
   */
  advances = 0;

  constructor(db: Database) {
    this.db = db;
  }

  nextval(seq: SequenceDef): unknown {
    const current = this.db.catalog.byOid.get(seq.oid);
    const live = current?.kind === 'sequence' ? current : seq;
    const v = sequenceNext(live);
    this.advances++;
    this.currvals.set(seq.oid, v);
    this.lastSeq = seq.oid;
    return canonInt8(v);
  }

  currval(seq: SequenceDef): unknown {
    const v = this.currvals.get(seq.oid);
    if (v === undefined) {
      throw new DbError('object_not_in_prerequisite_state', `currval of sequence "${seq.name}" is not yet defined in this session`);
    }
    return canonInt8(v);
  }

  setval(seq: SequenceDef, value: bigint, isCalled: boolean): unknown {
    sequenceSet(seq, value, isCalled);
    this.advances++;
    if (isCalled) {
      this.currvals.set(seq.oid, value);
      this.lastSeq = seq.oid;
    }
    return canonInt8(value);
  }

  lastval(): unknown {
    if (this.lastSeq === null) throw new DbError('object_not_in_prerequisite_state', 'lastval is not yet defined in this session');
    return canonInt8(this.currvals.get(this.lastSeq)!);
  }
}
