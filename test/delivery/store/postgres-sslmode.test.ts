/**
 * `sslmode` in a store URL means what libpq means (README: "other URL parameters such as sslmode=require are
 * passed on"): `require` encrypts without checking the certificate, `verify-full` checks it, `disable` is plain.
 * pg 8 on its own reads `require` as `verify-full` and prints a security warning on every command.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { libpqUrl } from '../../../src/delivery/store/postgres/open.js';

const base = 'postgres://advisory:pw@db.internal:5432/advisory';
/** The connection settings pg itself derives from a URL (never connected). */
const parse = (url: string) => (new pg.Client({ connectionString: url }) as unknown as { connectionParameters: { ssl: unknown } }).connectionParameters;

describe('sslmode as libpq reads it', () => {
  it('require: TLS, the certificate not verified; no warning', () => {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    try {
      const c = parse(libpqUrl(`${base}?sslmode=require`));
      expect(c.ssl).toMatchObject({ rejectUnauthorized: false });
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.filter((w) => w.includes('SECURITY WARNING'))).toEqual([]);
  });

  it('verify-full keeps verifying; disable is plain; no sslmode is left as written', () => {
    const full = parse(libpqUrl(`${base}?sslmode=verify-full`));
    expect(full.ssl).toBeTruthy();
    expect((full.ssl as { rejectUnauthorized?: boolean }).rejectUnauthorized).not.toBe(false);
    expect(parse(libpqUrl(`${base}?sslmode=disable`)).ssl).toBe(false);
    expect(libpqUrl(base)).toBe(base);
  });

  it('an explicit uselibpqcompat is the operator\'s and left alone', () => {
    const url = `${base}?sslmode=require&uselibpqcompat=false`;
    expect(libpqUrl(url)).toBe(url);
  });
});
