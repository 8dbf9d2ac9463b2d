export const ROLES = ['owner', 'admin', 'instructor', 'learner'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { learner: 0, instructor: 1, admin: 2, owner: 3 };

/** Roles are ordered: an owner can do what an admin can, an admin what an instructor can, and so on. */
export function hasRole(role: Role, atLeast: Role): boolean {
  return RANK[role] >= RANK[atLeast];
}
