import { useApi } from '@backstage/core-plugin-api';
import { ServiceListResponse } from '@golden-path/common';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { ServiceListQuery, serviceInsightsApiRef } from '../../api';
import { FirstPageRequest, PageRequest, requestPage } from './firstPage';

/** One page of components: the previous page stays shown while the next one loads. */
export type ServiceListState = {
  loading: boolean;
  error?: Error;
  value?: ServiceListResponse;
};

/**
 * The page of components for `query`. The request goes out while the dashboard renders, not after its first commit
 * (as with `useAsync`), or earlier still when the page's loader asked for it (`firstPage`); a render after it has
 * answered shows the page straight away, without waiting for an effect to store it.
 */
export function useServiceList(
  query: ServiceListQuery,
  firstPage?: FirstPageRequest,
): ServiceListState {
  const api = useApi(serviceInsightsApiRef);
  const request = useMemo(
    () => firstPage?.for(query) ?? requestPage(api, query),
    [api, query, firstPage],
  );
  // Not when rendered, once committed: the app renders the page more than once while it starts, and each of those
  // renders may use the loader's request.
  useEffect(() => firstPage?.shown(), [firstPage]);
  const [, settled] = useReducer((n: number) => n + 1, 0);
  const renderedPending = request.status === 'pending';
  useEffect(() => {
    // Drawn while pending: draw again once it answers, also when it answered between that render and this effect.
    if (!renderedPending) return undefined;
    let current = true;
    const rerender = () => current && settled();
    request.promise.then(rerender, rerender);
    return () => {
      current = false;
    };
  }, [request, renderedPending]);
  // The last page that answered, shown while the next one loads.
  const shown = useRef<PageRequest>();
  if (request.status !== 'pending') shown.current = request;
  const loading = request.status === 'pending';
  const { value } = shown.current ?? {};
  const error = loading ? undefined : request.error;
  return useMemo(() => ({ loading, value, error }), [loading, value, error]);
}
