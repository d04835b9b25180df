CREATE TABLE "members" (
	"sub" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"org" text NOT NULL,
	"council" text NOT NULL,
	"active" boolean NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "member_name" text;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "member_org_name" text;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_council_councils_code_fk" FOREIGN KEY ("council") REFERENCES "public"."councils"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "members_council_name_idx" ON "members" USING btree ("council","name");--> statement-breakpoint
-- API.md v1.1, "Migration of existing data": a directory entry per assigned sub, its name the sub,
-- no e-mail, its organisation the latest assignment's memberOrg, council regions; the assignments
-- made so far name them so.
INSERT INTO "members" ("sub", "name", "email", "org", "council", "active", "version")
  SELECT DISTINCT ON ("member_sub") "member_sub", "member_sub", NULL, "member_org", 'regions', true, 1
  FROM "assignments" ORDER BY "member_sub", "assigned_at" DESC;--> statement-breakpoint
UPDATE "assignments" a SET "member_name" = a."member_sub",
  "member_org_name" = coalesce((SELECT o."name" FROM "organisations" o WHERE o."code" = a."member_org"), a."member_org");
