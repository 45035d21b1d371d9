/**
 * An id for a name written in Chinese (`01-入室盗窃.md` → `ru-shi-dao-qie`): the characters in pinyin
 * without tones, one syllable per character, joined by dashes; letters and digits kept (lower-case);
 * anything else a separator. The id is the web address of the advisory's page, so staff who name files in
 * Chinese get a readable address without writing `id:`; `check` shows it.
 *
 * pinyin-pro (pinned to one version in package.json, so an id never changes under an update: a changed id
 * would be a new web address) is loaded on first use only, from node_modules: a project of ASCII names
 * never loads its dictionary.
 */
import { createRequire } from 'node:module';
import { SLUG } from './schema.js';

type Pinyin = (text: string, options: { toneType: 'none'; type: 'array'; nonZh: 'consecutive'; v: boolean }) => string[];
let pinyin: Pinyin | undefined;

const HAN = /\p{Script=Han}/u;

/** The pinyin id for `name`, or undefined when it has no Chinese characters or makes no valid id. */
export function pinyinId(name: string): string | undefined {
  if (!HAN.test(name)) return undefined;
  pinyin ??= (createRequire(import.meta.url)('pinyin-pro') as { pinyin: Pinyin }).pinyin;
  const parts = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .flatMap((p) => p.toLowerCase().split(/[^a-z0-9]+/))
    .filter(Boolean);
  const id = parts.join('-').slice(0, 80).replace(/-+$/, '');
  return SLUG.test(id) ? id : undefined;
}
