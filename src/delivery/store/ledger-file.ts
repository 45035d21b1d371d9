/** The SQLite ledger's file in var/: named here, apart from sqlite/, so that naming it loads no SQLite. */
export const LEDGER_FILE = 'advisory.db';
