CREATE TABLE `dm_channels` (
	`user_id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`opened_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `due_work` (
	`key` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`subject` text NOT NULL,
	`due_at` integer NOT NULL,
	`run_at` integer NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`generation` integer DEFAULT 0 NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`last_error` text,
	`payload` text,
	`created_at` integer NOT NULL,
	`done_at` integer
);
--> statement-breakpoint
CREATE INDEX `due_work_runnable` ON `due_work` (`run_at`) WHERE "due_work"."state" = 'pending';--> statement-breakpoint
CREATE INDEX `due_work_subject` ON `due_work` (`subject`,`kind`);--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `deliveries` ADD `kind` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `commander_active_at` integer;--> statement-breakpoint
CREATE INDEX `incidents_open_created` ON `incidents` (`created_at`) WHERE "incidents"."status" != 'closed';--> statement-breakpoint
CREATE INDEX `incidents_open_commander_active` ON `incidents` (`commander_active_at`) WHERE "incidents"."status" != 'closed';--> statement-breakpoint
CREATE INDEX `commander_handoffs_incident` ON `commander_handoffs` (`incident_id`,`state`);--> statement-breakpoint
CREATE INDEX `incident_roles_fix_lead_turns` ON `incident_roles` (`user_id`,`from`) WHERE "incident_roles"."role" = 'fix_lead' and "incident_roles"."reason" is null;