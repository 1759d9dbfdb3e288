CREATE INDEX `commander_handoffs_pending_to` ON `commander_handoffs` (`to_user`) WHERE "commander_handoffs"."state" = 'pending';--> statement-breakpoint
CREATE INDEX `fix_team_user` ON `fix_team` (`user_id`);--> statement-breakpoint
CREATE INDEX `incident_roles_current_by_user` ON `incident_roles` (`user_id`) WHERE "incident_roles"."to" is null;--> statement-breakpoint
CREATE INDEX `overrides_user` ON `overrides` (`user_id`,`end`);