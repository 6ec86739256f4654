import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { normalizeTraceId } from '@golden-path/common';
import express from 'express';
import Router from 'express-promise-router';
import { TraceOwnersService } from './traceOwners';

/** `GET /traces/{traceId}/owners`: the services in a trace and who owns them (see README.md, "Owners of a trace"). */
export function createTraceOwnersRouter(options: {
  httpAuth: HttpAuthService;
  traceOwners: TraceOwnersService;
}): express.Router {
  const router = Router();
  router.get('/traces/:traceId/owners', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const traceId = normalizeTraceId(req.params.traceId);
    if (!traceId) {
      throw new InputError(
        'traceId must be a trace id: 32 hexadecimal digits (W3C trace context), not all zeros',
      );
    }
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(
      await options.traceOwners.getTraceOwners(traceId, { credentials }),
    );
  });
  return router;
}
