import { closeDatabase, openDatabase } from './db.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (or data/srp.db) and exits. */
try {
  process.loadEnvFile?.('.env');
} catch {
  // no .env: the environment alone is fine
}
const path = (process.env.DATABASE_URL ?? 'data/srp.db').replace(/^file:/, '');
const db = openDatabase(path);
closeDatabase(db);
process.stdout.write(`srp: migrations applied to ${path}\n`);
