-- The tracker's status words as phases (domain/phases.ts); a closed incident was fixed, as the only way to close
-- one before phases was its release. A report taken in as already public was public from when it was received.
UPDATE `incidents` SET `phase` = CASE `phase`
  WHEN 'planning' THEN 'fix_team'
  WHEN 'embargo' THEN 'disclosure_planning'
  WHEN 'released' THEN 'release'
  WHEN 'published' THEN 'retrospective'
  ELSE `phase` END;--> statement-breakpoint
UPDATE `incidents` SET `resolution` = 'fixed' WHERE `phase` = 'closed';--> statement-breakpoint
UPDATE `incidents` SET `public_at` = `received_at` WHERE `disclosure` = 'public';
