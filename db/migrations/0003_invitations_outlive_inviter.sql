-- Only invited_by is cleared when the inviter leaves (PostgreSQL 15+ column list); tenant_id must stay.
ALTER TABLE "invitations" DROP CONSTRAINT "invitations_tenant_id_invited_by_memberships_tenant_id_id_fk";
--> statement-breakpoint
ALTER TABLE "invitations" ALTER COLUMN "invited_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_invited_by_memberships_tenant_id_id_fk" FOREIGN KEY ("tenant_id","invited_by") REFERENCES "public"."memberships"("tenant_id","id") ON DELETE SET NULL ("invited_by") ON UPDATE no action;