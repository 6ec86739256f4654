import { ownerRefProblem } from './ownerRef';

describe('ownerRefProblem', () => {
  it.each([
    'group:default/team-payments',
    'team-payments',
    'user:default/ada',
    'Group:platform/team_1.x',
  ])('accepts %j', owner => {
    expect(ownerRefProblem(owner)).toBeUndefined();
  });

  it.each([
    ['group:default/team-payments\n* @mallory', 'must be an entity reference'],
    ['team payments', 'must be an entity reference'],
    ['component:default/api', 'must be an entity reference'],
    ['group:a/b/c', 'must be an entity reference'],
    ['@mallory', 'must be an entity reference'],
    ['', 'is required'],
    [undefined, 'is required'],
  ])('refuses %j', (owner, problem) => {
    expect(ownerRefProblem(owner)).toMatch(problem);
  });
});
