import {
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MockFetchApi, mockApis } from '@backstage/test-utils';
import { ServiceInsightsClient, serviceInsightsApiRef } from '../api';
import { CONFIG } from './fixtures';

/** The APIs the plugin needs, with the real client talking to msw. */
type ConfigData = NonNullable<Parameters<typeof mockApis.config>[0]>['data'];

export function testApis(config: ConfigData = CONFIG) {
  const discoveryApi = mockApis.discovery();
  const fetchApi = new MockFetchApi();
  return [
    [configApiRef, mockApis.config({ data: config })],
    [discoveryApiRef, discoveryApi],
    [fetchApiRef, fetchApi],
    [
      serviceInsightsApiRef,
      new ServiceInsightsClient({ discoveryApi, fetchApi }),
    ],
  ] as const;
}
