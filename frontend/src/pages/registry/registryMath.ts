// Updates are partial (docs/api.md: in a `changes` input an omitted field is kept, null clears
// it), so an edit form sends only what the user changed: an untouched field never overwrites a
// value someone else set meanwhile.

type Value = string | number | boolean | null | undefined;

/** A text field left blank means "none": null, not an empty string the API would refuse. */
export function blankToNull(value: Value): Exclude<Value, undefined> {
  if (value === undefined) return null;
  return typeof value === "string" && value.trim() === "" ? null : typeof value === "string" ? value.trim() : value;
}

/** The fields of `edited` whose cleaned value differs from `original`. */
export function changedFields<T extends Record<string, Value>>(original: T, edited: T): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(edited) as (keyof T)[]) {
    const before = blankToNull(original[key]);
    const after = blankToNull(edited[key]);
    if (before !== after) changes[key] = after as T[keyof T];
  }
  return changes;
}
