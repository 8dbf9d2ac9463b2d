import { getTranslations } from 'next-intl/server';
import en from './messages/en.json';
import { validationKey } from './validation';

const errorKeyByText = new Map(Object.entries(en.errors).map(([key, text]) => [text, key]));

/** A validation or domain message (English, as lib produced it) in the reader's language. */
export async function translateMessage(message: string): Promise<string> {
  const vKey = validationKey(message);
  if (vKey) return (await getTranslations('validation'))(vKey);
  const eKey = errorKeyByText.get(message);
  if (eKey) return (await getTranslations('errors'))(eKey as never);
  return message;
}
