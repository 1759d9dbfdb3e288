CREATE TABLE `advisory_approvals` (
	`incident_id` text NOT NULL,
	`version` integer NOT NULL,
	`hash` text NOT NULL,
	`approved_by` text NOT NULL,
	`approved_at` integer NOT NULL,
	`voided_at` integer,
	PRIMARY KEY(`incident_id`, `hash`, `approved_by`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `advisory_versions` (
	`incident_id` text NOT NULL,
	`version` integer NOT NULL,
	`record` text NOT NULL,
	`edited_by` text NOT NULL,
	`edited_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `version`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `disclosures` (
	`incident_id` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`target_at` integer,
	`target_by` text,
	`override_reason` text,
	`hash` text,
	`generation` integer DEFAULT 0 NOT NULL,
	`scheduled_message_id` text,
	`announce_ts` text,
	`permalink` text,
	`published_at` integer,
	`watch_words` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `distributor_notices` (
	`incident_id` text NOT NULL,
	`notice` text NOT NULL,
	`sent_at` integer NOT NULL,
	`sent_by` text NOT NULL,
	`via` text NOT NULL,
	PRIMARY KEY(`incident_id`, `notice`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
