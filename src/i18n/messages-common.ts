/** Pieces many messages share: the did-you-mean after an unknown name. */
import { messages } from './index.js';

export const commonMessages = messages(
  {
    /** After an unknown name, before what follows (leading space, so it joins the sentence before it). */
    didYouMean: (name: string) => ` Did you mean "${name}"?`,
  },
  {
    didYouMean: (name: string) => `您是不是要输入“${name}”？`,
  },
);
