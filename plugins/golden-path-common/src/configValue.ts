/**
 * A raw config value together with its full key, so that every error says exactly which key to fix.
 *
 * The policy is read as plain JSON (one `config.getOptional('goldenPath')`) rather than through the typed
 * getters, so that all messages share one format and env-substituted strings such as `"5"` still count as numbers.
 *
 * @internal
 */
export class ConfigValue {
  constructor(readonly key: string, readonly value: unknown) {}

  /** True when the key is absent or explicitly null (null unsets a key in app-config). */
  get isMissing(): boolean {
    return this.value === undefined || this.value === null;
  }

  /** The child value at `name`; missing when this value is missing. */
  get(name: string): ConfigValue {
    const object = this.object();
    return new ConfigValue(`${this.key}.${name}`, object?.[name]);
  }

  /** Throws an error naming this key; `problem` says what is wrong with the value. */
  fail(problem: string): never {
    throw new Error(`Invalid ${this.key}: ${problem}`);
  }

  /** Throws an error that starts with this key; `rule` completes the sentence. */
  breaks(rule: string): never {
    throw new Error(`${this.key} ${rule}`);
  }

  object(): Record<string, unknown> | undefined {
    if (this.isMissing) {
      return undefined;
    }
    if (typeof this.value !== 'object' || Array.isArray(this.value)) {
      return this.fail(`expected an object, got ${describe(this.value)}`);
    }
    return this.value as Record<string, unknown>;
  }

  /** The keys of an object value, in config order. */
  keys(): string[] {
    return Object.keys(this.object() ?? {}).filter(
      name => this.get(name).value !== null,
    );
  }

  string(): string | undefined {
    if (this.isMissing) {
      return undefined;
    }
    if (typeof this.value !== 'string' || this.value.trim() === '') {
      return this.fail(
        `expected a non-empty string, got ${describe(this.value)}`,
      );
    }
    return this.value;
  }

  /** Like {@link ConfigValue.string}, but a missing value is an error too. */
  requiredString(): string {
    const value = this.string();
    return value === undefined ? this.breaks('is required') : value;
  }

  number(): number | undefined {
    if (this.isMissing) {
      return undefined;
    }
    const number =
      typeof this.value === 'string' && this.value.trim() !== ''
        ? Number(this.value)
        : this.value;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      return this.fail(`expected a number, got ${describe(this.value)}`);
    }
    return number;
  }

  integer(): number | undefined {
    const number = this.number();
    if (number !== undefined && !Number.isInteger(number)) {
      return this.fail(`expected a whole number, got ${describe(this.value)}`);
    }
    return number;
  }

  /** A string that must be one of `allowed`. */
  oneOf<T extends string>(allowed: readonly T[]): T | undefined {
    const value = this.string();
    if (
      value !== undefined &&
      !(allowed as readonly string[]).includes(value)
    ) {
      return this.fail(
        `${describe(value)} is not one of ${allowed.join(', ')}`,
      );
    }
    return value as T | undefined;
  }

  /** The items of a list value, each with its indexed key (`a.b[0]`). */
  list(): ConfigValue[] | undefined {
    if (this.isMissing) {
      return undefined;
    }
    if (!Array.isArray(this.value)) {
      return this.fail(`expected a list, got ${describe(this.value)}`);
    }
    return this.value.map(
      (item, index) => new ConfigValue(`${this.key}[${index}]`, item),
    );
  }

  /** A list of non-empty strings without duplicates. */
  stringList(): string[] | undefined {
    const items = this.list()?.map(item => item.requiredString());
    const duplicate = items?.find((item, i) => items.indexOf(item) !== i);
    if (duplicate !== undefined) {
      return this.fail(`${describe(duplicate)} is listed more than once`);
    }
    return items;
  }
}

/** Renders a config value for an error message: strings in single quotes, the rest as JSON. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (value === undefined) {
    return 'nothing';
  }
  return JSON.stringify(value);
}
