import { eq, sql } from 'drizzle-orm';
import { type Db, lazy } from './db.js';
import { dmChannels } from './schema.js';

/** The app's DM channel with each person, so a DM costs one Slack call instead of two. */
export function dmChannelStore(db: Db) {
  const ofUser = lazy(() =>
    db
      .select({ channelId: dmChannels.channelId })
      .from(dmChannels)
      .where(eq(dmChannels.userId, sql.placeholder('userId')))
      .prepare(),
  );
  return {
    get(userId: string): string | undefined {
      return ofUser().get({ userId })?.channelId;
    },

    save(userId: string, channelId: string, at: Date): void {
      db.insert(dmChannels)
        .values({ userId, channelId, openedAt: at })
        .onConflictDoUpdate({ target: dmChannels.userId, set: { channelId, openedAt: at } })
        .run();
    },

    /** Forgets a channel Slack no longer knows, so the next DM opens a fresh one. */
    forget(userId: string): void {
      db.delete(dmChannels).where(eq(dmChannels.userId, userId)).run();
    },
  };
}
export type DmChannelStore = ReturnType<typeof dmChannelStore>;
