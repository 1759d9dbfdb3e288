import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * The database tables. `migrations/` is generated from this file by drizzle-kit
 * (`npm run db:generate`); never edit a generated migration by hand.
 * Every time is an integer of milliseconds since the epoch, UTC.
 */

const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const members = sqliteTable('members', {
  userId: text('user_id').primaryKey(),
  role: text('role', { enum: ['member', 'associate'] }).notNull(),
  addedAt: ms('added_at').notNull(),
  addedBy: text('added_by').notNull(),
});

/** One counter per year, so incident ids read SRP-2026-001, SRP-2026-002, ... */
export const idCounters = sqliteTable('id_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

export const incidents = sqliteTable(
  'incidents',
  {
    id: text('id').primaryKey(),
    summary: text('summary').notNull(),
    description: text('description').notNull(),
    components: text('components').notNull(),
    arrival: text('arrival', {
      enum: ['hackerone', 'security_email', 'github_issue', 'distributor', 'other'],
    }).notNull(),
    arrivalRef: text('arrival_ref'),
    disclosure: text('disclosure', { enum: ['private', 'public'] }).notNull(),
    reporterName: text('reporter_name'),
    reporterContact: text('reporter_contact'),
    receivedAt: ms('received_at').notNull(),
    cveId: text('cve_id'),
    status: text('status', {
      enum: ['triage', 'planning', 'development', 'embargo', 'released', 'published', 'closed'],
    }).notNull(),
    reportedBy: text('reported_by').notNull(),
    /** What made this incident (a modal's view id): a replayed submission finds it instead of making a twin. */
    sourceKey: text('source_key').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [uniqueIndex('incidents_source_key').on(t.sourceKey), index('incidents_status').on(t.status)],
);

/** The timeline: every change to an incident, with who, when, and the old and new values (JSON). */
export const incidentEvents = sqliteTable(
  'incident_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    at: ms('at').notNull(),
    actor: text('actor').notNull(),
    type: text('type').notNull(),
    field: text('field'),
    oldValue: text('old_value'),
    newValue: text('new_value'),
  },
  (t) => [index('incident_events_incident').on(t.incidentId, t.at)],
);

/**
 * Every Slack message srp posts, keyed by what it is for (`card:SRP-2026-001`).
 * A row is written as `pending` before the post and becomes `sent` with its ts
 * after, so a crash in between is reconciled from Slack rather than re-posted.
 */
export const deliveries = sqliteTable('deliveries', {
  key: text('key').primaryKey(),
  channel: text('channel').notNull(),
  state: text('state', { enum: ['pending', 'sent'] }).notNull(),
  ts: text('ts'),
  createdAt: ms('created_at').notNull(),
  sentAt: ms('sent_at'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
});

/** Members changes are audited like incident changes, with old and new values. */
export const auditLog = sqliteTable('audit_log', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: ms('at').notNull(),
  actor: text('actor').notNull(),
  action: text('action').notNull(),
  subject: text('subject').notNull(),
  oldValue: text('old_value'),
  newValue: text('new_value'),
});
