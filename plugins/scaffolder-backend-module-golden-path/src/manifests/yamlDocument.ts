import YAML from 'yaml';

/** The top-level list `key` of a YAML document as plain values; empty when missing or not a list. */
export function readList(doc: YAML.Document, key: string): unknown[] {
  const value = doc.get(key);
  return YAML.isSeq(value) ? (value.toJSON() as unknown[]) : [];
}

/** Sets the top-level list `key`, or removes the key when the list is empty. */
export function setList(
  doc: YAML.Document,
  key: string,
  list: unknown[],
): void {
  if (list.length === 0) {
    doc.delete(key);
  } else {
    doc.set(key, doc.createNode(list));
  }
}

/**
 * Moves the top-level `keys` that exist to the front, in that order, keeping the others in their order after them.
 * Actions that share a file then produce the same text whichever of them created it.
 */
export function orderKeys(doc: YAML.Document, keys: readonly string[]): void {
  const map = doc.contents;
  if (!YAML.isMap(map)) {
    return;
  }
  const rank = (pair: YAML.Pair) => {
    const index = keys.indexOf(
      String(YAML.isScalar(pair.key) ? pair.key.value : pair.key),
    );
    return index === -1 ? keys.length : index;
  };
  // Array.prototype.sort is stable, so keys outside `keys` keep their order.
  map.items.sort((a, b) => rank(a) - rank(b));
}
