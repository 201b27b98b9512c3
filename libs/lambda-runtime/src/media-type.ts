/**
 * The content type of a request, read as RFC 9110 (section 8.3) defines it: exactly one media type,
 * `type/subtype` followed by `; name=value` parameters, names and values tokens or quoted strings.
 * API Gateway hands a function the header as the client sent it (duplicates joined with commas), so
 * anything may arrive here: nothing, an empty value, a list, or text that is no media type at all.
 */

// tchar: any visible ASCII character but the delimiters "(),/:;<=>?@[\]{}.
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
// qdtext and quoted-pair, obs-text included (a header value's bytes above 0x7F arrive as Latin-1 characters).
const QUOTED_STRING = '"(?:[\\t !#-\\[\\]-~\\x80-\\xff]|\\\\[\\t -~\\x80-\\xff])*"';
const PARAMETER = `${TOKEN}=(?:${TOKEN}|${QUOTED_STRING})`;
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})((?:[ \\t]*;(?:[ \\t]*${PARAMETER})?)*)$`);
const PARAMETERS = new RegExp(`(${TOKEN})=(${TOKEN}|${QUOTED_STRING})`, 'g');

export interface MediaType {
  /** `type/subtype`, lower-cased (both are case-insensitive). */
  essence: string;
  /** Parameter names lower-cased, values as sent, unquoted. */
  parameters: Map<string, string>;
}

/** HTTP's optional whitespace around a field value is spaces and tabs only (String#trim takes more). */
const withoutOws = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '');

const unquoted = (value: string) => (value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value);

/** The one media type a content type names, or undefined when it is not exactly one (a list, a parameter named twice, garbage). */
export function parseMediaType(contentType: string): MediaType | undefined {
  const match = MEDIA_TYPE.exec(withoutOws(contentType));
  if (!match) return undefined;
  const [, type = '', subtype = '', rest = ''] = match;
  const parameters = new Map<string, string>();
  for (const [, name = '', value = ''] of rest.matchAll(PARAMETERS)) {
    const key = name.toLowerCase();
    // Two values for one parameter (two charsets) leave the reader to guess which one holds.
    if (parameters.has(key)) return undefined;
    parameters.set(key, unquoted(value));
  }
  return { essence: `${type}/${subtype}`.toLowerCase(), parameters };
}

/** application/json, or a structured syntax suffix of it (application/merge-patch+json, RFC 6839). */
const isJsonEssence = (essence: string) => essence === 'application/json' || /^application\/[^/]+\+json$/.test(essence);

const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/**
 * Why a body sent with this content type cannot be read as JSON, or undefined when it can: a JSON media
 * type in UTF-8, the only charset JSON may be exchanged in (RFC 8259). The answer completes "The request
 * body must be JSON (content-type application/json); …".
 */
export function notJsonBecause(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return 'the request has no content type';
  if (withoutOws(contentType) === '') return 'its content type is empty';
  const mediaType = parseMediaType(contentType);
  if (!mediaType) return `its content type ${shown(contentType)} is not one media type`;
  if (!isJsonEssence(mediaType.essence)) return `it was sent as ${mediaType.essence}`;
  const charset = mediaType.parameters.get('charset')?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') return `it was sent in charset ${shown(charset)}, not UTF-8`;
  return undefined;
}
