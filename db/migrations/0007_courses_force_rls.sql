-- Course tables: RLS forced like every tenant table (0002 only covered the tables that existed then).
ALTER TABLE "courses" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "course_modules" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "course_items" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "enrolments" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "item_progress" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "files" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- Deleting a prerequisite clears only prerequisite_item_id (PostgreSQL 15+ column list); tenant_id must stay.
ALTER TABLE "course_items" DROP CONSTRAINT "course_items_tenant_id_prerequisite_item_id_course_items_tenant_id_id_fk";--> statement-breakpoint
ALTER TABLE "course_items" ADD CONSTRAINT "course_items_tenant_id_prerequisite_item_id_course_items_tenant_id_id_fk" FOREIGN KEY ("tenant_id","prerequisite_item_id") REFERENCES "public"."course_items"("tenant_id","id") ON DELETE SET NULL ("prerequisite_item_id");--> statement-breakpoint
