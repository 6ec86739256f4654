import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  ServiceFilters,
  ServiceListQuery,
  ServiceSort,
  fromSearchParams,
  toSearchParams,
} from '../../api';

/** The dashboard's state, kept in the URL query string (same names as the backend's) so a view can be shared. */
export function useDashboardQuery() {
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => fromSearchParams(params), [params]);

  const update = useCallback(
    (patch: Partial<ServiceListQuery>) =>
      setParams(
        current => toSearchParams({ ...fromSearchParams(current), ...patch }),
        { replace: true },
      ),
    [setParams],
  );

  return {
    query,
    /** Changes filters and goes back to the first page. */
    setFilters: useCallback(
      (filters: Partial<ServiceFilters>) =>
        update({ ...filters, page: undefined }),
      [update],
    ),
    setSort: useCallback(
      (sort: ServiceSort) => update({ ...sort, page: undefined }),
      [update],
    ),
    setPage: useCallback(
      (page: number, pageSize?: number) =>
        update(pageSize === undefined ? { page } : { page, pageSize }),
      [update],
    ),
  };
}
