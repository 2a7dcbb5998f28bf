/**
 * Notebook parameters as text boxes show them, and back: the one parser the schedule form and
 * the sidebar's "Run now" overrides share.
 */

/** What is known of a parameter: its declared type (from the notebook) and/or its default. */
export interface IParameterHint {
  type?: string | null;
  default?: unknown;
}

/**
 * The value a parameter's text box holds: text for a `str` parameter (or, with no declared type,
 * one whose default is a string), `true` only for "true" for a `bool`, else JSON when the text
 * parses as JSON, else the text as typed (the server says what is wrong with it).
 */
export function parseParameterText(text: string, hint: IParameterHint): unknown {
  const type = (hint.type ?? '').toLowerCase();
  if (type === 'str' || (type === '' && typeof hint.default === 'string')) {
    return text;
  }
  if (type === 'bool') {
    return text === 'true';
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The text a parameter's box starts with: its default (a string as it is, anything else as JSON). */
export function parameterText(hint: IParameterHint): string {
  return typeof hint.default === 'string' ? hint.default : JSON.stringify(hint.default ?? null);
}
