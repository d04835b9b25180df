ALTER TABLE "status_reports" ADD COLUMN "council" text;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "project_reference" text;--> statement-breakpoint
UPDATE "status_reports" AS r SET "council" = p."council", "project_reference" = p."reference" FROM "projects" AS p WHERE p."id" = r."project_id";--> statement-breakpoint
ALTER TABLE "status_reports" ALTER COLUMN "council" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "status_reports" ALTER COLUMN "project_reference" SET NOT NULL;--> statement-breakpoint
CREATE INDEX "projects_followed_idx" ON "projects" USING btree ("council","reference") WHERE approved_baseline is not null;--> statement-breakpoint
CREATE INDEX "status_reports_red_idx" ON "status_reports" USING btree ("period","council","project_reference") WHERE coalesce(overall, own_overall) = 'red';
