ALTER TABLE "projects" ADD COLUMN "expected_benefits" jsonb;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "approved_baseline" jsonb;--> statement-breakpoint
-- API.md v1.1, "Migration of existing data": a project with a letter has the letter's baseline
-- version as its approved baseline, approved on the letter's (Copenhagen) date; v1 knew no
-- expected benefits.
UPDATE "projects" p SET "approved_baseline" = jsonb_build_object(
    'version', l."baseline_version",
    'approvedOn', to_char(l."issued_at" AT TIME ZONE 'Europe/Copenhagen', 'YYYY-MM-DD'),
    'eligibleCostDkk', coalesce((b."gating"->>'eligibleCostDkk')::bigint, p."eligible_cost_dkk"),
    'totalCostDkk', coalesce((b."gating"->>'totalCostDkk')::bigint, p."total_cost_dkk"),
    'plannedEnd', coalesce(b."content"->>'plannedEnd', p."planned_end"::text),
    'expectedFinancialBenefitsDkk', NULL)
  FROM (SELECT DISTINCT ON ("project_id") "project_id", "baseline_version", "issued_at" FROM "letters"
        ORDER BY "project_id", "baseline_version" DESC) l
  LEFT JOIN "project_baselines" b ON b."project_id" = l."project_id" AND b."version" = l."baseline_version"
  WHERE l."project_id" = p."id";
