CREATE SEQUENCE "public"."state_reference_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "councils" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secretariat_org" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"council" text,
	"active" boolean NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"id" text PRIMARY KEY NOT NULL,
	"council" text NOT NULL,
	"version" integer NOT NULL,
	"effective_from" date NOT NULL,
	"rule" jsonb NOT NULL,
	"review_working_days" jsonb NOT NULL,
	"follow_up" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Every project so far belongs to Regionernes It-råd and is a project (API.md v1.1, "Migration of
-- existing data"); the defaults fill the existing rows and are dropped again.
ALTER TABLE "projects" ADD COLUMN "council" text NOT NULL DEFAULT 'regions';--> statement-breakpoint
ALTER TABLE "projects" ALTER COLUMN "council" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "kind" text NOT NULL DEFAULT 'project';--> statement-breakpoint
ALTER TABLE "projects" ALTER COLUMN "kind" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_council_councils_code_fk" FOREIGN KEY ("council") REFERENCES "public"."councils"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_council_councils_code_fk" FOREIGN KEY ("council") REFERENCES "public"."councils"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policies_council_version_idx" ON "policies" USING btree ("council","version");--> statement-breakpoint
CREATE UNIQUE INDEX "policies_council_effective_idx" ON "policies" USING btree ("council","effective_from");--> statement-breakpoint
-- The contract's seed (API.md v1.1): both councils, the three policy versions, the five regions
-- and the two secretariats. src/domain/councils.ts and SEEDED_POLICIES in src/domain/gate.ts say
-- the same; test/councils/councils.test.ts holds them together.
INSERT INTO "councils" ("code", "name", "secretariat_org") VALUES
  ('regions', 'Regionernes It-råd', 'ITR'),
  ('state', 'Statens It-råd', 'SIR');--> statement-breakpoint
INSERT INTO "policies" ("id", "council", "version", "effective_from", "rule", "review_working_days", "follow_up", "created_by") VALUES
  ('regions-2019', 'regions', 1, '2019-12-01', '{"minEligibleCostDkk":10000000,"requireAllRegions":true}', '{"project":10,"programme":10}',
   '{"costPct":{"yellow":5,"red":15},"financialBenefitsPct":{"yellow":5,"red":15},"scheduleDays":{"yellow":30,"red":90}}', 'system'),
  ('state-2011', 'state', 1, '2011-01-01', '{"minEligibleCostDkk":10000000,"requireAllRegions":false}', '{"project":10,"programme":15}',
   '{"costPct":{"yellow":5,"red":15},"financialBenefitsPct":{"yellow":5,"red":15},"scheduleDays":{"yellow":30,"red":90}}', 'system'),
  ('state-2021', 'state', 2, '2021-01-01', '{"minEligibleCostDkk":15000000,"requireAllRegions":false}', '{"project":10,"programme":15}',
   '{"costPct":{"yellow":5,"red":15},"financialBenefitsPct":{"yellow":5,"red":15},"scheduleDays":{"yellow":30,"red":90}}', 'system');--> statement-breakpoint
INSERT INTO "organisations" ("code", "name", "kind", "council", "active", "version") VALUES
  ('1081', 'Region Nordjylland', 'region', 'regions', true, 1),
  ('1082', 'Region Midtjylland', 'region', 'regions', true, 1),
  ('1083', 'Region Syddanmark', 'region', 'regions', true, 1),
  ('1084', 'Region Hovedstaden', 'region', 'regions', true, 1),
  ('1085', 'Region Sjælland', 'region', 'regions', true, 1),
  ('ITR', 'Regionernes It-råds sekretariat', 'secretariat', 'regions', true, 1),
  ('SIR', 'Statens It-råds sekretariat', 'secretariat', 'state', true, 1);--> statement-breakpoint
-- Owners that are no known organisation: kind other, council regions, inactive. Their projects stay
-- readable; they cannot submit.
INSERT INTO "organisations" ("code", "name", "kind", "council", "active", "version")
  SELECT DISTINCT "owner_org", "owner_org", 'other', 'regions', false, 1 FROM "projects"
  WHERE "owner_org" NOT IN (SELECT "code" FROM "organisations");--> statement-breakpoint
-- A policy version is never changed or removed (API.md v1.1).
CREATE FUNCTION policies_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'policy versions are never changed or removed' USING ERRCODE = 'insufficient_privilege';
END;
$$;--> statement-breakpoint
CREATE TRIGGER policies_immutable BEFORE UPDATE OR DELETE ON "policies" FOR EACH ROW EXECUTE FUNCTION policies_immutable();