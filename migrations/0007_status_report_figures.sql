ALTER TABLE "status_reports" ALTER COLUMN "overall" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "forecast_cost_dkk" bigint;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "forecast_end_date" date;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "forecast_financial_benefits_dkk" bigint;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "own_overall" text;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "baseline_version" integer;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "deviation" jsonb;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "indicated_lights" jsonb;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "judgement_comment" text;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "judged_by" text;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "judged_by_name" text;--> statement-breakpoint
ALTER TABLE "status_reports" ADD COLUMN "judged_at" timestamp with time zone;--> statement-breakpoint
-- API.md v1.1, "Migration of existing data": a v1 report's overall was the worst of the project's
-- own lights; it becomes `own_overall`, and `overall` (the council's judgement) is null. Figures,
-- deviation and indicated lights stay null.
UPDATE "status_reports" SET "own_overall" = "overall", "overall" = NULL, "updated_at" = "created_at";--> statement-breakpoint
ALTER TABLE "status_reports" ALTER COLUMN "own_overall" SET NOT NULL;