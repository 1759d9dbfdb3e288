CREATE TABLE `announcements` (
	`incident_id` text NOT NULL,
	`generation` integer NOT NULL,
	`hash` text NOT NULL,
	`text` text NOT NULL,
	`post_at` integer NOT NULL,
	`state` text NOT NULL,
	`scheduled_message_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`incident_id`, `generation`),
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
