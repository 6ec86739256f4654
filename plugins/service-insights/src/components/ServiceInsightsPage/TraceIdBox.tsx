import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  GoldenPathPolicy,
  isValidTraceId,
  traceIdLinks,
} from '@golden-path/common';
import { useState } from 'react';
import { SafeLink } from '../shared';
import { TraceOwners } from './TraceOwners';

/**
 * Paste a trace id, get a link to it in every configured tracing backend and, through the backend, the services in
 * the trace with who owns them.
 */
export function TraceIdBox(props: { policy: GoldenPathPolicy }) {
  const { policy } = props;
  const [input, setInput] = useState('');
  const traceId = input.trim();
  const valid = traceId !== '' && isValidTraceId(traceId);
  const invalid = traceId !== '' && !valid;
  const links = valid ? traceIdLinks(policy.tracing.links, traceId) : [];

  return (
    <>
      <TextField
        id="service-insights-trace-id"
        label="Trace ID"
        placeholder="4bf92f3577b34da6a3ce929d0e0e4736"
        value={input}
        onChange={e => setInput(e.target.value)}
        error={invalid}
        helperText={
          invalid
            ? `"${traceId}" is not a trace id: a trace id is 32 hexadecimal digits (W3C trace context, as in a traceparent header), and not all zeros.`
            : 'Paste the 32-digit trace id from a log line or a traceparent header.'
        }
        fullWidth
        inputProps={{ spellCheck: false, autoComplete: 'off' }}
      />
      {valid && policy.tracing.links.length === 0 && (
        <Typography variant="body2">
          No tracing backend is configured (goldenPath.tracing.links in
          app-config).
        </Typography>
      )}
      {valid && links.length > 0 && (
        <ul aria-label="Links to this trace">
          {links.map(link => (
            <li key={`${link.backend}-${link.title}`}>
              <SafeLink url={link.url}>Open in {link.title}</SafeLink>
            </li>
          ))}
        </ul>
      )}
      {valid && policy.tracing.links.length > links.length && (
        <Typography variant="body2" color="textSecondary">
          Some backends need more than the trace id (e.g. Honeycomb without a
          dataset) and are not listed.
        </Typography>
      )}
      {valid && <TraceOwners traceId={traceId.toLowerCase()} />}
    </>
  );
}
