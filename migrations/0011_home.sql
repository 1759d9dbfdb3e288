CREATE TABLE `home_viewers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`opened_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `incidents_reported_by` ON `incidents` (`reported_by`,`received_at`);