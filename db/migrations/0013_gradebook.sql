CREATE TABLE "assignment_submissions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"body_html" text,
	"url" text,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"late_days" integer DEFAULT 0 NOT NULL,
	"submit_key" text,
	CONSTRAINT "assignment_submissions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "assignment_submissions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "grade_categories" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"course_id" uuid NOT NULL,
	"name" text NOT NULL,
	"weight" numeric(6, 2) DEFAULT 0 NOT NULL,
	"drop_lowest" integer DEFAULT 0 NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grade_categories_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "grade_categories" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "grade_changes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"old_score" numeric(10, 2),
	"new_score" numeric(10, 2),
	"old_excused" boolean DEFAULT false NOT NULL,
	"new_excused" boolean DEFAULT false NOT NULL,
	"points_possible" numeric(10, 2) NOT NULL,
	"kind" text NOT NULL,
	"actor_id" uuid,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grade_changes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "grade_changes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "grades" (
	"tenant_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"raw_score" numeric(10, 2),
	"late_penalty" numeric(10, 2) DEFAULT 0 NOT NULL,
	"score" numeric(10, 2),
	"points_possible" numeric(10, 2) NOT NULL,
	"override_score" numeric(10, 2),
	"override_reason" text,
	"excused" boolean DEFAULT false NOT NULL,
	"attempt_id" uuid,
	"submission_version" integer,
	"rubric" jsonb,
	"comment" text,
	"graded_by" uuid,
	"graded_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "grades_tenant_id_item_id_enrolment_id_pk" PRIMARY KEY("tenant_id","item_id","enrolment_id")
);
--> statement-breakpoint
ALTER TABLE "grades" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "course_items" ADD COLUMN "grade_category_id" uuid;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "grading_scheme" jsonb;--> statement-breakpoint
ALTER TABLE "quiz_attempts" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "assignment_submissions" ADD CONSTRAINT "assignment_submissions_tenant_id_item_id_course_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."course_items"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_submissions" ADD CONSTRAINT "assignment_submissions_tenant_id_enrolment_id_enrolments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","enrolment_id") REFERENCES "public"."enrolments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_categories" ADD CONSTRAINT "grade_categories_tenant_id_course_id_courses_tenant_id_id_fk" FOREIGN KEY ("tenant_id","course_id") REFERENCES "public"."courses"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_tenant_id_item_id_course_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."course_items"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grade_changes" ADD CONSTRAINT "grade_changes_tenant_id_enrolment_id_enrolments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","enrolment_id") REFERENCES "public"."enrolments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_tenant_id_item_id_course_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","item_id") REFERENCES "public"."course_items"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_tenant_id_enrolment_id_enrolments_tenant_id_id_fk" FOREIGN KEY ("tenant_id","enrolment_id") REFERENCES "public"."enrolments"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assignment_submissions_version_key" ON "assignment_submissions" USING btree ("tenant_id","item_id","enrolment_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "assignment_submissions_submit_key" ON "assignment_submissions" USING btree ("tenant_id","item_id","enrolment_id","submit_key");--> statement-breakpoint
CREATE INDEX "assignment_submissions_item_idx" ON "assignment_submissions" USING btree ("tenant_id","item_id","submitted_at");--> statement-breakpoint
CREATE INDEX "grade_categories_course_idx" ON "grade_categories" USING btree ("tenant_id","course_id","position");--> statement-breakpoint
CREATE INDEX "grade_changes_cell_idx" ON "grade_changes" USING btree ("tenant_id","item_id","enrolment_id","created_at");--> statement-breakpoint
CREATE INDEX "grades_enrolment_idx" ON "grades" USING btree ("tenant_id","enrolment_id");--> statement-breakpoint
CREATE POLICY "assignment_submissions_tenant_isolation" ON "assignment_submissions" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "grade_categories_tenant_isolation" ON "grade_categories" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "grade_changes_tenant_isolation" ON "grade_changes" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
CREATE POLICY "grades_tenant_isolation" ON "grades" AS PERMISSIVE FOR ALL TO public USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid) WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);--> statement-breakpoint
-- An item's category: deleting a category leaves its items uncategorised (the column list keeps tenant_id).
ALTER TABLE "course_items" ADD CONSTRAINT "course_items_grade_category_fk" FOREIGN KEY ("tenant_id","grade_category_id") REFERENCES "public"."grade_categories"("tenant_id","id") ON DELETE SET NULL ("grade_category_id");--> statement-breakpoint
-- Forced like every tenant table (the catalogue test checks it).
ALTER TABLE "grade_categories" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "assignment_submissions" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "grades" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "grade_changes" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Attempts graded before release existed were visible already.
UPDATE "quiz_attempts" SET "released_at" = "graded_at" WHERE "status" = 'graded';
