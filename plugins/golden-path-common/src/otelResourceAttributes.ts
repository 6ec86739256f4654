/**
 * Formats resource attributes as an `OTEL_RESOURCE_ATTRIBUTES` value: `key=value` pairs joined by `,`.
 *
 * The OpenTelemetry spec requires `,` and `=` to be percent-encoded and otherwise follows W3C Baggage, so every
 * character outside the baggage-octet range (spaces, `"`, `;`, `\`, controls, non-ASCII) is percent-encoded as
 * UTF-8, and so is `%` itself so that decoding gives the value back unchanged.
 */
export function formatOtelResourceAttributes(
  attributes: Record<string, string>,
): string {
  return Object.entries(attributes)
    .map(([key, value]) => `${encodeBaggage(key)}=${encodeBaggage(value)}`)
    .join(',');
}

/**
 * Parses an `OTEL_RESOURCE_ATTRIBUTES` value back into attributes, percent-decoding keys and values. Throws when a
 * pair has no `=` or an empty key, or a percent-encoding is broken.
 */
export function parseOtelResourceAttributes(
  value: string,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of value.split(',')) {
    if (pair.trim() === '') {
      continue;
    }
    const separator = pair.indexOf('=');
    const key = separator > 0 ? decode(pair.slice(0, separator).trim()) : '';
    if (key === '') {
      throw new Error(
        `Invalid OTEL_RESOURCE_ATTRIBUTES entry ${JSON.stringify(
          pair,
        )}: expected key=value`,
      );
    }
    attributes[key] = decode(pair.slice(separator + 1).trim());
  }
  return attributes;
}

// W3C baggage-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E, minus `%` (the escape character) and `=`
// (which OpenTelemetry requires to be encoded).
function isPlainOctet(code: number): boolean {
  return (
    code >= 0x21 &&
    code <= 0x7e &&
    code !== 0x22 && // "
    code !== 0x25 && // %
    code !== 0x2c && // ,
    code !== 0x3b && // ;
    code !== 0x3d && // =
    code !== 0x5c // \
  );
}

function encodeBaggage(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (isPlainOctet(code)) {
      out += char;
    } else if (code < 0x80) {
      out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += encodeNonAscii(char);
    }
  }
  return out;
}

function encodeNonAscii(char: string): string {
  try {
    return encodeURIComponent(char);
  } catch {
    return '%EF%BF%BD'; // a lone surrogate has no UTF-8 form; encode U+FFFD as TextEncoder would
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(
      `Invalid OTEL_RESOURCE_ATTRIBUTES text ${JSON.stringify(
        text,
      )}: broken percent-encoding`,
    );
  }
}
