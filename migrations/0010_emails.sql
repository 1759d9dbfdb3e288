CREATE TABLE `emails` (
	`key` text PRIMARY KEY NOT NULL,
	`incident_id` text NOT NULL,
	`text_id` text NOT NULL,
	`message_id` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`settled_by` text,
	`settled_at` integer,
	`last_error` text,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `emails_message_id` ON `emails` (`message_id`);