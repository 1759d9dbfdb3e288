CREATE TABLE `release_managers` (
	`user_id` text PRIMARY KEY NOT NULL,
	`added_by` text NOT NULL,
	`added_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `role_assignment_rules` (
	`role` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`order` text NOT NULL,
	`queue` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
