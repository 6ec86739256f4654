import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import GetAppIcon from '@material-ui/icons/GetApp';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ServiceFilters, ServiceSort, serviceInsightsApiRef } from '../../api';

/**
 * Downloads every component matching the current filters as CSV. The file is fetched through `fetchApi` (so the
 * user's token goes along) and handed to the browser as a Blob.
 */
export function ExportCsvButton(props: {
  query: ServiceFilters & Partial<ServiceSort>;
}) {
  const api = useApi(serviceInsightsApiRef);
  const [{ loading, error }, download] = useAsyncFn(async () => {
    const blob = await api.exportServicesCsv(props.query);
    saveBlob(
      blob,
      `service-insights-${new Date().toISOString().slice(0, 10)}.csv`,
    );
  }, [api, props.query]);

  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        startIcon={<GetAppIcon />}
        onClick={download}
        disabled={loading}
      >
        Export CSV
      </Button>
      {error && (
        <Typography variant="body2" color="error" role="alert">
          Export failed: {error.message}
        </Typography>
      )}
    </>
  );
}

function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  anchor.style.display = 'none';
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Let the browser start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
