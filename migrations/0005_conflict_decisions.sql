ALTER TABLE "assessments" ADD COLUMN "member_org_name" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "member_name" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "member_org_name" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "decision" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "decided_by" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "decided_by_name" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "decided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "letters" ADD COLUMN "issued_by_name" text;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_decision_check" CHECK ("conflicts"."decision" in ('pending', 'disqualified', 'not_disqualified'));--> statement-breakpoint
-- API.md v1.1, "Migration of existing data": a v1 declaration disqualified its member at once (the
-- assignment was ended then); it stands as decided so by `system`, when it was declared. The
-- declarations and assessments made so far name their members as the directory does.
UPDATE "conflicts" c SET "decision" = 'disqualified', "decided_by" = 'system', "decided_at" = c."declared_at",
  "member_name" = coalesce((SELECT m."name" FROM "members" m WHERE m."sub" = c."member_sub"), c."member_sub"),
  "member_org_name" = coalesce((SELECT o."name" FROM "organisations" o WHERE o."code" = c."member_org"), c."member_org");--> statement-breakpoint
UPDATE "assessments" a SET "member_org_name" = coalesce((SELECT o."name" FROM "organisations" o WHERE o."code" = a."member_org"), a."member_org");
