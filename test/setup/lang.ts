/**
 * Every test starts in the language the environment asks for (vitest.config.ts: English). Test files
 * share their worker's modules (isolate: false), so a test that runs the CLI with an environment saying
 * zh, or sets the language itself, would otherwise leave every later test in the worker reading Chinese.
 */
import { beforeEach } from 'vitest';
import { langFromEnv, setLang } from '../../src/i18n/index.js';

beforeEach(() => {
  setLang(langFromEnv(process.env));
});
