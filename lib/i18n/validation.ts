import en from './messages/en.json';

export type ValidationKey = keyof typeof en.validation;

/**
 * Validation messages live in the catalogue. Schemas are built once, before any request, so they hold
 * the English text; validationKey() maps it back to its key for the reader's language.
 */
export function v(key: ValidationKey): string {
  return en.validation[key];
}

const keyByText = new Map<string, ValidationKey>(Object.entries(en.validation).map(([key, text]) => [text, key as ValidationKey]));

export function validationKey(message: string): ValidationKey | undefined {
  return keyByText.get(message);
}
