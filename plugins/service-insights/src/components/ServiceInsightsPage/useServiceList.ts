import { useApi } from '@backstage/core-plugin-api';
import { ServiceListResponse } from '@golden-path/common';
import { useEffect, useMemo, useState } from 'react';
import { ServiceListQuery, serviceInsightsApiRef } from '../../api';

/** One page of components: the previous page stays shown while the next one loads. */
export type ServiceListState = {
  loading: boolean;
  error?: Error;
  value?: ServiceListResponse;
};

type Settled = {
  request: Promise<ServiceListResponse>;
  value?: ServiceListResponse;
  error?: Error;
};

/**
 * The page of components for `query`. The request goes out while the dashboard renders for the first time, not
 * after its first commit (as with `useAsync`): the table is what a visitor waits for, and the rest of the
 * dashboard's code and first render need not stand in front of it.
 */
export function useServiceList(query: ServiceListQuery): ServiceListState {
  const api = useApi(serviceInsightsApiRef);
  const request = useMemo(() => {
    const started = api.listServices(query);
    // Handled below once committed; a render React throws away must not leave an unhandled rejection behind.
    started.catch(() => undefined);
    return started;
  }, [api, query]);
  const [settled, setSettled] = useState<Settled>();
  useEffect(() => {
    let current = true;
    request.then(
      value => current && setSettled({ request, value }),
      error => current && setSettled({ request, error }),
    );
    return () => {
      current = false;
    };
  }, [request]);
  const loading = settled?.request !== request;
  return {
    loading,
    value: settled?.value,
    error: loading ? undefined : settled?.error,
  };
}
