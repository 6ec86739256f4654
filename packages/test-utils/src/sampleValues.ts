/**
 * The form values every golden-path template requires, as a user of the example organisation (examples/*.yaml)
 * enters them: a service of team-payments in the checkout system, with the four cost tags the default policy
 * requires, all valid. Suites add the name, description and whatever they are about.
 */
export function sampleServiceValues() {
  return {
    owner: 'group:default/team-payments',
    system: 'system:default/checkout',
    costTags: {
      team: 'team-payments',
      'cost-center': 'CC-1001',
      environment: 'dev',
      product: 'checkout',
    },
  };
}
