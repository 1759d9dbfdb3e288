CREATE TABLE `commander_handoffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` text NOT NULL,
	`from_user` text NOT NULL,
	`to_user` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`state` text NOT NULL,
	`resolved_at` integer,
	`reminded_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `cover_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`requested_by` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`created_at` integer NOT NULL,
	`taken_by` text,
	`taken_at` integer,
	`override_id` text
);
--> statement-breakpoint
CREATE TABLE `fix_team` (
	`incident_id` text NOT NULL,
	`user_id` text NOT NULL,
	`added_by` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `user_id`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `handoff_snapshot` (
	`id` integer PRIMARY KEY NOT NULL,
	`shift_index` integer NOT NULL,
	`primary` text,
	`secondary` text,
	`announced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `incident_roles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` text NOT NULL,
	`role` text NOT NULL,
	`user_id` text NOT NULL,
	`from` integer NOT NULL,
	`to` integer,
	`reason` text,
	`assigned_by` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `incident_roles_incident` ON `incident_roles` (`incident_id`,`role`);--> statement-breakpoint
CREATE TABLE `leaves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`replacement` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`cancelled_at` integer
);
--> statement-breakpoint
CREATE INDEX `leaves_user` ON `leaves` (`user_id`);--> statement-breakpoint
CREATE TABLE `overrides` (
	`id` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`user_id` text NOT NULL,
	`start` integer NOT NULL,
	`end` integer NOT NULL,
	`reason` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE INDEX `overrides_time` ON `overrides` (`start`,`end`);--> statement-breakpoint
CREATE TABLE `roster_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`type` text NOT NULL,
	`user_id` text NOT NULL,
	`role` text,
	`company` text
);
--> statement-breakpoint
CREATE TABLE `rotation` (
	`id` integer PRIMARY KEY NOT NULL,
	`order` text NOT NULL,
	`handoff_weekday` integer NOT NULL,
	`handoff_time` text NOT NULL,
	`zone` text NOT NULL,
	`start_date` text NOT NULL,
	`feed_token` text NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `members` ADD `company` text;--> statement-breakpoint
ALTER TABLE `members` ADD `tz` text;--> statement-breakpoint
ALTER TABLE `members` ADD `tz_manual` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `work_days` text DEFAULT '[1,2,3,4,5]' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `work_start` text DEFAULT '09:00' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `work_end` text DEFAULT '17:00' NOT NULL;