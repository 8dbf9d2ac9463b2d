import postgres from 'postgres';

/** A superuser connection to this file's database, for setting up rows and inspecting the catalogue. */
export function ownerSql() {
  return postgres(process.env.DATABASE_URL!, { max: 2, onnotice: () => {} });
}
