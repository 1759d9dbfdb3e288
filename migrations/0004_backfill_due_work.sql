-- Data for the due-work queue, from what databases made before it hold. Written by hand (a drizzle-kit
-- custom migration): the sweeps this queue replaces found their work by scanning; here that work
-- becomes rows once, and from now on every change inserts its own rows.

-- The kind of every message already recorded, named as the queue names it.
UPDATE `deliveries` SET `kind` = CASE substr(`key`, 1, instr(`key`, ':') - 1)
  WHEN 'card' THEN 'card'
  WHEN 'receipt' THEN 'receipt'
  WHEN 'ic-handoff' THEN 'ic-handoff-request'
  WHEN 'ic-handoff-accepted' THEN 'ic-handoff-answer'
  WHEN 'ic-handoff-declined' THEN 'ic-handoff-answer'
  WHEN 'ic-handoff-reminder' THEN 'ic-handoff-reminder'
  WHEN 'cover' THEN 'cover-request'
  WHEN 'cover-taken' THEN 'cover-taken'
  WHEN 'handoff' THEN 'oncall-handoff'
  WHEN 'digest' THEN 'shift-digest'
  WHEN 'oncall-import' THEN 'note'
END;
--> statement-breakpoint
-- The commander's last event on each incident, which the oncall digest reads instead of the timeline.
UPDATE `incidents` SET `commander_active_at` = (
  SELECT max(e.`at`) FROM `incident_events` e
  JOIN `incident_roles` r ON r.`incident_id` = e.`incident_id` AND r.`role` = 'commander' AND r.`to` IS NULL
  WHERE e.`incident_id` = `incidents`.`id` AND e.`actor` = r.`user_id`
);
--> statement-breakpoint
-- Cards and receipts of open incidents that never reached Slack (the intake sweep's work).
INSERT OR IGNORE INTO `due_work` (`key`, `kind`, `subject`, `due_at`, `run_at`, `state`, `created_at`)
SELECT 'card:' || i.`id`, 'card', i.`id`, i.`created_at`, i.`created_at`, 'pending', i.`created_at`
FROM `incidents` i
WHERE i.`status` != 'closed'
  AND NOT EXISTS (SELECT 1 FROM `deliveries` d WHERE d.`key` = 'card:' || i.`id` AND d.`state` = 'sent');
--> statement-breakpoint
INSERT OR IGNORE INTO `due_work` (`key`, `kind`, `subject`, `due_at`, `run_at`, `state`, `created_at`)
SELECT 'receipt:' || i.`id`, 'receipt', i.`id`, i.`created_at`, i.`created_at`, 'pending', i.`created_at`
FROM `incidents` i
WHERE i.`status` != 'closed'
  AND NOT EXISTS (SELECT 1 FROM `deliveries` d WHERE d.`key` = 'receipt:' || i.`id` AND d.`state` = 'sent');
--> statement-breakpoint
-- Cover requests nobody took whose message never reached the channel (the cover-request sweep's work).
INSERT OR IGNORE INTO `due_work` (`key`, `kind`, `subject`, `due_at`, `run_at`, `state`, `created_at`)
SELECT 'cover:' || c.`id`, 'cover-request', c.`id`, c.`created_at`, c.`created_at`, 'pending', c.`created_at`
FROM `cover_requests` c
WHERE c.`taken_by` IS NULL
  AND NOT EXISTS (SELECT 1 FROM `deliveries` d WHERE d.`key` = 'cover:' || c.`id` AND d.`state` = 'sent');
--> statement-breakpoint
-- The next reminder of each IC handoff still waiting: 2 hours after the request, then daily.
INSERT OR IGNORE INTO `due_work` (`key`, `kind`, `subject`, `due_at`, `run_at`, `state`, `created_at`)
SELECT 'ic-handoff-reminder:' || h.`id` || ':1', 'ic-handoff-reminder', CAST(h.`id` AS TEXT),
  max(h.`requested_at` + 7200000, coalesce(h.`reminded_at` + 86400000, 0)),
  max(h.`requested_at` + 7200000, coalesce(h.`reminded_at` + 86400000, 0)),
  'pending', h.`requested_at`
FROM `commander_handoffs` h
WHERE h.`state` = 'pending';
