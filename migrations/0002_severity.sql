CREATE TABLE `severity` (
	`incident_id` text PRIMARY KEY NOT NULL,
	`answers` text,
	`questionnaire_rating` text,
	`questionnaire_path` text,
	`cvss_vector` text,
	`cvss_version` text,
	`cvss_score_tenths` integer,
	`cvss_rating` text,
	`final_rating` text,
	`final_reason` text,
	`final_by` text,
	`final_at` integer,
	`disputed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`incident_id`) REFERENCES `incidents`(`id`) ON UPDATE no action ON DELETE no action
);
