CREATE TABLE `retrospective_feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_id` text NOT NULL,
	`author` text NOT NULL,
	`text` text NOT NULL,
	`at` integer NOT NULL,
	`source` text NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `retrospective_feedback_source` ON `retrospective_feedback` (`incident_id`,`source`);--> statement-breakpoint
CREATE INDEX `retrospective_feedback_incident` ON `retrospective_feedback` (`incident_id`,`at`);--> statement-breakpoint
CREATE TABLE `retrospectives` (
	`incident_id` text PRIMARY KEY NOT NULL,
	`drafted_at` integer NOT NULL,
	`posted_ts` text,
	`done_by` text,
	`done_at` integer,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
