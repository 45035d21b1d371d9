/**
 * Groups an advisory's sanitised hast into one `<section>` per `##` heading, so
 * templates can style "案件特点" and "防范建议" differently (the advice is what
 * readers need most). The class names are ours, added after sanitising; the
 * WeChat post-processor removes them again once juice has inlined the styles.
 *
 *   <section class="part part-advice"><h2 class="part-title">防范建议</h2>…</section>
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';

/** Headings whose text contains one of these words mark the advice part. */
const ADVICE_WORDS = ['防范建议', '建议', '防范措施', '提示', '注意'];

export function sectionize(tree: Root): Root {
  const out: RootContent[] = [];
  let current: Element | null = null;
  // The input is not changed: only the headings get new (copied) properties, the
  // rest is shared with the input tree (a deep copy cost ≈ 50 µs an advisory).
  for (const node of tree.children) {
    if (node.type === 'element' && node.tagName === 'h2') {
      const advice = ADVICE_WORDS.some((w) => textOf(node).includes(w));
      const heading: Element = { ...node, properties: { ...node.properties, className: ['part-title'] } };
      current = {
        type: 'element',
        tagName: 'section',
        properties: { className: advice ? ['part', 'part-advice'] : ['part'] },
        children: [heading],
      };
      out.push(current);
    } else if (node.type === 'element' && node.properties?.dataFootnotes !== undefined) {
      out.push(node); // GFM footnotes belong to the whole text, not to the last part
      current = null;
    } else if (current) {
      current.children.push(node as ElementContent);
    } else {
      out.push(node);
    }
  }
  return { type: 'root', children: out };
}

export function textOf(node: RootContent | ElementContent | Root): string {
  if (node.type === 'text') return node.value;
  if (node.type === 'element' || node.type === 'root') return node.children.map((c) => textOf(c)).join('');
  return '';
}
