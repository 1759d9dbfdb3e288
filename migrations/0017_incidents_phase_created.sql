DROP INDEX `incidents_phase`;--> statement-breakpoint
CREATE INDEX `incidents_phase_created` ON `incidents` (`phase`,`created_at`);