CREATE TABLE "benefit_reports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"reported_on" date NOT NULL,
	"realised_financial_benefits_dkk" bigint NOT NULL,
	"note" text NOT NULL,
	"reported_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_up_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"project_id" uuid NOT NULL,
	"status_report_id" uuid NOT NULL,
	"track" text NOT NULL,
	"note" text NOT NULL,
	"decided_by" text NOT NULL,
	"decided_by_name" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "follow_up_decisions_status_report_id_unique" UNIQUE("status_report_id")
);
--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "follow_up_track" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "closure" jsonb;--> statement-breakpoint
ALTER TABLE "benefit_reports" ADD CONSTRAINT "benefit_reports_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_decisions" ADD CONSTRAINT "follow_up_decisions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_decisions" ADD CONSTRAINT "follow_up_decisions_status_report_id_status_reports_id_fk" FOREIGN KEY ("status_report_id") REFERENCES "public"."status_reports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "benefit_reports_project_number_idx" ON "benefit_reports" USING btree ("project_id","number");--> statement-breakpoint
CREATE INDEX "follow_up_decisions_project_idx" ON "follow_up_decisions" USING btree ("project_id");