import { getRequestConfig } from 'next-intl/server';

/** English first; a new language is a new messages file plus locale negotiation here. */
export default getRequestConfig(async () => ({
  locale: 'en',
  messages: (await import('./messages/en.json')).default,
}));
