import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';

/** The goldenPath policy in app-config could not be read: say which key is wrong. */
export function PolicyErrorAlert(props: { error: Error }) {
  return (
    <Alert severity="error">
      <AlertTitle>The goldenPath policy in app-config is invalid</AlertTitle>
      {props.error.message}
    </Alert>
  );
}
