import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PER_ISSUE_ROLES } from '../domain/owners.js';
import { PHASES, RESOLUTIONS, type Resolution } from '../domain/phases.js';

/**
 * The database tables. `migrations/` is generated from this file by drizzle-kit
 * (`npm run db:generate`); never edit a generated migration by hand.
 * Every time is an integer of milliseconds since the epoch, UTC.
 */

const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });

export const members = sqliteTable('members', {
  userId: text('user_id').primaryKey(),
  membership: text('role', { enum: ['member', 'associate'] }).notNull(),
  addedAt: ms('added_at').notNull(),
  addedBy: text('added_by').notNull(),
  company: text('company'),
  /** IANA zone; from Slack's users.info unless a member set it (`tzManual`). */
  tz: text('tz'),
  tzManual: integer('tz_manual', { mode: 'boolean' }).notNull().default(false),
  /** ISO weekdays as JSON, e.g. [1,2,3,4,5]; oncall is business hours only. */
  workDays: text('work_days').notNull().default('[1,2,3,4,5]'),
  workStart: text('work_start').notNull().default('09:00'),
  workEnd: text('work_end').notNull().default('17:00'),
  /**
   * The last time they did anything in srp (a command, a button, a form), kept to the hour: a member
   * silent for a month with no leave recorded is flagged, as both documents ask.
   */
  lastActiveAt: ms('last_active_at'),
});

/** Every change to the roster, replayable into the roster at any past time (company share streaks). */
export const rosterChanges = sqliteTable('roster_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: ms('at').notNull(),
  actor: text('actor').notNull(),
  type: text('type', { enum: ['added', 'removed', 'role_changed', 'company_changed'] }).notNull(),
  userId: text('user_id').notNull(),
  membership: text('role', { enum: ['member', 'associate'] }),
  company: text('company'),
});

export const leaves = sqliteTable(
  'leaves',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: text('user_id').notNull(),
    start: ms('start').notNull(),
    end: ms('end').notNull(),
    replacement: text('replacement'),
    createdBy: text('created_by').notNull(),
    createdAt: ms('created_at').notNull(),
    cancelledAt: ms('cancelled_at'),
  },
  (t) => [index('leaves_user').on(t.userId)],
);

/** The rotation's rules: one row. The final schedule is computed from it plus overrides, never stored. */
export const rotation = sqliteTable('rotation', {
  id: integer('id').primaryKey(),
  order: text('order').notNull(),
  handoffWeekday: integer('handoff_weekday').notNull(),
  handoffTime: text('handoff_time').notNull(),
  zone: text('zone').notNull(),
  startDate: text('start_date').notNull(),
  feedToken: text('feed_token').notNull(),
  updatedAt: ms('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});

export const overrides = sqliteTable(
  'overrides',
  {
    id: text('id').primaryKey(),
    position: text('role', { enum: ['primary', 'secondary'] }).notNull(),
    userId: text('user_id').notNull(),
    start: ms('start').notNull(),
    end: ms('end').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: ms('created_at').notNull(),
    deletedAt: ms('deleted_at'),
  },
  (t) => [index('overrides_time').on(t.start, t.end), index('overrides_user').on(t.userId, t.end)],
);

/** A request for someone to cover a shift; `takenBy` is set by one conditional update, so one press wins. */
export const coverRequests = sqliteTable('cover_requests', {
  id: text('id').primaryKey(),
  position: text('role', { enum: ['primary', 'secondary'] }).notNull(),
  requestedBy: text('requested_by').notNull(),
  start: ms('start').notNull(),
  end: ms('end').notNull(),
  createdAt: ms('created_at').notNull(),
  takenBy: text('taken_by'),
  takenAt: ms('taken_at'),
  overrideId: text('override_id'),
});

/** The last shift announced in the security channel; the handoff job posts when the computed one differs. */
export const handoffSnapshot = sqliteTable('handoff_snapshot', {
  id: integer('id').primaryKey(),
  shiftIndex: integer('shift_index').notNull(),
  primary: text('primary'),
  secondary: text('secondary'),
  announcedAt: ms('announced_at').notNull(),
});

/** Who held which incident role from when to when: "who was IC when" is a query. */
export const incidentRoles = sqliteTable(
  'incident_roles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    /** The column is text: the 2018 per-issue roles came later without a migration. */
    role: text('role', { enum: ['commander', 'fix_lead', ...PER_ISSUE_ROLES] }).notNull(),
    userId: text('user_id').notNull(),
    from: ms('from').notNull(),
    to: ms('to'),
    reason: text('reason'),
    assignedBy: text('assigned_by').notNull(),
  },
  (t) => [
    index('incident_roles_incident').on(t.incidentId, t.role),
    // Each member's last round-robin turn is one seek, so intake never reads the whole history.
    // What someone holds now (when they leave the committee, or are on leave): one seek per person.
    index('incident_roles_current_by_user').on(t.userId).where(sql`${t.to} is null`),
    index('incident_roles_fix_lead_turns')
      .on(t.userId, t.from)
      .where(sql`${t.role} = 'fix_lead' and ${t.reason} is null`),
  ],
);

/**
 * The project's Release Managers: they see an incident from its release on and own its release-day steps.
 * Not committee members (they may be); each change is audited in audit_log.
 */
export const releaseManagers = sqliteTable('release_managers', {
  userId: text('user_id').primaryKey(),
  addedBy: text('added_by').notNull(),
  addedAt: ms('added_at').notNull(),
});

/**
 * How each of the 2018 process's per-issue roles is given to a new incident: a weekly rotation (`order`'s
 * week-th member is primary, the next one secondary) or a queue (`queue` is the queue as it stands, its
 * top taking the next incident). One row per configured role; each change is audited in audit_log.
 */
export const roleAssignmentRules = sqliteTable('role_assignment_rules', {
  role: text('role', { enum: PER_ISSUE_ROLES }).primaryKey(),
  mode: text('mode', { enum: ['rotation', 'queue'] }).notNull(),
  /** JSON: the members in the order given. */
  order: text('order').notNull(),
  /** JSON: the queue now, top first (a rotation keeps the order here too). */
  queue: text('queue').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: ms('updated_at').notNull(),
});

/** An IC handoff waits for the incoming commander to accept; until then the outgoing one stays in charge. */
export const commanderHandoffs = sqliteTable(
  'commander_handoffs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    fromUser: text('from_user').notNull(),
    toUser: text('to_user').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: ms('requested_at').notNull(),
    state: text('state', { enum: ['pending', 'accepted', 'declined', 'cancelled'] }).notNull(),
    resolvedAt: ms('resolved_at'),
    remindedAt: ms('reminded_at'),
  },
  (t) => [
    index('commander_handoffs_incident').on(t.incidentId, t.state),
    index('commander_handoffs_pending_to').on(t.toUser).where(sql`${t.state} = 'pending'`),
  ],
);

export const fixTeam = sqliteTable(
  'fix_team',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    userId: text('user_id').notNull(),
    addedBy: text('added_by').notNull(),
    addedAt: ms('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.userId] }), index('fix_team_user').on(t.userId)],
);

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
      enum: ['hackerone', 'security_email', 'github_issue', 'distributor', 'other', 'slack'],
    }).notNull(),
    arrivalRef: text('arrival_ref'),
    disclosure: text('disclosure', { enum: ['private', 'public'] }).notNull(),
    reporterName: text('reporter_name'),
    reporterContact: text('reporter_contact'),
    receivedAt: ms('received_at').notNull(),
    cveId: text('cve_id'),
    /** Where it is in its life (domain/phases.ts); `closed` with a `resolution` saying how it ended. */
    phase: text('phase', { enum: PHASES }).notNull(),
    resolution: text('resolution', { enum: Object.keys(RESOLUTIONS) as [Resolution, ...Resolution[]] }),
    /** When it became public (marked so in srp): from then every remaining deadline is due at once. */
    publicAt: ms('public_at'),
    publicBy: text('public_by'),
    /** Where it was seen in public, as the person who marked it said, and a link if they gave one. */
    publicWhere: text('public_where'),
    publicLink: text('public_link'),
    reportedBy: text('reported_by').notNull(),
    /**
     * The incident commander's last timeline event here (null: none since they took command), kept by
     * every event so the oncall digest finds quiet incidents with one indexed query, not the timeline.
     */
    commanderActiveAt: ms('commander_active_at'),
    /** What made this incident (a modal's view id): a replayed submission finds it instead of making a twin. */
    sourceKey: text('source_key').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('incidents_source_key').on(t.sourceKey),
    // The incidents in a phase, oldest first (the untriaged reports of the start-of-shift digest): a range of
    // the index, in order, instead of every report in the phase read and sorted.
    index('incidents_phase_created').on(t.phase, t.createdAt),
    // Open incidents oldest first, and the open ones whose commander has been quiet: both without a scan.
    index('incidents_open_created').on(t.createdAt).where(sql`${t.phase} != 'closed'`),
    index('incidents_open_commander_active').on(t.commanderActiveAt).where(sql`${t.phase} != 'closed'`),
    // Someone's own reports, newest first (their App Home lists the ids): one seek, however many there are.
    index('incidents_reported_by').on(t.reportedBy, t.receivedAt),
    // The incidents received in a period (`srp stats`): one range seek, however many years are stored.
    index('incidents_received').on(t.receivedAt),
  ],
);

/**
 * The condition the partial indexes on open incidents are built with, for the queries that use them. The
 * literal matters: SQLite uses a partial index only when the query's WHERE implies the index's, which a
 * bound parameter (drizzle's `ne(phase, 'closed')`) never does, so such a query reads every row instead.
 */
export const OPEN_INCIDENT = sql`${incidents.phase} != 'closed'`;

/**
 * What happened to each step of an incident's process (its profile's `phases.steps`): done by someone or
 * by a fact srp saw, skipped with a reason when the incident moved on without it, or its deadline moved
 * by the Fix Lead or the commander. No row: the step is open, due when the profile says.
 */
export const incidentSteps = sqliteTable(
  'incident_steps',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    stepId: text('step_id').notNull(),
    /** `done` or `skipped`; null while open (a row may exist for a moved deadline only). */
    outcome: text('outcome', { enum: ['done', 'skipped'] }),
    outcomeAt: ms('outcome_at'),
    outcomeBy: text('outcome_by'),
    outcomeReason: text('outcome_reason'),
    /** The deadline as moved; null: the profile's. */
    dueAt: ms('due_at'),
    dueMovedBy: text('due_moved_by'),
    dueMovedAt: ms('due_moved_at'),
    dueReason: text('due_reason'),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.stepId] })],
);

/**
 * Nudges waiting to reach a person as a DM. A nudge's thread reply goes out on its own; its DM is a line
 * here, and one DM per person carries every line waiting for them (`digestKey` names it once taken), so
 * someone with three nudges due after downtime gets one summary, not three messages.
 */
export const nudgeDms = sqliteTable(
  'nudge_dms',
  {
    /** The nudge's due-work key and the person: one line per nudge and person. */
    nudgeKey: text('nudge_key').notNull(),
    userId: text('user_id').notNull(),
    incidentId: text('incident_id').notNull(),
    /** The line as planned: the step's name and its due time only, never a report's details. */
    stepName: text('step_name').notNull(),
    dueAt: ms('due_at').notNull(),
    kind: text('kind', { enum: ['soon', 'overdue', 'stale'] }).notNull(),
    createdAt: ms('created_at').notNull(),
    digestKey: text('digest_key'),
  },
  (t) => [
    primaryKey({ columns: [t.nudgeKey, t.userId] }),
    index('nudge_dms_waiting').on(t.userId).where(sql`${t.digestKey} is null`),
    index('nudge_dms_digest').on(t.digestKey),
  ],
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
  (t) => [
    index('incident_events_incident').on(t.incidentId, t.at),
    // Who was taken off an incident's Fix Team (their Home tab must drop it), on every replan: one seek,
    // not a read of the incident's whole timeline. Queries spell the type as this literal (see OPEN_INCIDENT).
    index('incident_events_fix_team_removed').on(t.incidentId).where(sql`${t.type} = 'fix_team_removed'`),
  ],
);

/**
 * Every Slack message srp posts, keyed by what it is for (`card:SRP-2026-001`).
 * A row is written as `pending` before the post and becomes `sent` with its ts
 * after, so a crash in between is reconciled from Slack rather than re-posted.
 */
export const deliveries = sqliteTable('deliveries', {
  key: text('key').primaryKey(),
  /** What the message is (a WorkKind: `card`, `receipt`, ...); null only on rows older than the column. */
  kind: text('kind'),
  channel: text('channel').notNull(),
  state: text('state', { enum: ['pending', 'sent'] }).notNull(),
  ts: text('ts'),
  createdAt: ms('created_at').notNull(),
  /**
   * When the latest attempt to send began (the first is `created_at`). A post whose reply was lost can
   * only have been made between the first attempt and the last one's timeout: the history is read there.
   */
  attemptedAt: ms('attempted_at'),
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

/**
 * An incident's severity: the questionnaire's rating, the CVSS score, and the
 * Fix Lead's final call. One row per incident; every change is also a timeline
 * event with its inputs. The release track is not stored: it follows from these
 * and the incident's CVE, and is worked out on every read.
 */
export const severity = sqliteTable('severity', {
  incidentId: text('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  answers: text('answers'),
  questionnaireRating: text('questionnaire_rating', { enum: ['Critical', 'High', 'Medium', 'Low'] }),
  questionnairePath: text('questionnaire_path'),
  cvssVector: text('cvss_vector'),
  cvssVersion: text('cvss_version'),
  cvssScore: integer('cvss_score_tenths'),
  cvssRating: text('cvss_rating', { enum: ['None', 'Low', 'Medium', 'High', 'Critical'] }),
  finalRating: text('final_rating', { enum: ['Critical', 'High', 'Medium', 'Low'] }),
  finalReason: text('final_reason'),
  finalBy: text('final_by'),
  finalAt: ms('final_at'),
  /** When the two ratings last came to disagree; only a final call made after it settles the rating. */
  disputedAt: ms('disputed_at'),
  updatedAt: ms('updated_at').notNull(),
});

/**
 * The one durable queue of due work: every message srp must send, every card to redraw, every reminder.
 * A row is inserted (if absent, under its unique key) when a change makes something due; one runner takes
 * rows whose `run_at` has come under a lease (a conditional update, so two replicas never take the same
 * row) and hands each to its service. A runner that dies leaves its lease to expire and the row is taken
 * again; the outbox's own delivery record makes that retry send nothing twice.
 */
export const dueWork = sqliteTable(
  'due_work',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    /** What the work is about: an incident id, a handoff id, a user id; the handler reads it. */
    subject: text('subject').notNull(),
    /** When it became (or becomes) due, as the process sees it; kept when a retry moves `run_at`. */
    dueAt: ms('due_at').notNull(),
    /** When a runner may take it next: the due time, then the end of a lease or a backoff. */
    runAt: ms('run_at').notNull(),
    /** `cancelled`: planned, then made obsolete (a deadline moved, a step done) before it ran. */
    state: text('state', { enum: ['pending', 'done', 'failed', 'cancelled'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** Bumped by each re-arm; a runner finishing an older generation leaves the row due again. */
    generation: integer('generation').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseUntil: ms('lease_until'),
    lastError: text('last_error'),
    /** Facts fixed when the work was planned (JSON), for work whose subject alone does not say it all. */
    payload: text('payload'),
    createdAt: ms('created_at').notNull(),
    doneAt: ms('done_at'),
  },
  (t) => [
    // The runner's only query: pending rows by run_at. Done rows stay (their keys keep work exactly once)
    // but are not in this index, so a tick costs the same with ten rows or a million.
    index('due_work_runnable').on(t.runAt).where(sql`${t.state} = 'pending'`),
    index('due_work_subject').on(t.subject, t.kind),
  ],
);

/** The app's DM channel with each person, from conversations.open once, so a DM is one call, not two. */
export const dmChannels = sqliteTable('dm_channels', {
  userId: text('user_id').primaryKey(),
  channelId: text('channel_id').notNull(),
  openedAt: ms('opened_at').notNull(),
});

/** Small facts about the database itself, e.g. which card layout the posted cards were drawn with. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * The advisory record of an incident (domain/disclosure/advisory.ts), one row per saved version: the
 * newest is the record; older ones stay so an approval names exactly what it approved.
 */
export const advisoryVersions = sqliteTable(
  'advisory_versions',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    version: integer('version').notNull(),
    /** The record as JSON. */
    record: text('record').notNull(),
    editedBy: text('edited_by').notNull(),
    editedAt: ms('edited_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.version] })],
);

/**
 * Approvals of an incident's texts: each of the hash of the exact rendered texts of one record version.
 * An edit of the record voids every approval still standing (`voided_at`), in the edit's transaction.
 */
export const advisoryApprovals = sqliteTable(
  'advisory_approvals',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    version: integer('version').notNull(),
    hash: text('hash').notNull(),
    approvedBy: text('approved_by').notNull(),
    approvedAt: ms('approved_at').notNull(),
    voidedAt: ms('voided_at'),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.hash, t.approvedBy] })],
);

/**
 * An incident's disclosure: the target time and how it was chosen, the announcement handed to Slack
 * (`chat.scheduleMessage`'s id) and what was posted. One row per incident; `state` moves
 * unscheduled → scheduled → published, or back to unscheduled when the texts change or it is cancelled.
 */
export const disclosures = sqliteTable('disclosures', {
  incidentId: text('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  state: text('state', { enum: ['unscheduled', 'scheduled', 'published'] }).notNull(),
  targetAt: ms('target_at'),
  targetBy: text('target_by'),
  /** Why a rule of the target time was overridden (the Fix Lead's reason), if one was. */
  overrideReason: text('override_reason'),
  /** The approved hash the announcement carries. */
  hash: text('hash'),
  /** Each scheduling is a generation: its due work and Slack's scheduled message are keyed by it. */
  generation: integer('generation').notNull().default(0),
  scheduledMessageId: text('scheduled_message_id'),
  announceTs: text('announce_ts'),
  permalink: text('permalink'),
  publishedAt: ms('published_at'),
  /** Words the leak watcher looks for besides the CVE id and the srp id (JSON array). */
  watchWords: text('watch_words'),
  updatedAt: ms('updated_at').notNull(),
});

/** The distributors' two notices of today's process: when each was sent, by whom, and how. */
export const distributorNotices = sqliteTable(
  'distributor_notices',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    notice: text('notice', { enum: ['advance', 'release_day'] }).notNull(),
    sentAt: ms('sent_at').notNull(),
    sentBy: text('sent_by').notNull(),
    via: text('via', { enum: ['by_hand', 'smtp'] }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.notice] })],
);

/**
 * Every email srp sends, recorded before it is handed to the SMTP server (its Message-ID fixed then).
 * `sending` is set just before the call: a row found `sending` by a later attempt means srp stopped
 * mid-send, and whether the server took it is unknown, so a person is asked instead of sending twice.
 */
export const emails = sqliteTable(
  'emails',
  {
    /** What the email is (`email:<incident>:<text>:<hash>`): one row, so one send, per key. */
    key: text('key').primaryKey(),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    /** Which text it carries (`distributors-email`, `announcement-email`, ...). */
    textId: text('text_id').notNull(),
    messageId: text('message_id').notNull(),
    state: text('state', {
      enum: ['pending', 'sending', 'sent', 'failed', 'unknown', 'confirmed_sent', 'resend'],
    }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: ms('created_at').notNull(),
    sentAt: ms('sent_at'),
    /** Who settled an unknown outcome, and when. */
    settledBy: text('settled_by'),
    settledAt: ms('settled_at'),
    lastError: text('last_error'),
  },
  (t) => [uniqueIndex('emails_message_id').on(t.messageId)],
);

/**
 * Who has opened srp's Home tab, and when last. Only their Home tabs are drawn again when something they
 * show changes; anyone else's is drawn when they open it.
 */
export const homeViewers = sqliteTable('home_viewers', {
  userId: text('user_id').primaryKey(),
  openedAt: ms('opened_at').notNull(),
});

/**
 * The announcement as srp handed it to Slack, one row per incident and generation (each scheduling is a
 * generation): the exact line and its approved hash, the target, and where the hand-over stands. Every
 * step is recorded before the Slack call it prepares (`intent` before chat.scheduleMessage), so after a
 * crash srp asks Slack (chat.scheduledMessages.list, the channel's history) instead of scheduling twice.
 *
 * - `planned`: stored with the schedule; nothing handed to Slack yet.
 * - `intent`: chat.scheduleMessage is (or was, before a crash) under way.
 * - `scheduled`: Slack holds it under `scheduledMessageId`.
 * - `not_scheduled`: too close to (or past) its time for Slack's schedule: srp posts it itself at the target.
 * - `deleted`: withdrawn from Slack (or never handed over) after a reschedule, a cancel or an edit.
 * - `undeletable`: Slack refused to withdraw it (posted, or due within the minute): it goes out as it was.
 */
export const announcements = sqliteTable(
  'announcements',
  {
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    generation: integer('generation').notNull(),
    hash: text('hash').notNull(),
    text: text('text').notNull(),
    postAt: ms('post_at').notNull(),
    state: text('state', {
      enum: ['planned', 'intent', 'scheduled', 'not_scheduled', 'deleted', 'undeletable'],
    }).notNull(),
    scheduledMessageId: text('scheduled_message_id'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.generation] })],
);

/**
 * An incident's retrospective: when its draft was first posted (and where, under the card), and who marked
 * it done. One row per incident, made when the draft is first posted.
 */
export const retrospectives = sqliteTable('retrospectives', {
  incidentId: text('incident_id')
    .primaryKey()
    .references(() => incidents.id),
  draftedAt: ms('drafted_at').notNull(),
  /** The draft's message in the card's thread. */
  postedTs: text('posted_ts'),
  doneBy: text('done_by'),
  doneAt: ms('done_at'),
});

/**
 * Feedback on a retrospective: its critiques, each with its author. `source` names the submission that
 * added it (the modal's view id), so a replayed submission adds nothing.
 */
export const retrospectiveFeedback = sqliteTable(
  'retrospective_feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentId: text('incident_id')
      .notNull()
      .references(() => incidents.id),
    author: text('author').notNull(),
    text: text('text').notNull(),
    at: ms('at').notNull(),
    source: text('source').notNull(),
  },
  (t) => [
    uniqueIndex('retrospective_feedback_source').on(t.incidentId, t.source),
    index('retrospective_feedback_incident').on(t.incidentId, t.at),
  ],
);
