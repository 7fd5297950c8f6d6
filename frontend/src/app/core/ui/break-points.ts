/**
 * `text` cut where a line may break when it has no space: before an `@`, and after a `.`, `_` or `+` ahead of it (an
 * email's local part; the domain stays whole). A template writes the parts with `<wbr />` between them, so a narrow
 * column wraps "maximiliana.konstantina." / "wolkenstein" / "@example.com" instead of mid-word; the text (and what is
 * copied) stays the same. Pair it with `overflow-wrap: anywhere` for a part still wider than its column.
 */
export function breakPoints(text: string): string[] {
  const at = text.indexOf('@');
  const local = at < 0 ? text : text.slice(0, at);
  const parts = local.split(/(?<=[._+])/).filter((part) => part.length > 0);
  return at < 0 ? parts : [...parts, text.slice(at)];
}
