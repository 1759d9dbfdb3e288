import { eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { auditLog, members } from './schema.js';

export type MemberRole = 'member' | 'associate';
export interface MemberRow {
  userId: string;
  role: MemberRole;
  addedAt: Date;
  addedBy: string;
}

export function memberStore(db: Db) {
  return {
    get(userId: string): MemberRow | undefined {
      return db.select().from(members).where(eq(members.userId, userId)).get();
    },

    list(): MemberRow[] {
      return db.select().from(members).orderBy(members.addedAt).all();
    },

    /** Adds a member unless already present; audited. Returns whether a row was added. */
    addIfAbsent(userId: string, role: MemberRole, actor: string, at: Date): boolean {
      return db.transaction((tx) => {
        const inserted = tx
          .insert(members)
          .values({ userId, role, addedAt: at, addedBy: actor })
          .onConflictDoNothing()
          .returning()
          .all();
        if (inserted.length === 0) return false;
        tx.insert(auditLog)
          .values({ at, actor, action: 'member.added', subject: userId, newValue: JSON.stringify({ role }) })
          .run();
        return true;
      });
    },
  };
}
export type MemberStore = ReturnType<typeof memberStore>;
