// The namespace a /namespaces/<name> address names.

/** The namespace a URL names, or null when it cannot be one (bad escapes, NUL, control characters, too long). */
export function namespaceOf(raw: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return name.length >= 1 && name.length <= 253 && !/[\u0000-\u001f\u007f]/.test(name) ? name : null;
}
