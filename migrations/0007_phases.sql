ALTER TABLE `incidents` RENAME COLUMN "status" TO "phase";--> statement-breakpoint
CREATE TABLE `incident_steps` (
	`incident_id` text NOT NULL,
	`step_id` text NOT NULL,
	`outcome` text,
	`outcome_at` integer,
	`outcome_by` text,
	`outcome_reason` text,
	`due_at` integer,
	`due_moved_by` text,
	`due_moved_at` integer,
	`due_reason` text,
	PRIMARY KEY(`incident_id`, `step_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `nudge_dms` (
	`nudge_key` text NOT NULL,
	`user_id` text NOT NULL,
	`incident_id` text NOT NULL,
	`step_name` text NOT NULL,
	`due_at` integer NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL,
	`digest_key` text,
	PRIMARY KEY(`nudge_key`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `nudge_dms_waiting` ON `nudge_dms` (`user_id`) WHERE "nudge_dms"."digest_key" is null;--> statement-breakpoint
CREATE INDEX `nudge_dms_digest` ON `nudge_dms` (`digest_key`);--> statement-breakpoint
DROP INDEX `incidents_status`;--> statement-breakpoint
DROP INDEX `incidents_open_created`;--> statement-breakpoint
DROP INDEX `incidents_open_commander_active`;--> statement-breakpoint
ALTER TABLE `incidents` ADD `resolution` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `public_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `public_by` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `public_where` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `public_link` text;--> statement-breakpoint
CREATE INDEX `incidents_phase` ON `incidents` (`phase`);--> statement-breakpoint
CREATE INDEX `incidents_open_created` ON `incidents` (`created_at`) WHERE "incidents"."phase" != 'closed';--> statement-breakpoint
CREATE INDEX `incidents_open_commander_active` ON `incidents` (`commander_active_at`) WHERE "incidents"."phase" != 'closed';--> statement-breakpoint
ALTER TABLE `members` ADD `last_active_at` integer;