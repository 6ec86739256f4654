import { ConfigValue, describe as describeValue } from './configValue';

describe('ConfigValue', () => {
  const root = new ConfigValue('goldenPath', {
    name: 'x',
    count: '5',
    list: ['a', 'b'],
    unset: null,
  });

  it('builds full keys for children and list items', () => {
    expect(root.get('name').key).toBe('goldenPath.name');
    expect(
      root
        .get('list')
        .list()!
        .map(item => item.key),
    ).toEqual(['goldenPath.list[0]', 'goldenPath.list[1]']);
  });

  it('treats null as missing and leaves it out of the keys', () => {
    expect(root.get('unset').isMissing).toBe(true);
    expect(root.get('unset').string()).toBeUndefined();
    expect(root.keys()).toEqual(['name', 'count', 'list']);
  });

  it('reads numbers from strings, as environment substitution gives them', () => {
    expect(root.get('count').integer()).toBe(5);
  });

  it('names the key and what it expected', () => {
    expect(() => root.get('list').string()).toThrow(
      'Invalid goldenPath.list: expected a non-empty string, got ["a","b"]',
    );
    expect(() => root.get('name').object()).toThrow(
      "Invalid goldenPath.name: expected an object, got 'x'",
    );
    expect(() => root.get('name').get('deeper')).toThrow(
      "Invalid goldenPath.name: expected an object, got 'x'",
    );
    expect(() => root.get('missing').requiredString()).toThrow(
      'goldenPath.missing is required',
    );
    expect(() => new ConfigValue('k', ['a', '']).stringList()).toThrow(
      "Invalid k[1]: expected a non-empty string, got ''",
    );
  });

  it('renders values for messages', () => {
    expect(describeValue('x')).toBe("'x'");
    expect(describeValue(1.5)).toBe('1.5');
    expect(describeValue(undefined)).toBe('nothing');
  });
});
